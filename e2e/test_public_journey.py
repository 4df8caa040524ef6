"""A visitor with no account reads the plan: the home page, one aksi, a pelaksana's page, in both languages."""

import re

from conftest import screenshot


def test_plan_to_aksi_to_instansi_then_english(page, base_url):
    # The plan of the current cycle: 12 aksi under 3 fokus, labelled as demo data.
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Stranas PK 2021-2022"
    assert page.locator("section.fokus").count() == 3
    assert page.locator("li.aksi-card").count() == 12
    assert "bukan dokumen resmi" in page.locator(".notice--demo").inner_text()
    screenshot(page, "01-rencana-aksi")

    # Follow aksi 5: its outputs and a target table with eight triwulan per indicator.
    page.get_by_role("link", name=re.compile(r"^Aksi 5 ")).click()
    page.wait_for_url(base_url + "/aksi/5")
    assert "Efektivitas dan efisiensi pengadaan" in page.locator("h1").inner_text()
    first_table = page.locator("table.targets").first
    assert first_table.locator("thead th").count() == 1 + 8
    assert first_table.locator("tbody tr").count() == 35
    screenshot(page, "02-aksi-5")

    # Follow the coordinator to its instansi page.
    page.locator(".page-header .lead a").first.click()
    page.wait_for_url(re.compile(r"/instansi/\d+$"))
    assert page.locator("h1").inner_text().startswith("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah")
    assert page.get_by_role("link", name=re.compile(r"Aksi 5 ")).count() == 1
    instansi_url = page.url
    screenshot(page, "03-instansi-lkpp")

    # Switch to English: the same page, in English, and the choice sticks on the next page.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(instansi_url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Actions carried").count() == 1
    assert page.locator("table.targets thead th").nth(1).inner_text() == "Q1 2021"
    screenshot(page, "04-instansi-lkpp-en")

    page.get_by_role("link", name="Action Plan").first.click()
    page.wait_for_url(base_url + "/")
    assert page.locator(".notice--demo").inner_text().startswith("Demo data.")
    screenshot(page, "05-action-plan-en")


def test_directory_filters_and_not_found(page, base_url):
    page.goto(base_url + "/instansi")
    rows = page.locator("table.directory tbody tr")
    assert rows.count() == 126

    page.select_option("#jenis", "provinsi")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"jenis=provinsi"))
    assert rows.count() == 34
    screenshot(page, "06-direktori-provinsi")

    page.fill("#q", "makassar")
    page.select_option("#jenis", "")
    page.get_by_role("button", name="Terapkan").click()
    assert rows.count() == 1
    assert "Kota Makassar" in rows.first.inner_text()

    response = page.goto(base_url + "/aksi/99")
    assert response.status == 404
    assert "Aksi nomor 99 tidak ada" in page.locator("main").inner_text()
    # The browser reports the 404 document itself in the console; that one was asked for.
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]
    screenshot(page, "07-aksi-tidak-ada")


def test_phone_layout(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + "/aksi/7")
    # Nothing but the scrollable target tables may be wider than the screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "08-aksi-7-ponsel")
    context.close()


def test_oversized_file_is_refused_before_sending(page, base_url):
    # A phone video larger than the limit is refused in the form itself, with the limit named, and the text stays.
    page.goto(base_url + "/lapor")
    page.fill("#teks-laporan", "Petugas loket meminta uang pelicin; videonya saya rekam dengan ponsel.")
    page.set_input_files(
        "#bukti", files=[{"name": "video.mp4", "mimeType": "video/mp4", "buffer": b"\0" * (21 * 1024 * 1024)}])
    note = page.locator("#bukti-batas")
    note.wait_for(state="visible")
    assert "berukuran 21,0 MB; paling besar 20 MB" in note.inner_text()
    assert page.locator("#bukti").evaluate("input => input.validity.valid") is False
    assert "uang pelicin" in page.locator("#teks-laporan").input_value()
    screenshot(page, "07-lapor-berkas-terlalu-besar")


def contrast(first, second):
    """WCAG contrast ratio of two CSS rgb() colours."""
    def luminance(css):
        channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_focus_ring_is_visible_on_the_red_header(page, base_url):
    # WCAG 1.4.11: the keyboard focus ring needs 3:1 against what it is drawn on.
    page.goto(base_url + "/")
    header = page.locator(".site-header")
    background = header.evaluate("e => getComputedStyle(e).backgroundColor")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.site-header') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('.site-header') !== null")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert contrast(ring, background) >= 3, (ring, background, contrast(ring, background))
