"""Every role's /beranda on the demo, on 5 April 2021 while TW I 2021 is open: the work comes first, as a task list
with counts, a status and the deadline, then the account; the header carries the role's work links."""

import re

from conftest import screenshot
from test_accounts_journey import demo_password, sign_in

ROLES = {
    "unit-teknis": ("unit.teknis", "Laporan"),
    "admin-instansi": ("admin.instansi", "Laporan"),
    "focal-point": ("focal.point", "Laporan"),
    "verifikator": ("verifikator.setnas", "Verifikasi"),
    "admin-setnas": ("admin.setnas", "Laporan masyarakat"),
    "timnas": ("timnas", None),
}
# A count and a deadline in one task's hint: "12 baris TW I 2021 belum diisi; batas waktu 15 April 2021, 10 hari lagi".
COUNTED_WITH_DEADLINE = re.compile(r"^\d+ .*(batas waktu|tenggat terdekat|sebaiknya selesai) \d+ \w+ \d{4}")


def test_every_role_lands_on_its_work(browser, reporting_base_url):
    base_url = reporting_base_url
    for name, (local, work_link) in ROLES.items():
        for size, (width, height) in {"desktop": (1366, 768), "ponsel": (390, 844)}.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            email = f"{local}@demo.jaga-stranas.example"
            sign_in(page, base_url, email, demo_password(page, base_url, email))
            page.wait_for_url(base_url + "/beranda")
            tasks = page.locator(".task-list .task")
            assert tasks.count() >= 1
            hints = [tasks.nth(i).locator(".task__hint").inner_text() for i in range(tasks.count())]
            counted = [h for h in hints if COUNTED_WITH_DEADLINE.search(h)]
            assert counted, f"{name}: no task with a count and a deadline in {hints}"
            # The work comes before the account card.
            headings = page.locator("main h2").all_inner_texts()
            assert headings.index("Pekerjaan Anda") < headings.index("Akun Anda"), headings
            assert "segera" not in page.locator("main").inner_text()
            if work_link:
                assert page.locator(".site-nav").get_by_role("link", name=work_link, exact=True).count() == 1
            # Nothing on the page is wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            screenshot(page, f"40-beranda-{name}-{size}")
            # Each task leads to a page the role may open.
            if size == "desktop":
                first = tasks.nth(0).locator("a.task__title")
                href = first.get_attribute("href")
                response = page.request.get(base_url + href)
                assert response.status == 200, f"{name}: {href} → {response.status}"
            context.close()
