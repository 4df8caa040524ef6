"""Admin Setnas sets up cycle 2023-2024: imports its plan from a CSV after a preview, edits the draft's tree, sets a
reporting window, assigns a verifikator, publishes, and revises a target with a reason that the public aksi page,
the instansi page (with the trend across cycles) and the change log then show. Then an instansi is split.

Each journey runs its own server: publishing 2023-2024 makes it the cycle the public pages show by default."""

import csv
import io
import re

from conftest import ROOT, screenshot
from test_accounts_journey import demo_password, sign_in

SETNAS = "admin.setnas@demo.jaga-stranas.example"


def plan_2023_2024() -> str:
    """The bundled plan, with indicator 5.1.1 mapped to its namesake of 2021-2022."""
    text = (ROOT / "Resources" / "Data" / "plan-2021-2022.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["jenis"] == "indikator" and row["kode"] == "5.1.1":
            row["pendahulu"] = "5.1.1"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_setnas_imports_publishes_and_revises(page, own_base_url, tmp_path):
    base_url = own_base_url
    sign_in(page, base_url, SETNAS, demo_password(page, base_url, SETNAS))
    page.wait_for_url(base_url + "/beranda")
    page.get_by_role("link", name="Kelola rencana aksi").click()
    page.wait_for_url(base_url + "/setnas/periode")

    page.fill("#startYear", "2023")
    page.get_by_role("button", name="Buat periode").click()
    page.wait_for_url(base_url + "/setnas/periode/2023-2024")
    assert "Draf" in page.locator(".page-header").inner_text()

    # Import the plan: a preview first, nothing changed until it is applied.
    file = tmp_path / "rencana-2023-2024.csv"
    file.write_text(plan_2023_2024(), encoding="utf-8")
    page.set_input_files("#file", str(file))
    page.get_by_role("button", name="Periksa berkas").click()
    preview = page.locator("#pratinjau")
    assert re.search(r"\d+ ditambah, 0 diubah, 0 dihapus\.", preview.inner_text())
    assert "0 aksi dalam rencana periode ini." in page.locator(".lead").inner_text()
    screenshot(page, "20-pratinjau-impor")
    page.get_by_role("button", name="Terapkan perubahan").click()
    page.wait_for_url(re.compile(r"pesan=impor$"))
    assert "12 aksi dalam rencana periode ini." in page.locator(".lead").inner_text()

    # Edit the draft's tree: rename output 12.1, then move it below 12.2.
    page.get_by_role("link", name="Susun rencana butir demi butir").click()
    page.wait_for_url(base_url + "/setnas/periode/2023-2024/rencana")
    assert "Pendahulu di periode 2021-2022:" in page.locator("#indikator-5\\.1\\.1").inner_text()
    assert page.locator("#pendahulu-5\\.1\\.1 option:checked").inner_text().startswith("5.1.1 ")
    page.get_by_role("link", name="Ubah Output 12.1", exact=True).click()
    page.wait_for_url(base_url + "/setnas/periode/2023-2024/rencana/output/12.1")
    page.fill("#judul", "")
    page.get_by_role("button", name="Simpan perubahan").click()
    # The browser keeps an empty required field from being sent at all.
    assert page.url.endswith("/rencana/output/12.1")
    page.fill("#judul", "Sistem penanganan perkara terpadu berbasis teknologi informasi, tahap dua")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_url(re.compile(r"/rencana\?pesan=tersimpan"))
    assert "tahap dua" in page.locator("#output-12\\.1").inner_text()
    page.get_by_role("button", name="Geser 12.1 ke bawah").click()
    page.wait_for_url(re.compile(r"/rencana\?pesan=tersimpan"))
    assert "tahap dua" in page.locator("#output-12\\.2 > .plan-node__row").inner_text()
    screenshot(page, "24-susunan-rencana")
    page.goto(base_url + "/setnas/periode/2023-2024")

    # Set the first triwulan's due date.
    page.locator("input[name=due_1]").fill("2023-04-10")
    page.get_by_role("button", name="Simpan jadwal").click()
    page.wait_for_url(re.compile(r"pesan=jadwal$"))
    assert page.locator("input[name=due_1]").input_value() == "2023-04-10"

    # Assign the demo verifikator to aksi 5.
    row = page.locator("tr", has_text="Aksi 5 ")
    row.locator("select[name=user]").select_option(label="Demo Verifikator Setnas")
    row.get_by_role("button", name="Tetapkan").click()
    page.wait_for_url(re.compile(r"pesan=verifikator$"))
    assert page.locator("tr", has_text="Aksi 5 ").locator("select[name=user] option:checked").inner_text() == (
        "Demo Verifikator Setnas"
    )

    page.get_by_role("button", name="Terbitkan rencana").click()
    page.wait_for_url(re.compile(r"pesan=terbit$"))
    assert "Diterbitkan" in page.locator(".page-header").inner_text()
    screenshot(page, "21-periode-terbit")

    # Revise Aceh's last target of indicator 5.1.1: refused without a reason, saved with one.
    page.locator("tr", has_text="Aksi 5 ").get_by_role("link", name="5.1.1").click()
    page.wait_for_url(base_url + "/setnas/periode/2023-2024/target/5.1.1")
    cell = page.get_by_label("Provinsi Aceh, TW IV 2024")
    assert cell.input_value() == "1"
    cell.fill("2")
    page.get_by_role("button", name="Simpan target").click()
    assert "Tuliskan alasan perubahan" in page.locator(".form-error").inner_text()
    assert page.get_by_label("Provinsi Aceh, TW IV 2024").input_value() == "2"
    # The browser reports the refused form's 422 in the console; that one was asked for.
    page.console_errors[:] = [e for e in page.console_errors if "status of 422" not in e]
    page.fill("#reason", "Aceh menambah katalog kedua sesuai kesepakatan rapat koordinasi.")
    page.get_by_role("button", name="Simpan target").click()
    page.wait_for_url(re.compile(r"pesan=tersimpan$"))
    screenshot(page, "22-revisi-target")

    # The public aksi page of that cycle shows the revision and its reason.
    page.goto(base_url + "/aksi/5?periode=2023-2024")
    history = page.locator(".revisions").first.inner_text()
    assert "Provinsi Aceh, TW IV 2024: 1 → 2" in history
    assert "rapat koordinasi" in history
    screenshot(page, "23-aksi-riwayat-revisi")

    # Aceh's page shows indicator 5.1.1 across 2021-2022 and 2023-2024.
    page.goto(base_url + "/instansi?nama=Aceh")
    page.get_by_role("link", name="Provinsi Aceh").first.click()
    trend = page.locator("table.trend")
    assert "Jumlah provinsi yang layak mengelola katalog lokal (provinsi) · pendahulu 5.1.1" in trend.inner_text()
    assert trend.locator("tbody tr").count() == 2
    screenshot(page, "25-tren-lintas-periode")

    # The public change log shows the publication and the revision, with the chain's head.
    page.goto(base_url + "/jejak")
    log = page.locator(".audit-list").inner_text()
    assert "Target diubah" in log and "rapat koordinasi" in log
    assert "Rencana aksi diterbitkan" in log
    assert "Rencana aksi diubah" not in log  # draft edits are internal
    assert re.fullmatch(r"[0-9a-f]{64}", page.locator(".audit-head .hash").inner_text())
    screenshot(page, "26-jejak-perubahan")


def test_setnas_splits_a_province(page, own_base_url):
    base_url = own_base_url
    sign_in(page, base_url, SETNAS, demo_password(page, base_url, SETNAS))
    page.wait_for_url(base_url + "/beranda")
    page.goto(base_url + "/setnas/periode")
    page.get_by_role("link", name="Kelola instansi").click()
    page.fill("#q", "Papua")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Provinsi Papua", exact=True).click()
    page.fill("#nama-baru", "Provinsi Papua Selatan")
    page.fill("#tanggal-mekar", "2022-07-25")
    page.fill("#catatan-mekar", "UU Nomor 14 Tahun 2022")
    page.get_by_role("button", name="Bentuk instansi baru").click()
    page.wait_for_url(re.compile(r"pesan=tersimpan$"))
    assert "Provinsi Papua Selatan" in page.locator("h1").inner_text()
    screenshot(page, "27-pemekaran")
    page.get_by_role("link", name="Halaman publik").click()
    history = page.locator("#riwayat + ul").inner_text()
    assert "Dibentuk dari pemekaran Provinsi Papua" in history
    assert "25 Juli 2022" in history and "UU Nomor 14 Tahun 2022" in history
