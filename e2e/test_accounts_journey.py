"""Officials sign in: an Admin Instansi invites a Unit Teknis who activates the account; a Focal Point enrols
two-step verification and signs in with it."""

import re
import subprocess
import urllib.parse

import totp
from conftest import screenshot


def demo_password(page, base_url, email):
    page.goto(base_url + "/masuk")
    row = page.locator(".demo-accounts tr", has_text=email)
    return row.locator("td").nth(1).inner_text().strip()


def sign_in(page, base_url, email, password):
    page.goto(base_url + "/masuk")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Masuk").click()


def test_admin_instansi_invites_unit_teknis(browser, page, base_url):
    admin = "admin.instansi@demo.jaga-stranas.example"
    sign_in(page, base_url, admin, demo_password(page, base_url, admin))
    page.wait_for_url(base_url + "/beranda")
    assert "Selamat datang" in page.locator("h1").inner_text()
    assert "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah" in page.locator(".panel").inner_text()
    screenshot(page, "10-beranda-admin-instansi")

    page.get_by_role("link", name="Kelola pengguna").click()
    page.wait_for_url(base_url + "/pengguna")
    page.get_by_role("link", name="Undang pengguna").click()
    page.fill("#name", "Sari Wulandari")
    page.fill("#email", "sari.wulandari@lkpp.example")
    page.fill("#position", "Analis Kebijakan")
    page.get_by_label("Unit Teknis").check()
    page.get_by_role("button", name="Kirim undangan").click()
    assert "Undangan telah dikirim ke sari.wulandari@lkpp.example" in page.locator(".flash").inner_text()
    link = page.locator("#activation-link").get_attribute("href")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/aktivasi/[A-Za-z0-9_-]{43}", link)
    screenshot(page, "11-undangan-terkirim")

    # The invited person opens the link in a browser of their own.
    invited_context = browser.new_context(locale="id-ID")
    invited = invited_context.new_page()
    invited.goto(link)
    assert "Selamat datang, Sari Wulandari" in invited.locator(".lead").inner_text()
    invited.fill("#password", "password")
    invited.fill("#confirmation", "password")
    invited.get_by_role("button", name="Simpan kata sandi").click()
    assert "paling sering dipakai" in invited.locator(".form-error").inner_text()
    invited.fill("#password", "kebun teh di puncak bogor")
    invited.fill("#confirmation", "kebun teh di puncak bogor")
    screenshot(invited, "12-atur-kata-sandi")
    invited.get_by_role("button", name="Simpan kata sandi").click()
    invited.wait_for_url(re.compile(r"/masuk\?pesan=aktif$"))

    sign_in(invited, base_url, "sari.wulandari@lkpp.example", "kebun teh di puncak bogor")
    invited.wait_for_url(base_url + "/beranda")
    assert "Selamat datang, Sari Wulandari" in invited.locator("h1").inner_text()
    assert "Unit Teknis" in invited.locator(".panel").inner_text()
    assert invited.get_by_role("link", name="Kelola pengguna").count() == 0
    screenshot(invited, "13-beranda-unit-teknis")

    # The link worked once; opening it again is refused.
    response = invited.goto(link)
    assert response.status == 404
    invited_context.close()


def test_focal_point_enrols_totp_and_signs_in_with_it(browser, page, base_url, tmp_path):
    setnas = "admin.setnas@demo.jaga-stranas.example"
    sign_in(page, base_url, setnas, demo_password(page, base_url, setnas))
    page.wait_for_url(base_url + "/beranda")
    page.goto(base_url + "/pengguna/undang")
    page.fill("#name", "Budi Santoso")
    page.fill("#email", "budi.santoso@lkpp.example")
    page.fill("#position", "Inspektur")
    page.get_by_label("Focal Point").check()
    page.select_option("#instansi", label="Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah")
    page.get_by_role("button", name="Kirim undangan").click()
    link = page.locator("#activation-link").get_attribute("href")

    context = browser.new_context(locale="id-ID")
    focal = context.new_page()
    focal.goto(link)
    focal.fill("#password", "integritas itu harga mati")
    focal.fill("#confirmation", "integritas itu harga mati")
    focal.get_by_role("button", name="Simpan kata sandi").click()
    focal.wait_for_url(re.compile(r"/masuk"))

    # A Focal Point must enrol a second factor before anything else.
    sign_in(focal, base_url, "budi.santoso@lkpp.example", "integritas itu harga mati")
    focal.wait_for_url(base_url + "/akun/dua-langkah")
    focal.goto(base_url + "/beranda")
    focal.wait_for_url(base_url + "/akun/dua-langkah")
    secret = focal.locator("input[name=secret]").get_attribute("value")
    link = focal.locator("a[href^='otpauth://totp/']")
    assert link.count() == 1
    screenshot(focal, "14-aktifkan-dua-langkah")

    # The QR code, as Chromium draws it, is read by a real decoder (zbar) into the same link and secret.
    qr_png = tmp_path / "kode-qr.png"
    focal.locator("#kode-qr svg").screenshot(path=str(qr_png))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(qr_png)],
        capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == link.get_attribute("href")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(decoded).query)
    assert query["secret"] == [secret]
    assert urllib.parse.unquote(urllib.parse.urlsplit(decoded).path) == "/Jaga Stranas PK:budi.santoso@lkpp.example"

    # On a phone the code fits the screen.
    focal.set_viewport_size({"width": 390, "height": 844})
    box = focal.locator("#kode-qr svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(focal, "14b-aktifkan-dua-langkah-ponsel")
    focal.set_viewport_size({"width": 1366, "height": 768})
    focal.fill("#code", totp.code(secret))
    focal.get_by_role("button", name="Aktifkan").click()
    codes = focal.locator(".code-list code").all_inner_texts()
    assert len(codes) == 10
    screenshot(focal, "15-kode-pemulihan")
    focal.get_by_role("link", name="Lanjut ke beranda").click()
    focal.wait_for_url(base_url + "/beranda")
    assert "Focal Point" in focal.locator(".panel").inner_text()

    # Signing in again asks for the code after the password.
    focal.get_by_role("button", name="Keluar").click()
    focal.wait_for_url(re.compile(r"/masuk\?pesan=keluar$"))
    sign_in(focal, base_url, "budi.santoso@lkpp.example", "integritas itu harga mati")
    focal.wait_for_url(base_url + "/masuk/kode")
    focal.fill("#code", "000000" if totp.code(secret) != "000000" else "111111")
    focal.get_by_role("button", name="Verifikasi").click()
    assert "tidak cocok" in focal.locator(".form-error").inner_text()
    totp.wait_for_next_step()
    focal.fill("#code", totp.code(secret))
    screenshot(focal, "16-masuk-dengan-kode")
    focal.get_by_role("button", name="Verifikasi").click()
    focal.wait_for_url(base_url + "/beranda")
    assert "Budi Santoso" in focal.locator("h1").inner_text()
    context.close()
