"""A member searches from the header box, narrows the results to discussions, and opens
the hit: the thread opens at the post that matched (issue 11)."""
from playwright.sync_api import expect
from sqlalchemy import select

from network.extensions import db
from network.forum.models import Post
from tests.browser.conftest import follow, sign_in
from tests.conftest import TEST_PASSWORD


def test_search_from_the_header_filter_by_type_and_open_a_hit(live_server, page, axe_check,
                                                             make_user, make_network,
                                                             make_thread, make_post,
                                                             make_article):
    base = live_server.url
    member = make_user(username="sam", display_name="Sam Searcher")
    writer = make_user(role="associate", display_name="Wren Writer")
    network = make_network(name="Frailty North", members=[member, writer])
    thread = make_thread(network, writer, posts=4, title="Winter pressures",
                         body="Post {number} about beds and staffing.")
    make_post(thread, member, body="Our quokka-themed rota board cut handover time.")
    make_article(writer, title="Rota boards", body="We tried a quokka mascot too.")
    with live_server.app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.body.like("%quokka%")))

    sign_in(page, base, "sam", TEST_PASSWORD)
    header_search = page.get_by_role("search", name="Site search")
    header_search.get_by_label("Search the site").fill("quokka")
    follow(page, header_search.get_by_role("button", name="Search"))
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.get_by_role("link", name="Discussions (1)")).to_be_visible()
    expect(page.get_by_text("Everything (2)")).to_be_visible()
    expect(page.locator(".search-snippet mark").first).to_have_text("quokka")
    axe_check(page)

    follow(page, page.get_by_role("link", name="Discussions (1)"))
    results = page.locator(".search-results")
    expect(results.locator(".search-hit")).to_have_count(1)
    expect(results).not_to_contain_text("Rota boards")
    axe_check(page)

    follow(page, results.get_by_role("link", name="Winter pressures"))
    expect(page.locator("h1")).to_have_text("Winter pressures")
    assert page.url.endswith(f"#post-{post_id}"), page.url
    expect(page.locator(f"#post-{post_id}")).to_contain_text("quokka-themed rota board")
