"""Browser tests: the app served on 127.0.0.1 in a thread, Debian's Chromium driven by Playwright.

Playwright's Python client launches /usr/bin/chromium by its path (never a browser of its own);
`make install` puts Chromium there. Screenshots of every page go to test-artifacts/browser/.
"""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (it installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_server(app):
    """The test app (a copy of the demo database) served on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


class Pages:
    """A browser tab for one user: log in, go to pages, keep a screenshot of each step."""

    def __init__(self, chromium, base_url, name):
        self.context = chromium.new_context(viewport={"width": 1440, "height": 960}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.base_url = base_url
        self.name = name
        self.shots = 0
        self.errors = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("console", self._csp_violation)  # the CSP must not block what the pages need

    def _csp_violation(self, message):
        if "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def goto(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def login(self, username, password="tonghu-demo"):
        self.goto("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_load_state()

    def shot(self, label):
        self.shots += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def pages(chromium, live_server):
    opened = []

    def open_as(name):
        tab = Pages(chromium, live_server, name)
        opened.append(tab)
        return tab

    yield open_as
    for tab in opened:
        tab.close()
    errors = [e for tab in opened for e in tab.errors]
    assert not errors, f"JavaScript errors in the pages: {errors}"
