"""Every page of the demo, public and signed in as each role, at a phone's size and a desktop's: no axe-core
violation of WCAG 2.0/2.1 A and AA, nothing wider than the screen, no content cut off, and every region that scrolls
sideways says so. Each page again in English: in both languages no raw locale key, no workflow or calendar code, and
no sentence of the other language outside an element that marks its `lang`. The pages are found by following links
from `/` and from each role's `/beranda`; one page of each kind is checked (`/aksi/5` stands for every aksi). The
public forms are checked again as they come back with an error."""

import time

import pytest

from conftest import ARTIFACTS, screenshot
from page_sweep import SIZES, accessibility_problems, language_problems, layout_problems, links_on, page_kind
from test_accounts_journey import demo_password, sign_in
from test_home_tasks_journey import ROLES

# The crawl's bounds: pages per visitor, and seconds in all.
PAGES_PER_VISITOR = 60
SECONDS = 900

# The public pages photographed at both sizes (e2e/artifacts/50-*), by kind.
PHOTOGRAPHED = {"/": "beranda", "/dasbor": "dasbor", "/aksi/:n": "aksi", "/instansi/:n": "instansi",
                "/bantuan": "bantuan"}

# Pages a link does not reach on its own: aksi 5 (the demo's fullest), the error page, a filtered directory, a search.
EXTRA_PUBLIC = ["/aksi/5", "/aksi/999", "/instansi?jenis=provinsi&q=sulawesi", "/cari?q=pengadaan"]

# The public forms sent back with an error: the path, what to fill (selector, value) and the button to press.
FORM_ERRORS = [
    ("/lacak", [("#kode", "0000 0000 0000 0000 0000")], "Buka laporan"),
    ("/lapor", [("#teks-laporan", "terlalu pendek")], "Kirim laporan"),
    ("/masukan", [("#teks-masukan", "pendek")], "Kirim masukan"),
]


# Each on a server of its own: the crawl opens every route, which the shared server's metrics test must not see.
@pytest.mark.parametrize("server", ["reporting_base_url", "own_base_url"], ids=["tw1-open", "today"])
def test_every_page_fits_and_passes_axe(browser, server, request):
    """Twice: on 5 April 2021, while TW I's window is open (the reporting pages with work in them), and today, when
    every line of the demo has been decided (verified results, evidence, the verifikator's history)."""
    base_url = request.getfixturevalue(server)
    deadline = time.monotonic() + SECONDS
    problems = {}
    covered = []
    public_kinds = set()

    def sweep(who, starts, seen, email=None):
        pages = {}
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID", bypass_csp=True)
            pages[size] = context.new_page()
            if email:
                sign_in(pages[size], base_url, email, demo_password(pages[size], base_url, email))
                pages[size].wait_for_url(base_url + "/beranda")
        # The same pages in English, at the desktop's size: in that language only, and still fitting.
        english = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True).new_page()
        if email:
            sign_in(english, base_url, email, demo_password(english, base_url, email))
            english.wait_for_url(base_url + "/beranda")
        english.goto(base_url + "/bahasa/en?kembali=/")
        queue = list(starts)
        visited = 0
        while queue and visited < PAGES_PER_VISITOR and time.monotonic() < deadline:
            path = queue.pop(0)
            kind = page_kind(path)
            if kind in seen:
                continue
            seen.add(kind)
            visited += 1
            for size, page in pages.items():
                response = page.goto(base_url + path)
                check(page, f"{who} {size} {path}", response.status, language="id" if size == "desktop" else None)
                if who == "publik" and kind in PHOTOGRAPHED and server == "own_base_url":
                    screenshot(page, f"50-{PHOTOGRAPHED[kind]}-{size}")
                if size == "ponsel":
                    queue += [link for link in links_on(page, base_url) if page_kind(link) not in seen]
            english.goto(base_url + path)
            found = language_problems(english, "en") + layout_problems(english)
            if found:
                problems[f"{who} english {path}"] = found
            covered.append(f"{who} {path}")
        for page in [*pages.values(), english]:
            page.context.close()

    def check(page, where, status, language=None):
        found = [f"HTTP {status}"] if status >= 500 else []
        found += layout_problems(page) + accessibility_problems(page)
        if language:
            found += language_problems(page, language)
        if found:
            problems[where] = found

    def form_errors():
        for size, (width, height) in SIZES.items():
            page = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID", bypass_csp=True
                                       ).new_page()
            for path, fields, button in FORM_ERRORS:
                page.goto(base_url + path)
                # The browser's own checks (required, minlength) would stop the form before the portal sees it.
                page.eval_on_selector_all("form", "forms => forms.forEach(f => f.noValidate = true)")
                if page.locator("#instansi").count():
                    page.select_option("#instansi", index=1)
                for selector, value in fields:
                    page.fill(selector, value)
                with page.expect_response(lambda r: r.request.method == "POST") as answer:
                    page.get_by_role("button", name=button, exact=True).click()
                page.wait_for_load_state()
                status = answer.value.status
                if status < 400:
                    problems[f"publik {size} {path} with an error"] = [f"HTTP {status}: the form took bad input"]
                check(page, f"publik {size} {path} with an error", status, language="id")
                if size == "desktop":
                    covered.append(f"publik {path} (sent back with an error)")
            page.context.close()

    sweep("publik", ["/"] + EXTRA_PUBLIC, public_kinds)
    form_errors()
    for name, (local, _) in ROLES.items():
        sweep(name, ["/beranda"], set(public_kinds), f"{local}@demo.jaga-stranas.example")

    (ARTIFACTS / f"page-sweep-{request.node.callspec.id}.txt").write_text(
        f"{len(covered)} pages x {len(SIZES)} sizes\n" + "\n".join(covered) + "\n")
    assert time.monotonic() < deadline, "the sweep ran out of time before it reached every page"
    report = "\n".join(f"{where}:\n    " + "\n    ".join(found) for where, found in problems.items())
    assert not problems, f"{len(problems)} of {len(covered) * len(SIZES)} page views have problems:\n{report}"
