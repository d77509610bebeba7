"""Two-factor sign-in through the pages, by keyboard-usable controls, with axe on each
page: turn it on (the key read from the page as a person would type it), save the
recovery codes, sign out, sign in with the password and then a code."""
import pyotp

from tests.browser.conftest import follow, sign_in
from tests.factories import TEST_PASSWORD


def test_turning_on_two_factor_and_signing_in_with_a_code(live_server, page, axe_check,
                                                         make_user):
    user = make_user()
    base = live_server.url
    sign_in(page, base, user.username, TEST_PASSWORD)
    page.goto(f"{base}/settings/two-factor", wait_until="load")
    axe_check(page)
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    follow(page, page.get_by_role("button", name="Set up two-factor sign-in"))
    assert page.locator("svg").count() >= 1
    axe_check(page)
    secret = page.locator("code.key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    follow(page, page.get_by_role("button", name="Turn on"))
    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert page.locator(".recovery-codes li").count() == 10
    axe_check(page)
    follow(page, page.get_by_role("link", name="I have saved them"))
    follow(page, page.get_by_role("button", name="Sign out").first)
    sign_in(page, base, user.username, TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "Your sign-in code"
    axe_check(page)
    # The code that turned it on is spent; the next step's is accepted.
    import time
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    follow(page, page.get_by_role("button", name="Sign in"))
    assert f"Signed in as {user.display_name}" in page.content()
