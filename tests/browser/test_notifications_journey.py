"""One member mentions another in a thread; the second sees the count in the
header, opens the notification and lands on the post (Chromium, CSRF on)."""
from tests.browser.conftest import follow, html, sign_in
from tests.conftest import TEST_PASSWORD


def test_mention_count_in_header_and_landing_on_the_post(live_server, page, axe_check,
                                                        make_user, make_network, make_thread):
    base = live_server.url
    sally = make_user(trusted=True, username="sally", display_name="Sally Carter")
    kim = make_user(trusted=True, username="kim", display_name="Kim Reader")
    network = make_network(members=[sally, kim], name="Care-home in-reach")
    thread = make_thread(network, sally, posts=22, title="How often to visit")

    sign_in(page, base, "sally", TEST_PASSWORD)
    page.goto(f"{base}/threads/{thread.id}?page=2")
    page.get_by_label("Your reply").fill("@kim what does your team do?")
    follow(page, page.get_by_role("button", name="Post reply"))
    follow(page, page.get_by_role("button", name="Sign out"))

    sign_in(page, base, "kim", TEST_PASSWORD)
    header = page.get_by_role("link", name="Notifications, 1 unread")
    assert header.count() == 1
    follow(page, header)
    axe_check(page)
    follow(page, page.get_by_role("link", name="Sally Carter mentioned you in How often to visit"))
    assert "/threads/" in page.url and "#post-" in page.url
    post_id = page.url.split("#")[1]
    assert "what does your team do?" in page.locator(f"#{post_id}").inner_text()
    assert 'class="mention"' in html(page)
