"""The quarterly loop, as the demo officials of LKPP and Setnas live it on 5 April 2021: the Unit Teknis fills two
lines with a PDF and a photo, the Focal Point submits them, the verifikator accepts one and returns the other with a
reason, the Unit Teknis follows the notification of the return to the line, fixes and resubmits it, the verifikator
accepts it, and the public aksi page shows the verified values with the public evidence and its SHA-256. A citizen then reports misconduct about that line with a
photo, Setnas forwards it, LKPP's Focal Point answers, and the citizen reads and accepts the answer with the receipt code."""

import hashlib
import re

from conftest import screenshot
from page_sweep import assert_sound_at_both_sizes
from test_accounts_journey import demo_password, sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PHOTO = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + b"JFIF\x00" + bytes(range(256)) * 4
ROLE = {
    "setnas": "admin.setnas@demo.jaga-stranas.example",
    "unit": "unit.teknis@demo.jaga-stranas.example",
    "focal": "focal.point@demo.jaga-stranas.example",
    "admin": "admin.instansi@demo.jaga-stranas.example",
    "verifikator": "verifikator.setnas@demo.jaga-stranas.example",
}


def become(page, base_url, passwords, who):
    if page.get_by_role("button", name="Keluar").count():
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url(re.compile(r"/masuk"))
    sign_in(page, base_url, ROLE[who], passwords[who])
    page.wait_for_url(base_url + "/beranda")


def open_line(page, base_url, code):
    page.goto(base_url + "/laporan")
    page.locator("table.report-table").get_by_role("link", name=code, exact=True).click()
    page.wait_for_url(re.compile(r"/laporan/baris/\d+$"))


def test_report_verify_return_fix_accept(page, browser, reporting_base_url, tmp_path):
    base_url = reporting_base_url
    # A citizen reads the public pages without an account, in a browser of their own: what they see comes from the
    # page cache, which must never show them a page older than the latest decision.
    citizen = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    passwords = {who: demo_password(page, base_url, email) for who, email in ROLE.items()}
    pdf = tmp_path / "berita-acara.pdf"
    pdf.write_bytes(PDF)
    photo = tmp_path / "foto-rapat.jpg"
    photo.write_bytes(PHOTO)
    pdf_hash = hashlib.sha256(PDF).hexdigest()

    # The Unit Teknis fills two lines, each with the PDF (public) and the photo.
    become(page, base_url, passwords, "unit")
    page.locator(".site-nav").get_by_role("link", name="Laporan", exact=True).click()
    page.wait_for_url(base_url + "/laporan")
    assert "Laporan capaian TW I 2021" in page.locator("h1").inner_text()
    screenshot(page, "30-laporan-instansi")
    for code, value in (("5.1.1", "5"), ("4.1.1", "1")):
        open_line(page, base_url, code)
        assert "Panduan pengisian" in page.locator(".lead").inner_text()
        page.fill("#capaian", value)
        page.fill("#narasi", f"Capaian {code} triwulan I: katalog dan layanan berjalan.")
        page.fill("#kendala", "Integrasi data daerah belum merata.")
        page.fill("#tindakLanjut", "Pendampingan teknis pada triwulan II.")
        page.set_input_files("#bukti", [str(pdf), str(photo)])
        page.get_by_label("Tampilkan berkas baru ini ke publik setelah baris diterima").check()
        if code == "5.1.1":
            screenshot(page, "31-isi-baris")
        page.get_by_role("button", name="Simpan dan ajukan ke reviu instansi").click()
        page.wait_for_url(re.compile(r"pesan=submit_for_review$"))
        assert "Menunggu reviu" in page.locator(".page-header").inner_text()
        # Each file's hash sits behind "lihat sidik".
        evidence = page.locator(".evidence-list")
        assert pdf_hash not in evidence.inner_text()
        evidence.locator(".fingerprint summary").first.click()
        assert pdf_hash in evidence.inner_text()

    # 4.1.1 went to review too soon: the Unit Teknis takes it back, and sends it again.
    open_line(page, base_url, "4.1.1")
    page.get_by_role("button", name="Tarik dari reviu").click()
    page.wait_for_url(re.compile(r"pesan=withdraw$"))
    assert "Draf" in page.locator(".page-header").inner_text()
    page.get_by_role("button", name="Simpan dan ajukan ke reviu instansi").click()
    page.wait_for_url(re.compile(r"pesan=submit_for_review$"))

    # The Admin Instansi sends 4.1.1 back with a note (none is refused by the browser), then approves it fixed.
    become(page, base_url, passwords, "admin")
    open_line(page, base_url, "4.1.1")
    send_back = page.get_by_role("button", name="Kembalikan ke draf")
    assert "button--quiet" in send_back.get_attribute("class")
    send_back.click()
    assert re.search(r"/laporan/baris/\d+$", page.url)  # the required note stopped the form
    note = "Lampirkan daftar hadir rapat koordinasi sebagai bukti."
    page.fill("#catatan-reviu", note)
    screenshot(page, "30b-reviu-instansi")
    send_back.click()
    page.wait_for_url(re.compile(r"pesan=send_back$"))
    become(page, base_url, passwords, "unit")
    page.goto(base_url + "/notifikasi")
    for _ in range(20):
        if page.locator("li.notice-item", has_text="Baris 4.1.1 TW I 2021 dikembalikan ke draf").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert note in page.locator("li.notice-item", has_text="dikembalikan ke draf").inner_text()
    open_line(page, base_url, "4.1.1")
    banner = page.locator(".notice-inline--returned").inner_text()
    assert "Dikembalikan ke draf oleh" in banner and note in banner
    page.get_by_role("button", name="Simpan dan ajukan ke reviu instansi").click()
    page.wait_for_url(re.compile(r"pesan=submit_for_review$"))
    become(page, base_url, passwords, "admin")
    open_line(page, base_url, "4.1.1")
    page.get_by_role("button", name="Setujui hasil reviu").click()
    page.wait_for_url(re.compile(r"pesan=approve_review$"))
    assert "Direviu oleh" in page.locator(".page-header").inner_text()

    # The Focal Point, on a phone, approves 5.1.1; only then are both offered, after a check of what goes.
    become(page, base_url, passwords, "focal")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/laporan")
    assert page.get_by_role("button", name="Periksa semua yang sudah direviu (1)").count() == 1
    open_line(page, base_url, "5.1.1")
    page.get_by_role("button", name="Setujui hasil reviu").click()
    page.wait_for_url(re.compile(r"pesan=approve_review$"))
    page.goto(base_url + "/laporan")
    page.get_by_role("button", name="Periksa semua yang sudah direviu (2)").click()
    page.wait_for_url(re.compile(r"/laporan/periksa"))
    assert "Periksa sebelum mengajukan ke Setnas" in page.locator("h1").inner_text()
    assert "15 April 2021, 10 hari lagi" in page.locator(".summary-list").first.inner_text()
    assert page.locator("article.check-line").count() == 2
    assert "Belum ikut diajukan" in page.locator("#belum-siap").inner_text()
    screenshot(page, "31b-periksa-pengajuan-ponsel")
    page.get_by_role("button", name="Ajukan 2 baris ke Setnas").click()
    page.wait_for_url(re.compile(r"diajukan=2"))
    assert "2 baris diajukan ke Setnas" in page.locator(".confirmation-panel").inner_text()
    assert "Apa yang terjadi selanjutnya" in page.locator("#selanjutnya").inner_text()
    screenshot(page, "31c-konfirmasi-ponsel")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The verifikator accepts 5.1.1 and returns 4.1.1 with a reason.
    become(page, base_url, passwords, "verifikator")
    page.locator(".site-nav").get_by_role("link", name="Verifikasi", exact=True).click()
    page.wait_for_url(base_url + "/verifikasi")
    assert page.locator("table tbody tr").count() == 2
    screenshot(page, "32-antrean-verifikasi")
    page.get_by_role("link", name="5.1.1").click()
    # The evidence opens in the page, without a download: the photo as an image, the PDF in a frame.
    with page.expect_response(lambda r: "tampil=1" in r.url and r.request.resource_type == "image") as shown:
        page.locator("details.evidence-view summary", has_text="foto-rapat.jpg").click()
    assert shown.value.status == 200 and shown.value.headers["content-disposition"] == "inline"
    with page.expect_response(lambda r: "tampil=1" in r.url and r.request.resource_type == "document") as framed:
        page.locator("details.evidence-view summary", has_text="berita-acara.pdf").click()
    assert framed.value.headers["content-type"] == "application/pdf"
    assert framed.value.headers["content-disposition"] == "inline"
    screenshot(page, "32b-bukti-di-halaman")
    page.fill("#nilai", "5")
    page.fill("#catatan", "Sesuai berita acara dan tangkapan layar katalog.")
    page.get_by_role("button", name="Terima", exact=True).click()
    page.wait_for_url(re.compile(r"pesan=accept$"))
    assert "Nilai terverifikasi Setnas: 5" in page.locator(".verified").inner_text()
    page.goto(base_url + "/verifikasi")
    page.get_by_role("link", name="4.1.1").click()
    reason = "Foto rapat tidak menunjukkan tanggal; lampirkan notulen yang ditandatangani."
    page.fill("#alasan", reason)
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    page.wait_for_url(re.compile(r"pesan=return$"))

    # The verification shows at once on the national dashboard, in the K/L ranking and on LKPP's scorecard, and in
    # the CSV of each.
    page.goto(base_url + "/dasbor")
    national = page.locator(".headline-score .score-big").inner_text()
    assert national != "0%" and national.endswith("%")
    ranking = page.locator(".ranking", has_text="Peringkat Kementerian/Lembaga")
    lkpp_row = ranking.locator("tr", has_text="Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah")
    assert lkpp_row.locator("td").nth(1).inner_text() != "0%"
    screenshot(page, "35-dasbor")
    csv = page.request.get(base_url + "/dasbor/data.csv?periode=2021-2022&triwulan=1&tabel=nasional").text()
    assert csv.splitlines()[1].split(",")[2] == national.rstrip("%").replace(",", ".")
    lkpp_row.get_by_role("link").click()
    card = page.locator(".scorecard")
    assert "Rapor capaian pada akhir TW I 2021" in card.inner_text()
    card_score = card.locator(".score-big").inner_text()
    card_csv = page.request.get(base_url + card.get_by_role("link", name="Unduh angka tabel ini (CSV)").get_attribute("href")).text()
    assert f"TW I 2021,{card_score.rstrip('%').replace(',', '.')}," in card_csv
    screenshot(page, "36-rapor-instansi")

    # Admin Setnas publishes TW I: a frozen report with its hash.
    become(page, base_url, passwords, "setnas")
    page.goto(base_url + "/setnas/periode/2021-2022")
    page.get_by_role("link", name="Terbitkan TW I 2021").click()
    # 5 April is before the window locks: the check page asks why (test_results_publishing_journey.py goes further).
    page.fill("#alasan", "Angka sementara untuk rapat koordinasi nasional.")
    page.get_by_role("button", name="Terbitkan sebelum dikunci dan bekukan").click()
    page.wait_for_url(base_url + "/laporan-capaian/2021-2022/1")
    assert "Laporan Capaian Triwulan I Tahun 2021" in page.locator("h1").inner_text()
    published_hash = page.locator(".hash-line .hash").first.inner_text()
    published_score = page.locator(".result-report .score-big").inner_text()
    screenshot(page, "37-laporan-capaian")
    assert_sound_at_both_sizes(page, "51-laporan-capaian")

    # The Unit Teknis finds an unread notification in the header, reads it and follows it to the returned line.
    become(page, base_url, passwords, "unit")
    inbox_link = page.locator("a.inbox-link")
    for _ in range(20):
        if inbox_link.locator(".count-badge").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert int(inbox_link.locator(".count-badge").get_attribute("data-unread")) >= 1
    inbox_link.click()
    page.wait_for_url(base_url + "/notifikasi")
    notice = page.locator("li.notice-item--unread", has_text="Baris 4.1.1 TW I 2021 dikembalikan verifikator")
    assert reason in notice.inner_text()
    screenshot(page, "32-notifikasi")
    unread_before = int(page.locator("a.inbox-link .count-badge").get_attribute("data-unread"))
    notice.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/laporan/baris/\d+$"))
    assert "4.1.1" in page.locator("h1").inner_text()
    assert reason in page.locator(".notice-inline--returned").inner_text()
    badge = page.locator("a.inbox-link .count-badge")
    assert (int(badge.get_attribute("data-unread")) if badge.count() else 0) == unread_before - 1
    page.goto(base_url + "/laporan")
    assert "Perlu perbaikan" in page.locator("tr", has_text="4.1.1").inner_text()
    open_line(page, base_url, "4.1.1")
    screenshot(page, "33-perlu-perbaikan")
    page.fill("#narasi", "Capaian 4.1.1 triwulan I; notulen rapat bertanggal terlampir.")
    page.get_by_role("button", name="Simpan dan ajukan ulang ke Setnas").click()
    page.wait_for_url(re.compile(r"pesan=resubmit$"))
    history = page.locator("#riwayat + ol").inner_text()
    assert "narasi diubah" in history and reason in history

    citizen.goto(base_url + "/dasbor")
    before_accept = citizen.locator(".headline-score .score-big").inner_text()
    citizen.goto(base_url + "/dasbor")
    assert citizen.locator(".headline-score .score-big").inner_text() == before_accept
    assert citizen.request.get(base_url + "/dasbor").headers.get("x-jaga-cache") == "hit"

    # The verifikator accepts it.
    become(page, base_url, passwords, "verifikator")
    page.goto(base_url + "/verifikasi")
    page.get_by_role("link", name="4.1.1").click()
    page.fill("#nilai", "1")
    page.get_by_role("button", name="Terima", exact=True).click()
    page.wait_for_url(re.compile(r"pesan=accept$"))

    # The dashboard moves with the new verification, for the citizen too; the published report does not.
    page.goto(base_url + "/dasbor")
    moved = page.locator(".headline-score .score-big").inner_text()
    assert moved != national and moved != before_accept
    citizen.goto(base_url + "/dasbor")
    assert citizen.locator(".headline-score .score-big").inner_text() == moved
    page.goto(base_url + "/laporan-capaian/2021-2022/1")
    assert page.locator(".hash-line .hash").first.inner_text() == published_hash
    assert page.locator(".result-report .score-big").inner_text() == published_score

    # The public aksi page shows the verified value beside the claim, and the public evidence with its hash.
    page.get_by_role("button", name="Keluar").click()
    page.goto(base_url + "/aksi/5")
    verified = page.locator("table.verified-results")
    assert "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah" in verified.inner_text()
    verified.locator(".fingerprint summary").first.click()
    assert pdf_hash in verified.inner_text()
    screenshot(page, "34-capaian-terverifikasi")
    href = verified.get_by_role("link", name="berita-acara.pdf").get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.status == 200
    assert hashlib.sha256(response.body()).hexdigest() == pdf_hash
    # The chain's head is in every page's footer.
    assert re.search(r"[0-9a-f]{64}", page.locator(".chain-head").inner_text())

    # The citizen reports misconduct about LKPP's verified line, anonymously, and gets a receipt code. Nothing the
    # report pages load comes from anywhere but the portal.
    hosts = set()
    citizen.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    citizen.goto(base_url + "/aksi/5")
    lkpp_line = citizen.locator("table.verified-results tr", has_text="Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah")
    lkpp_line.first.get_by_role("link", name="Laporkan penyimpangan").click()
    citizen.wait_for_url(re.compile(r"/lapor\?baris=\d+$"))
    assert "Anonim dan rahasia." in citizen.locator(".notice-inline").inner_text()
    misconduct = "Berita acara verifikasi 5.1.1 ditandatangani sebelum rapatnya terjadi; saya hadir di rapat itu."
    citizen.fill("#teks-laporan", misconduct)
    citizen.fill("#kontak", "saksi.rapat@contoh.example")
    citizen.set_input_files("#bukti", str(photo))
    screenshot(citizen, "40-lapor")
    citizen.get_by_role("button", name="Kirim laporan").click()
    code = citizen.locator(".receipt-code code").inner_text()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4} \d{4}", code)
    screenshot(citizen, "41-kode-tanda-terima")
    assert_sound_at_both_sizes(citizen, "52-kode-tanda-terima")
    assert hosts == {base_url.split("/")[2]}

    # Setnas reads it with the contact, verifies it and forwards it to LKPP.
    become(page, base_url, passwords, "setnas")
    page.goto(base_url + "/setnas/laporan-masyarakat")
    page.get_by_role("link", name="No. 1").click()
    assert misconduct in page.locator(".case-text").first.inner_text()
    assert "saksi.rapat@contoh.example" in page.locator("main").inner_text()
    attachment = page.request.get(base_url + page.locator(".case-files a").get_attribute("href"))
    assert attachment.status == 200 and attachment.body() == PHOTO
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_role("button", name="Teruskan ke instansi").click()
    assert "Diteruskan ke instansi" in page.locator(".facts").inner_text()

    # LKPP's Focal Point answers; it never sees the contact.
    become(page, base_url, passwords, "focal")
    page.goto(base_url + "/beranda")
    page.locator(".site-nav").get_by_role("link", name="Laporan masyarakat", exact=True).click()
    page.get_by_role("link", name="No. 1").click()
    assert "saksi.rapat" not in page.locator("main").inner_text()
    answer = "Inspektorat LKPP memeriksa berita acara itu; penandatangannya dibebastugaskan selama pemeriksaan."
    page.fill("#tanggapan", answer)
    page.get_by_role("button", name="Kirim tanggapan resmi").click()
    assert "Ditanggapi" in page.locator(".facts").inner_text()

    # In a fresh browser, the code opens the case: the answer is there, and the citizen accepts it.
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    fresh.goto(base_url + "/lacak")
    fresh.fill("#kode", code)
    fresh.get_by_role("button", name="Buka laporan").click()
    assert answer in fresh.locator(".conversation").inner_text()
    screenshot(fresh, "42-lacak-tanggapan")
    assert_sound_at_both_sizes(fresh, "53-lacak")
    fresh.get_by_role("button", name="Tanggapan ini menyelesaikan laporan saya").click()
    assert "Selesai" in fresh.locator(".facts").inner_text()
    fresh.context.close()

    # LKPP's scorecard counts one answered case, and says nothing of its content.
    citizen.goto(base_url + "/instansi")
    citizen.get_by_role("link", name="Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah").first.click()
    assert "Laporan masyarakat: 1 diteruskan, 1 ditanggapi, 0 terlambat ditanggapi." in citizen.locator("main").inner_text()
    assert "berita acara verifikasi" not in citizen.locator("main").inner_text().lower()
    citizen.context.close()
