"""The XSS corpus (tests/data/xss_payloads.txt), stored in every field shown back
(tests/data/hostile_pages.py), runs nowhere in Chromium: no dialog opens and no
payload sets window.__xss, with the CSP switched off so the sanitiser alone is what
stops them. tests/test_hostile_input.py checks the same pages' HTML against the
allowlist; this proves the browser agrees. SQLite only: there each field holds the
whole corpus, so one page per field (PostgreSQL would need a page per slice).
"""
import os

import pytest

from tests.browser.conftest import sign_in
from tests.data.hostile_pages import SHOWN, build_hostile_site, payloads

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="the browser part of the hostile-text proof runs on SQLite")

# Hover, focus and toggle what a visitor would, so handlers such as onmouseover,
# onfocus and ontoggle get their chance; and read every link as the browser parsed it.
_PROVOKE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    for (const kind of ["mouseover", "mouseenter", "pointerenter", "focus", "click"]) {
      if (kind === "click" && (el.closest("a[href], button, form, summary"))) continue;
      el.dispatchEvent(new Event(kind, {bubbles: true}));
    }
  }
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (!["http:", "https:", "mailto:"].includes(a.protocol)) bad.push(a.getAttribute("href"));
  }
  return bad;
}"""


def test_the_trap_catches_a_payload_that_runs(xss_trap):
    page = xss_trap.page
    page.set_content("<img src=x onerror=alert(1)><script>window.__xss=1</script>")
    page.wait_for_timeout(100)
    assert xss_trap.ran()


def test_no_stored_payload_runs_in_chromium(live_server, xss_trap):
    assert len(payloads()) >= 100
    site = build_hostile_site(live_server.app)
    page, base = xss_trap.page, live_server.url
    problems, signed_in = [], None
    for hostile in sorted(site.pages, key=lambda p: p.viewer):
        if hostile.viewer != signed_in:
            page.context.clear_cookies()
            if hostile.viewer != "anonymous":
                sign_in(page, base, site.users[hostile.viewer].username, "correct horse battery")
                xss_trap.ran()  # the sign-in pages are not under test
            signed_in = hostile.viewer
        response = page.goto(base + hostile.url, wait_until="load")
        where = f"{hostile.viewer} {hostile.url} ({hostile.label})"
        if response.status != 200 or not SHOWN.search(page.inner_text("body")):
            problems.append(f"{response.status} or no payload shown: {where}")
        links = page.evaluate(_PROVOKE)
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
        problems += [f"link to {href!r} on {where}" for href in links]
        problems += [f"{ran} on {where}" for ran in xss_trap.ran()]
    assert problems == [], "\n".join(problems)
