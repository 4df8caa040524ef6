"""Admin Setnas publishes TW I 2021 on 5 April 2021, after the triwulan ended but before its reporting window locks
(30 April): the check page states the coverage, a publication without a real reason is refused, one with a reason is
frozen with its JSON and the PDF the portal printed with Chromium; the PDF downloaded has the SHA-256 the report shows,
and reads as the report, the demo notice and the reason included."""

import hashlib
import io
import re

import pypdf
from conftest import screenshot
from test_accounts_journey import demo_password, sign_in

SETNAS = "admin.setnas@demo.jaga-stranas.example"
REASON = "Angka sementara diperlukan untuk rapat koordinasi nasional tanggal 8 April."


def test_setnas_publishes_before_the_lock_with_a_reason(page, browser, reporting_base_url):
    base_url = reporting_base_url
    sign_in(page, base_url, SETNAS, demo_password(page, base_url, SETNAS))
    page.wait_for_url(base_url + "/beranda")

    page.goto(base_url + "/setnas/periode/2021-2022#hasil")
    page.get_by_role("link", name="Terbitkan TW I 2021").click()
    page.wait_for_url(re.compile(r"/setnas/periode/2021-2022/capaian/1/terbitkan$"))
    assert "Periksa sebelum menerbitkan" in page.locator("h1").inner_text()
    coverage = page.locator("#cakupan").inner_text()
    assert re.fullmatch(r"\d+ dari \d+ instansi belum mengajukan semua barisnya; batas waktu 15 April 2021", coverage)
    assert "30 April 2021" in page.locator(".summary-list").inner_text()
    screenshot(page, "60-terbitkan-periksa")

    # A word is not a reason: refused, with what was typed kept and the coverage still stated.
    page.fill("#alasan", "cepat")
    page.get_by_role("button", name="Terbitkan sebelum dikunci dan bekukan").click()
    assert "minimal 15 karakter" in page.locator(".form-error").inner_text()
    assert page.input_value("#alasan") == "cepat"
    assert page.locator("#cakupan").inner_text() == coverage
    screenshot(page, "61-terbitkan-alasan-kurang")

    # On a phone the check page fits the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", storage_state=page.context.storage_state())
    small = phone.new_page()
    small.goto(base_url + "/setnas/periode/2021-2022/capaian/1/terbitkan")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(small, "62-terbitkan-periksa-ponsel")
    phone.close()

    page.fill("#alasan", REASON)
    page.get_by_role("button", name="Terbitkan sebelum dikunci dan bekukan").click()
    page.wait_for_url(base_url + "/laporan-capaian/2021-2022/1")
    assert REASON in page.locator("main").inner_text()
    assert page.locator(".notice--demo").count() == 1
    screenshot(page, "63-laporan-capaian-terbit")
    hashes = page.locator(".hash-line code.hash").all_inner_texts()
    json_hash, pdf_hash = hashes[0], hashes[1]

    # The PDF, as a reader downloads it, is the one whose hash the report shows; it reads as the report.
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF yang sidiknya tertera").click()
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == pdf_hash
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, (width, height)  # A4 in points
    text = " ".join(p.extract_text() for p in reader.pages)
    text = re.sub(r"\s+", " ", text)
    for expected in ("Sekretariat Nasional Pencegahan Korupsi", "Laporan Capaian Triwulan I Tahun 2021", "Ringkasan",
                     "Data demo.", "Diterbitkan sebelum penguncian"):
        assert expected in text, expected
    assert json_hash in text.replace(" ", "")  # the hash may wrap across lines

    # The print view a reader opens is the page the PDF was printed from.
    page.get_by_role("link", name="Tampilan cetak (A4)").click()
    page.wait_for_url(base_url + "/laporan-capaian/2021-2022/1/cetak")
    assert page.locator(".letterhead").count() == 1
    screenshot(page, "64-laporan-capaian-cetak")

    # The publication, its hashes and its reason are on the public change log; publishing again is refused.
    page.goto(base_url + "/jejak")
    log = page.locator("main").inner_text()
    assert pdf_hash in log and "Alasan: " + REASON in log
    response = page.goto(base_url + "/setnas/periode/2021-2022/capaian/1/terbitkan")
    assert response.status == 409
    page.console_errors.clear()  # the browser reports the 409 it was meant to get
