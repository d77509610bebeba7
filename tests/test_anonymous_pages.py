"""Public pages shown to visitors set no cookie (so the page cache can keep them,
and a visitor who only reads leaves no session behind)."""
from tests.access import all_rules
from tests.world import build_world

FORM_PAGES = ("/auth/", "/settings/", "/admin/", "/moderation/", "/notifications/")


def test_public_pages_set_no_cookie_for_visitors(app):
    world = build_world(app)
    checked = []
    for rule in all_rules():
        if rule.method != "GET" or 200 not in rule.expected("anonymous"):
            continue
        url = rule.url(world)
        if url.startswith(FORM_PAGES) or url.endswith("/new") or "/flag" in url:
            continue
        response = app.test_client().get(url)
        if response.status_code != 200:
            continue
        checked.append(url)
        assert "Set-Cookie" not in response.headers, f"{url} sets a cookie for a visitor"
    assert len(checked) >= 10
