"""An associate writes and publishes an article; a member has their say, in Chromium."""
from tests.browser.conftest import follow, html, sign_in
from tests.conftest import TEST_PASSWORD


def test_write_publish_and_comment_on_an_article(live_server, page, axe_check, make_user):
    base = live_server.url
    make_user(role="associate", username="writer", display_name="Wendy Writer",
              job_title="Clinical Director")
    make_user(trusted=True, username="reader", display_name="Rhys Reader")

    sign_in(page, base, "writer", TEST_PASSWORD)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles"))
    assert page.locator("h1").inner_text() == "Articles"
    axe_check(page)
    follow(page, page.get_by_role("link", name="Write an article"))
    axe_check(page)
    page.get_by_label("Title").fill("Virtual wards that work")
    page.get_by_label("Standfirst").fill("Two years of hospital care at home, in numbers.")
    page.get_by_label("Article", exact=True).fill(
        "## What we did\n\nWe **halved** readmissions.\n\n- Daily huddles\n- One phone number")
    page.get_by_label("Tags").fill("Virtual wards, Frailty")
    follow(page, page.get_by_role("button", name="Preview"))
    preview = page.get_by_role("region", name="Preview")
    assert preview.locator("strong").inner_text() == "halved"
    assert page.get_by_label("Title").input_value() == "Virtual wards that work"
    follow(page, page.get_by_role("button", name="Publish now"))
    assert "Article published." in html(page)
    assert page.locator("h1").inner_text() == "Virtual wards that work"
    assert page.locator(".prose strong").first.inner_text() == "halved"
    assert "No comments yet." in html(page)
    follow(page, page.get_by_role("button", name="Sign out"))

    sign_in(page, base, "reader", TEST_PASSWORD)
    page.goto(base + "/articles/virtual-wards-that-work")
    axe_check(page)
    assert "Links may be included in your comments but HTML is not permitted" in html(page)
    page.get_by_label("Your comment").fill(
        "Our pack is at https://example.org/pack and <b>this is not bold</b>")
    follow(page, page.get_by_role("button", name="Post comment"))
    comment = page.locator(".comment-body").first
    link = comment.get_by_role("link", name="https://example.org/pack")
    assert link.get_attribute("href") == "https://example.org/pack"
    assert "<b>this is not bold</b>" in comment.inner_text()
    assert comment.locator("b").count() == 0
    assert "(1 comment)" in page.get_by_role("heading", name="Have your say").inner_text()
    axe_check(page)
    page.goto(base + "/articles/")
    assert "1 comment" in page.locator(".article-summary").first.inner_text()
