"""The spreadsheet round trip, as LKPP's demo Unit Teknis does it on 5 April 2021: download the triwulan's open lines
from the instansi's report, fill two of them in a spreadsheet that saves the Indonesian way (semicolons, decimal
comma), upload a first try with a mistake and read what is wrong, upload the corrected file, check the preview and
apply it; the report then shows both lines saved, one of them sent to the instansi's review."""

import csv
import io
import pathlib
import re

from conftest import screenshot
from test_accounts_journey import demo_password, sign_in

UNIT = "unit.teknis@demo.jaga-stranas.example"


def spreadsheet_file(path, rows):
    """Writes rows as an Indonesian-locale spreadsheet saves "CSV UTF-8": semicolons and CRLF."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def test_fill_the_triwulan_in_a_spreadsheet(page, reporting_base_url, tmp_path):
    base_url = reporting_base_url
    sign_in(page, base_url, UNIT, demo_password(page, base_url, UNIT))
    page.wait_for_url(base_url + "/beranda")
    page.goto(base_url + "/laporan")

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh baris terbuka (CSV)").click()
    download = info.value
    assert re.fullmatch(r"laporan-\d+-2021-2022-tw1\.csv", download.suggested_filename)
    raw = pathlib.Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the file starts with a byte order mark, for spreadsheets"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) >= 2 and all(row["versi"] == "0" and row["status"] == "Belum diisi" for row in rows)
    first, second = rows[0]["indikator"], rows[1]["indikator"]

    # A first try: the first line counts provinces in halves, the second line's capaian is written in words.
    rows[0].update(capaian="2,5", narasi="Pelatihan pengadaan; dua angkatan.", kirim="ya")
    rows[1].update(capaian="dua", tautan="https://lkpp.go.id/berita")
    page.set_input_files("#file", spreadsheet_file(tmp_path / "coba-1.csv", rows))
    page.get_by_role("button", name="Periksa berkas").click()
    error = page.locator(".form-error").inner_text()
    assert "tidak ada baris yang berubah" in error
    assert "Baris berkas 3: Capaian “dua” harus berupa angka dari 0 sampai 1.000.000.000.000." in error
    assert "Baris berkas 2" in error and "2,5 bukan bilangan bulat" in error
    screenshot(page, "38-unggah-ditolak")
    page.console_errors[:] = [e for e in page.console_errors if "status of 422" not in e]

    # Corrected, from the same page.
    rows[0]["capaian"] = "3"
    rows[1]["capaian"] = "2"
    page.set_input_files("#file", spreadsheet_file(tmp_path / "coba-2.csv", rows))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/laporan/unggah/\d+$"))
    assert page.locator("#pratinjau").inner_text().startswith("2 baris akan berubah")
    preview = page.locator("table").inner_text()
    assert "Capaian: – → 3" in preview and "Simpan dan ajukan ke reviu instansi" in preview
    assert "Tautan bukti diubah" in preview
    screenshot(page, "39-pratinjau-unggah")

    page.get_by_role("button", name="Terapkan semua perubahan").click()
    page.wait_for_url(re.compile(r"/laporan\?.*diperbarui=2$"))
    assert "2 baris diperbarui dari berkas." in page.locator(".flash").inner_text()
    table = page.locator("table.report-table")
    assert "Menunggu reviu" in table.locator("tr", has_text=first).inner_text()
    assert "Draf" in table.locator("tr", has_text=second).inner_text()
