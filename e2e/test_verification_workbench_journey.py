"""A verifikator's working day at national scale: the national data set (`jaga seed national`, 48,000 lines), a
verifikator named for three aksi by Admin Setnas, a queue of more than 500 waiting lines. The verifikator filters it,
decides a line and moves to the next one, accepts 50 lines at once after a check page, and decides a few more in a
spreadsheet downloaded from the filtered queue and uploaded back; at desktop and phone sizes."""

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from conftest import ROOT, screenshot, serving
from portal_client import activated, created_account, token

BINARY = os.environ.get("JAGA_BINARY", str(ROOT / ".build" / "debug" / "jaga"))
VERIFIKATOR = "verifikator.nasional@setnas.example"
SETNAS = "admin.nasional@setnas.example"
PASSWORD = "antrean panjang di akhir triwulan"


@pytest.fixture(scope="module")
def national():
    """A server on the national data set, with its verifikator named for aksi 1 to 3 and signed in (a client)."""
    data_dir = tempfile.mkdtemp(prefix="jaga-e2e-national-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JAGA_DATA_DIR"] = data_dir
    subprocess.run([BINARY, "migrate", "-y"], env=env, check=True, capture_output=True)
    subprocess.run([BINARY, "seed", "national"], env=env, check=True, capture_output=True)
    links = {email: created_account(BINARY, env, email, role, name) for email, role, name in (
        (SETNAS, "admin_setnas", "Admin Setnas Nasional"),
        (VERIFIKATOR, "verifikator_setnas", "Verifikator Nasional"))}
    try:
        with serving(data_dir, {}) as base:
            setnas, _ = activated(base, links[SETNAS], SETNAS, PASSWORD)
            verifikator, _ = activated(base, links[VERIFIKATOR], VERIFIKATOR, PASSWORD)
            status, cycle = setnas.get("/setnas/periode/2025-2026")
            assert status == 200
            user_id = re.search(r'<option value="(\d+)"[^>]*>[^<]*Verifikator Nasional', cycle).group(1)
            for aksi in ("1", "2", "3"):
                status, _ = setnas.post("/setnas/periode/2025-2026/verifikator",
                                        [("_csrf", token(cycle)), ("aksi", aksi), ("user", user_id)])
                assert status == 303, status
            yield base, verifikator
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def signed_in_page(browser, base, client, width, height):
    """A browser page carrying the client's session."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in client.cookie_jar])
    return context.new_page()


def waiting_count(page):
    match = re.search(r"dari ([\d.]+) baris yang menunggu Anda|; ([\d.]+) baris menunggu Anda",
                      page.locator(".result-summary").inner_text())
    return int((match.group(1) or match.group(2)).replace(".", ""))


def test_a_verifikator_works_through_a_national_queue(browser, national, tmp_path):
    base, client = national
    page = signed_in_page(browser, base, client, 1366, 768)
    page.goto(base + "/beranda")
    page.locator(".site-nav").get_by_role("link", name="Verifikasi", exact=True).click()
    page.wait_for_url(base + "/verifikasi")
    waiting = waiting_count(page)
    assert waiting >= 500, waiting
    screenshot(page, "70-antrean-nasional")

    # Filtered: aksi 1, provinces, oldest first; the claim beside the target, the evidence and the waiting days.
    page.select_option("#aksi", "1")
    page.select_option("#jenis", "provinsi")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"/verifikasi\?.*aksi=1"))
    rows = page.locator(".queue-table tbody tr")
    assert 0 < rows.count() < waiting
    assert all("Provinsi" in t for t in page.locator(".queue-table tbody td:nth-child(4)").all_inner_texts())
    screenshot(page, "71-antrean-disaring")

    # The oldest line, accepted, and the next one of the same filtered queue opens.
    first = page.locator(".queue-table tbody th a").first
    first_url = first.get_attribute("href")
    first.click()
    page.get_by_role("button", name="Terima dan buka baris berikutnya").click()
    page.wait_for_url(re.compile(r"/laporan/baris/\d+\?"))
    assert page.url.split("?")[0] != base + first_url.split("?")[0]
    assert "aksi=1" in page.url and "jenis=provinsi" in page.url
    screenshot(page, "72-baris-berikutnya")

    # 50 lines of aksi 2 accepted at once, after the check page that lists them.
    page.goto(base + "/verifikasi?aksi=2")
    boxes = page.locator(".queue-table tbody input[type=checkbox]")
    assert boxes.count() >= 50
    for i in range(50):
        boxes.nth(i).check()
    page.get_by_role("button", name="Periksa baris yang dipilih").click()
    assert page.locator("h1").count() == 1
    page.get_by_role("button", name="Terima 50 baris").wait_for()
    screenshot(page, "73-terima-50-periksa")
    page.get_by_role("button", name="Terima 50 baris").click()
    page.wait_for_url(re.compile(r"/verifikasi\?.*diterima=50"))
    assert "50 baris diterima" in page.locator(".confirmation-panel").inner_text()
    assert waiting_count(page) == waiting - 51
    screenshot(page, "74-terima-50-selesai")

    # A spreadsheet of a narrower queue: three accepted (one with its own value), one returned with a reason.
    page.goto(base + "/verifikasi?aksi=3&jenis=provinsi")
    page.locator("summary", has_text="Putuskan lewat spreadsheet").click()
    sheet = page.request.get(base + page.get_by_role("link", name=re.compile(r"Unduh \d+ baris antrean ini")).get_attribute("href"))
    rows = list(csv.DictReader(io.StringIO(sheet.text().lstrip("\ufeff"))))
    assert list(rows[0])[-3:] == ["keputusan", "nilai_terverifikasi", "catatan"]
    assert len(rows) >= 4 and all(row["keputusan"] == "" for row in rows)
    decided = ["id_baris;versi;keputusan;nilai_terverifikasi;catatan"]
    decisions = ["terima;;", "terima;;Sesuai bukti.", "terima;0,5;Nilai dikoreksi sesuai bukti.",
                 "kembalikan;;Bukti dukung tidak memuat tanggal kegiatan."]
    for row, decision in zip(rows, decisions):
        decided.append(f"{row['id_baris']};{row['versi']};{decision}")
    upload = tmp_path / "keputusan.csv"
    upload.write_text("\r\n".join(decided) + "\r\n", encoding="utf-8")
    page.set_input_files("#file", str(upload))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/verifikasi/unggah/\d+$"))
    assert "3 baris akan diterima dan 1 baris dikembalikan." in page.locator("#pratinjau").inner_text()
    screenshot(page, "75-keputusan-pratinjau")
    page.get_by_role("button", name="Terapkan semua keputusan").click()
    page.wait_for_url(re.compile(r"/verifikasi\?diputuskan=4$"))
    assert "4 baris diputuskan dari berkas" in page.locator(".confirmation-panel").inner_text()
    assert waiting_count(page) == waiting - 55

    # On a phone the queue and the line page fit the screen.
    phone = signed_in_page(browser, base, client, 390, 844)
    phone.goto(base + "/verifikasi?aksi=1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "76-antrean-ponsel")
    phone.locator(".queue-table tbody th a").first.click()
    phone.wait_for_url(re.compile(r"/laporan/baris/\d+"))
    assert phone.get_by_role("button", name="Terima dan buka baris berikutnya").is_visible()
    screenshot(phone, "77-baris-ponsel")
    phone.context.close()
    page.context.close()
