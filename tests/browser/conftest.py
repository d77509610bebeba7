"""Playwright driving Debian's Chromium (/usr/bin/chromium), headless.

Locally the browser tests are skipped with a clear reason when Chromium is not
installed; in CI (CI=true) a missing browser is a failure, not a skip.
"""
import os
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _navigation_race(error):
    message = str(error)
    return any(sign in message for sign in (
        "Execution context was destroyed", "documentElement", "Target closed",
        "Cannot find context", "navigation"))


@pytest.fixture
def axe_check():
    """axe_check(page): fail on any serious or critical WCAG violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # A click on a link returns before the next page has loaded; running axe while
        # the document is being replaced fails with "Execution context was destroyed" or
        # a null documentElement. Wait for the page to settle, and run again if a
        # navigation still cut the run short.
        for attempt in range(4):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page)
                break
            except PlaywrightError as error:
                if attempt == 3 or not _navigation_race(error):
                    raise
                page.wait_for_timeout(200)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        details = [f"{v['id']} ({v['impact']}): {v['help']} -> "
                   f"{[n['target'] for n in v['nodes']][:3]}" for v in bad]
        assert not bad, f"{page.url}: " + "; ".join(details)

    return check


def follow(page, locator):
    """Click something that loads a page; return once that new page has loaded.

    A click returns as soon as it has been dispatched: waiting for the "load" state
    afterwards can see the old page, already loaded, and reading it or running axe
    then races the navigation (axe's "null documentElement")."""
    with page.expect_navigation(wait_until="load"):
        locator.click()


def sign_in(page, base_url, login, password):
    page.goto(f"{base_url}/auth/login", wait_until="load")
    page.get_by_label("Username or email address").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


def html(page):
    """The page's HTML once the document a click led to has finished loading.

    A click that starts a navigation returns when the new page starts loading, so
    reading page.content() straight away can see a half-parsed document."""
    page.wait_for_load_state("load")
    return page.content()


# Set before any page script: a payload that runs either opens a dialog (recorded by
# the handler below) or sets window.__xss; print() would not open a dialog headless.
_XSS_TRAP = """
window.__xss = undefined;
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__xss_calls = (window.__xss_calls || 0) + 1;
    return name === "print" ? undefined : original.apply(window, args);
  };
}
"""


class XssTrap:
    """A page that records every dialog and whether window.__xss was set or a dialog
    function called. ``bypass_csp``: the page's Content-Security-Policy is ignored, so
    what stops a payload is the sanitiser alone, not the CSP behind it."""

    def __init__(self, page):
        self.page, self.dialogs = page, []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def ran(self) -> list[str]:
        """What ran on the current page: dialogs, calls and the flag."""
        state = self.page.evaluate("() => [window.__xss, window.__xss_calls || 0]")
        found = list(self.dialogs)
        if state[0] is not None:
            found.append(f"window.__xss = {state[0]!r}")
        if state[1]:
            found.append(f"{state[1]} call(s) of alert/confirm/prompt/print")
        self.dialogs.clear()
        return found


@pytest.fixture
def xss_trap(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    context.add_init_script(_XSS_TRAP)
    page = context.new_page()
    yield XssTrap(page)
    context.close()
