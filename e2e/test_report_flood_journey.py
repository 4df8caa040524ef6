"""While many reports arrive, a reporter's browser solves the form's small proof of work and the report goes in."""

import re
import urllib.parse
import urllib.request
import http.cookiejar

from conftest import running_server, screenshot


def send_report(base_url, forwarded_for):
    """One report without a browser, from the address a trusted proxy names."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-For": forwarded_for}
    with opener.open(urllib.request.Request(base_url + "/lapor", headers=headers)) as response:
        form = response.read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    instansi = re.search(r'<option[^>]* value="(\d+)"', form).group(1)
    body = urllib.parse.urlencode(
        {"_csrf": token, "instansi": instansi, "isi": "Laporan uji keramaian: pungutan liar di loket pelayanan."})
    request = urllib.request.Request(base_url + "/lapor", data=body.encode(), headers=headers)
    try:
        with opener.open(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_flood_asks_for_a_proof_of_work_that_the_browser_solves(page):
    # A hundred reports this hour, five from each of twenty addresses behind the portal's proxy.
    with running_server({"JAGA_TRUSTED_PROXIES": "127.0.0.1"}) as base_url:
        statuses = [send_report(base_url, f"198.51.100.{n // 5 + 1}") for n in range(100)]
        assert statuses.count(201) == 100
        # The next reporter is asked for a small proof of work, which their browser solves by itself.
        page.goto(base_url + "/lapor")
        assert "banyak laporan masuk" in page.locator("#bukti-kerja").inner_text()
        page.select_option("#instansi", index=1)
        page.fill("#teks-laporan", "Petugas loket meminta uang pelicin agar berkas izin didahulukan.")
        screenshot(page, "45-lapor-bukti-kerja")
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_selector("code")
        assert re.search(r"\d{4} \d{4} \d{4} \d{4} \d{4}", page.locator("main").inner_text())
