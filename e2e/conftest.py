"""Fixtures for the browser journeys: a real `jaga serve` on a free loopback port with a data directory of its own
(the embedded SQLite database the app migrated and seeded itself), and Debian's Chromium driven by Playwright."""

import atexit
import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM = os.environ.get("JAGA_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# How long a server may take to migrate, seed the demo (about 2.5 minutes on a debug build on this machine: every demo
# line goes through the reporting desk) and answer `/readyz`.
READY_SECONDS = 360

# The data directories the demo was seeded into once per date (the real date, or a JAGA_TODAY); each server at that
# date starts on a copy of one.
_seeded_templates = {}


def seeded_template(date_env) -> str:
    """The data directory of a server that seeded the demo at the date `date_env` sets (the real date when empty) and
    stopped cleanly: seeding takes minutes and gives the same result every time at the same date, so the journeys
    at one date start on copies of it."""
    key = tuple(sorted(date_env.items()))
    if key not in _seeded_templates:
        directory = tempfile.mkdtemp(prefix="jaga-e2e-template-")
        with serving(directory, dict(date_env)):
            pass
        (pathlib.Path(directory) / "serve.log").unlink(missing_ok=True)
        atexit.register(shutil.rmtree, directory, True)
        _seeded_templates[key] = directory
    return _seeded_templates[key]


@contextlib.contextmanager
def running_server(extra_env=None):
    """A `jaga serve` with its own fresh data directory, ready to serve; stopped and removed afterwards. The directory
    is a copy of one seeded once at the same date (`seeded_template`); a test that names its own directory seeds it."""
    extra_env = extra_env or {}
    data_dir = tempfile.mkdtemp(prefix="jaga-e2e-")
    if "JAGA_DATA_DIR" not in extra_env:
        date_env = {k: v for k, v in extra_env.items() if k in ("JAGA_TODAY", "JAGA_ENV")}
        shutil.copytree(seeded_template(date_env), data_dir, dirs_exist_ok=True)
    try:
        with serving(data_dir, extra_env) as url:
            yield url
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def serving(data_dir, extra_env):
    """`jaga serve` on `data_dir` (unless `extra_env` names another), ready to serve; stopped afterwards."""
    binary = os.environ.get("JAGA_BINARY", str(ROOT / ".build" / "debug" / "jaga"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"JAGA_DATA_DIR": data_dir, "JAGA_PORT": str(port), "JAGA_HOST": "127.0.0.1"})
    # The journeys check that a change shows at the next view; a page that keeps changing is rendered at most every
    # two seconds otherwise (ADR 0022), which a fast journey would trip over.
    env["JAGA_PAGE_REFRESH_SECONDS"] = "0"
    env.update(extra_env)
    log = open(pathlib.Path(data_dir) / "serve.log", "w")
    server = subprocess.Popen([binary, "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError("jaga serve exited: " + (pathlib.Path(data_dir) / "serve.log").read_text())
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jaga serve did not become ready within {READY_SECONDS} s")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# The token the shared server's `/metrics` asks for (`e2e/test_metrics.py`).
METRICS_TOKEN = "metrik-uji-0123456789abcdef"


@pytest.fixture(scope="session")
def base_url():
    """One server for the journeys that only read the demo data or add accounts (and scrape its metrics)."""
    with running_server({"JAGA_METRICS_TOKEN": METRICS_TOKEN}) as url:
        yield url


@pytest.fixture
def own_base_url():
    """A server of its own, for a journey that changes what the public pages show (a new published cycle)."""
    with running_server() as url:
        yield url


@pytest.fixture
def reporting_base_url():
    """A server of its own whose "today" is 5 April 2021, while the reporting window of TW I 2021 is open; its
    background runner looks for work every second."""
    with running_server({"JAGA_TODAY": "2021-04-05", "JAGA_ENV": "development", "JAGA_JOBS_POLL_SECONDS": "1"}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per journey, failing the journey on any console error (a CSP violation included)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors  # a journey that opens an error page on purpose clears what it expects
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"


def screenshot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
