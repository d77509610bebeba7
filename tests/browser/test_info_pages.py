"""The pages a public-sector site must have (issue 14) pass axe, and the help pages
are reached from the footer by keyboard-usable links."""
from tests.browser.conftest import follow

PAGES = ("/terms", "/privacy", "/cookies", "/accessibility", "/guidelines", "/contact",
         "/help", "/help/joining", "/help/practice", "/help/moderation")


def test_the_information_pages_pass_axe(live_server, page, axe_check):
    for path in PAGES:
        page.goto(live_server.url + path, wait_until="load")
        assert page.locator("h1").count() == 1, path
        axe_check(page)


def test_help_is_reached_from_the_footer(live_server, page, axe_check):
    page.goto(live_server.url + "/", wait_until="load")
    follow(page, page.get_by_role("navigation", name="Site information")
           .get_by_role("link", name="Help"))
    follow(page, page.get_by_role("link", name="Writing a good practice record"))
    assert page.locator("h1").inner_text() == "Writing a good practice record"
    axe_check(page)
