"""Admin Setnas sets up a cycle: imports its plan from a CSV after a preview, sets a reporting window, assigns a
verifikator, publishes, and revises a target with a reason that the public aksi page then shows.

The cycle is 2019-2020, older than the demo cycle, so the public pages of the other journeys keep showing 2021-2022."""

import pathlib
import re

from conftest import ROOT, screenshot
from test_accounts_journey import demo_password, sign_in


def test_setnas_imports_publishes_and_revises(page, base_url, tmp_path):
    setnas = "admin.setnas@demo.jaga-stranas.example"
    sign_in(page, base_url, setnas, demo_password(page, base_url, setnas))
    page.wait_for_url(base_url + "/beranda")
    page.get_by_role("link", name="Kelola rencana aksi").click()
    page.wait_for_url(base_url + "/setnas/periode")

    page.fill("#startYear", "2019")
    page.get_by_role("button", name="Buat periode").click()
    page.wait_for_url(base_url + "/setnas/periode/2019-2020")
    assert "Draf" in page.locator(".page-header").inner_text()

    # Import the plan: a preview first, nothing changed until it is applied.
    plan = (ROOT / "Resources" / "Data" / "plan-2021-2022.csv").read_text(encoding="utf-8")
    csv = tmp_path / "rencana-2019-2020.csv"
    csv.write_text(plan, encoding="utf-8")
    page.set_input_files("#file", str(csv))
    page.get_by_role("button", name="Periksa berkas").click()
    preview = page.locator("#pratinjau")
    assert re.search(r"\d+ ditambah, 0 diubah, 0 dihapus\.", preview.inner_text())
    assert "0 aksi dalam rencana periode ini." in page.locator(".lead").inner_text()
    screenshot(page, "20-pratinjau-impor")
    page.get_by_role("button", name="Terapkan perubahan").click()
    page.wait_for_url(re.compile(r"pesan=impor$"))
    assert "12 aksi dalam rencana periode ini." in page.locator(".lead").inner_text()

    # Set the first triwulan's due date.
    page.locator("input[name=due_1]").fill("2019-04-10")
    page.get_by_role("button", name="Simpan jadwal").click()
    page.wait_for_url(re.compile(r"pesan=jadwal$"))
    assert page.locator("input[name=due_1]").input_value() == "2019-04-10"

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
    page.wait_for_url(base_url + "/setnas/periode/2019-2020/target/5.1.1")
    cell = page.get_by_label("Provinsi Aceh, TW IV 2020")
    assert cell.input_value() == "1"
    cell.fill("2")
    page.get_by_role("button", name="Simpan target").click()
    assert "Tuliskan alasan perubahan" in page.locator(".form-error").inner_text()
    assert page.get_by_label("Provinsi Aceh, TW IV 2020").input_value() == "2"
    # The browser reports the refused form's 422 in the console; that one was asked for.
    page.console_errors[:] = [e for e in page.console_errors if "status of 422" not in e]
    page.fill("#reason", "Aceh menambah katalog kedua sesuai kesepakatan rapat koordinasi.")
    page.get_by_role("button", name="Simpan target").click()
    page.wait_for_url(re.compile(r"pesan=tersimpan$"))
    screenshot(page, "22-revisi-target")

    # The public aksi page of that cycle shows the revision and its reason.
    page.goto(base_url + "/aksi/5?periode=2019-2020")
    history = page.locator(".revisions").first.inner_text()
    assert "Provinsi Aceh, TW IV 2020: 1 → 2" in history
    assert "rapat koordinasi" in history
    screenshot(page, "23-aksi-riwayat-revisi")
