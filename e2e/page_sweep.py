"""What every page of the portal must hold to at every size: the checks `test_every_page.py` runs on each page it
reaches, and the crawl that reaches them."""

import json
import pathlib
import re
import urllib.parse

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
# WCAG 2.0 and 2.1, levels A and AA.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}

SIZES = {"ponsel": (390, 844), "desktop": (1366, 768)}

# Links the crawl does not follow: downloads, the API, files, sign-out and the language switch (a write of a cookie),
# one-time links, and the operations endpoints.
NOT_PAGES = re.compile(
    r"(\.csv|\.yaml|/json|/pdf|/cetak)$|^/(api/v1|bukti|keluar|bahasa|aktivasi|metrics|healthz|readyz)(/|$)"
    r"|^/notifikasi/\d+/buka$")


def page_kind(path_and_query: str) -> str:
    """The page a link shows, whatever record it is about: "/aksi/5" and "/aksi/7" are one kind, and so are two
    queries with the same parameter names."""
    parts = urllib.parse.urlsplit(path_and_query)
    path = re.sub(r"/[0-9a-f]{16,}", "/:hash", parts.path)
    path = re.sub(r"/indikator/[^/]+", "/indikator/:kode", path)
    path = re.sub(r"/laporan-capaian/[^/]+/[^/]+", "/laporan-capaian/:kode/:tw", path)
    path = re.sub(r"/\d+", "/:n", path)
    names = sorted({name for name, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(names) if names else "")


# Measured in the page: the page's width against the viewport's; content clipped by an element that hides its
# overflow; a table cell whose content spills over its neighbours; a region that scrolls sideways without saying so
# (`.table-scroll`: a labelled, focusable region whose edge shadows show that more lies beyond).
LAYOUT_PROBLEMS_JS = """() => {
  const problems = [];
  const width = window.innerWidth;
  const describe = (el) => {
    let text = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const words = (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return text + (words ? ` ("${words}")` : '');
  };
  // Inside a box shrunk to one pixel: text kept for screen readers only (a stacked table's column names).
  const hiddenForScreenReadersOnly = (el) => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      const rect = box.getBoundingClientRect();
      if (rect.width <= 1 && rect.height <= 1) return true;
    }
    return false;
  };
  const page = document.documentElement.scrollWidth;
  if (page > width) {
    problems.push(`the page is ${page} px wide in a ${width} px viewport`);
    const wide = [...document.body.querySelectorAll('*')].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.right > width + 1 && box.width > 0 && el.children.length === 0;
    }).slice(0, 3);
    for (const el of wide) problems.push(`  reaching past the edge: ${describe(el)}`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.clientWidth <= 1 || el.closest('.visually-hidden, .skip-link, .honeypot')) continue;
    const style = getComputedStyle(el);
    const over = el.scrollWidth - el.clientWidth;
    if (over <= 1 || hiddenForScreenReadersOnly(el)) continue;
    if (el.matches('td, th') && style.overflowX === 'visible') {
      problems.push(`a table cell's content spills ${over} px over its neighbours: ${describe(el)}`);
    } else if (style.overflowX === 'hidden' || style.overflowX === 'clip') {
      problems.push(`${over} px of content is cut off: ${describe(el)}`);
    } else if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
      if (!el.matches('.table-scroll[tabindex="0"][role="region"]:is([aria-label], [aria-labelledby])')) {
        problems.push(`scrolls sideways without showing it: ${describe(el)}`);
      }
    }
  }
  return problems;
}"""


def layout_problems(page):
    return page.evaluate(LAYOUT_PROBLEMS_JS)


def accessibility_problems(page):
    results = AXE.run(page, options=AXE_OPTIONS)
    problems = []
    for violation in results.response["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def links_on(page, base_url):
    """The page's links to pages of the same site, as path and query."""
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" != base_url:
            continue
        target = parts.path + ("?" + parts.query if parts.query else "")
        if not NOT_PAGES.search(parts.path):
            found.append(target)
    return found


def assert_sound_at_both_sizes(page, name):
    """The page open in `page`, at a phone's size and a desktop's: no axe violation, nothing wider than the screen,
    nothing cut off; photographed at each size as e2e/artifacts/`name`-ponsel.png and -desktop.png."""
    from conftest import screenshot

    original = page.viewport_size
    problems = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        found = layout_problems(page) + accessibility_problems(page)
        if found:
            problems[size] = found
        screenshot(page, f"{name}-{size}")
    page.set_viewport_size(original)
    assert not problems, f"{name}: {problems}"


# Every key of the locale catalogs: none may reach a page as it is.
LOCALE_KEYS = sorted(json.loads((pathlib.Path(__file__).resolve().parent.parent / "Resources" / "Locales" /
                                 "id.json").read_text()))

# Words that give a language away, and the codes the workflow and the calendar keep for machines.
LANGUAGE_PROBLEMS_JS = """([keys, language]) => {
  const tells = {
    en: ['the', 'and', 'of', 'with', 'from', 'your', 'this', 'not', 'yet', 'has', 'have', 'which', 'when'],
    id: ['dan', 'yang', 'untuk', 'dengan', 'dari', 'belum', 'tidak', 'atau', 'pada', 'ini', 'oleh', 'sudah', 'akan'],
  };
  const other = language === 'id' ? 'en' : 'id';
  const foreign = new Set(tells[other]);
  const keySet = new Set(keys);
  // Codes no page may show, and English workflow words an Indonesian page must not show.
  const codes = /\\b(B[0-2][0-9]|TW [1-8]|submit_for_review|submit_to_setnas|approve_review|send_back)\\b/;
  const englishCodes = /\\b(accept|submitted|accepted|returned|reviewed)\\b/;
  const problems = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, code, pre, .hash, [hidden]')) continue;
    const text = node.textContent.trim();
    if (!text) continue;
    const marked = parent.closest('[lang]');
    const lang = marked ? marked.getAttribute('lang').slice(0, 2) : language;
    if (lang !== language) continue;
    for (const token of text.match(/[a-z_]+(?:\\.[a-z0-9_]+)+/g) || []) {
      if (keySet.has(token)) problems.add(`a raw locale key: "${token}"`);
    }
    const code = text.match(codes) || (language === 'id' ? text.match(englishCodes) : null);
    if (code) problems.add(`a code, not words: "${code[1]}" in "${text.slice(0, 80)}"`);
    const words = text.toLowerCase().match(/[a-z]+/g) || [];
    const found = words.filter((w) => foreign.has(w));
    if (found.length >= 2) {
      problems.add(`${other === 'id' ? 'Indonesian' : 'English'} outside lang="${other}": "${text.slice(0, 90)}"`);
    }
  }
  return [...problems];
}"""


def language_problems(page, language):
    """Text in the page's language only: no raw locale key, no workflow or calendar code, and no sentence of the
    other language unless an element marks it with that language's `lang`."""
    return page.evaluate(LANGUAGE_PROBLEMS_JS, [LOCALE_KEYS, language])
