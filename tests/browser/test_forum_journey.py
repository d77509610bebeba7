"""A member starts a thread, a trusted member replies with a quote, and a
manager locks the thread with a reason, in Chromium (CSRF on)."""
from playwright.sync_api import expect

from tests.browser.conftest import follow, html, sign_in
from tests.conftest import TEST_PASSWORD


def _sign_out(page):
    follow(page, page.get_by_role("button", name="Sign out"))


def test_start_thread_reply_with_quote_and_lock(live_server, page, axe_check, make_user,
                                               make_network):
    base = live_server.url
    starter = make_user(trusted=True, username="maya", display_name="Maya Starter")
    replier = make_user(trusted=True, username="raj", display_name="Raj Replier")
    manager = make_user(username="mo", display_name="Mo Manager")
    network = make_network(members=[starter, replier], managers=[manager],
                           name="North East Frailty Network")

    sign_in(page, base, "maya", TEST_PASSWORD)
    page.goto(f"{base}/networks/{network.slug}/threads/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Start a new thread"))
    page.get_by_label("Title").fill("Care-home in-reach: how often?")
    page.get_by_label("Your post").fill("Weekly visits feel right.\n\nWhat works for you?")
    follow(page, page.get_by_role("button", name="Start thread"))
    assert page.locator("h1").inner_text() == "Care-home in-reach: how often?"
    thread_url = page.url.split("?")[0].split("#")[0]
    _sign_out(page)

    sign_in(page, base, "raj", TEST_PASSWORD)
    page.goto(thread_url)
    follow(page, page.get_by_role("link", name="Quote post 1"))
    reply = page.get_by_label("Your reply")
    assert reply.input_value().startswith("Maya Starter wrote:\n\n> Weekly visits feel right.")
    reply.fill(reply.input_value() + "Fortnightly for small homes works for us.")
    follow(page, page.get_by_role("button", name="Post reply"))
    assert page.locator(".post blockquote").first.inner_text().startswith("Weekly visits")
    assert "Fortnightly for small homes" in html(page)
    axe_check(page)
    _sign_out(page)

    sign_in(page, base, "mo", TEST_PASSWORD)
    page.goto(thread_url)
    page.get_by_text("Moderate this thread").click()
    page.locator("#lock-reason").fill("Question answered; thank you all.")
    follow(page, page.get_by_role("button", name="Lock thread"))
    assert "The thread is locked." in html(page)
    assert "This thread is locked" in html(page)
    # Its moderator may still reply, to say why it was locked (issue 9); members may not.
    expect(page.get_by_role("button", name="Post reply")).to_have_count(1)
    axe_check(page)
    _sign_out(page)

    # A reply sent anyway (with a valid CSRF token) is refused.
    sign_in(page, base, "raj", TEST_PASSWORD)
    page.goto(thread_url)
    expect(page.get_by_role("button", name="Post reply")).to_have_count(0)
    token = page.locator("form input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(thread_url + "/reply",
                                 form={"csrf_token": token, "body": "Sneaking one in"})
    assert response.status == 403
    page.goto(thread_url)
    assert "Sneaking one in" not in html(page)
