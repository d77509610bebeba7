"""A newcomer's post waits for approval; three members flag a post, which hides it; a
moderator approves the first and dismisses the flags on the second, in Chromium."""
from sqlalchemy import select

from network.accounts.services import register_user
from network.core.text import render_markdown
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Membership, Network
from tests.browser.conftest import html, sign_in

PASSWORD = "a sturdy password"


def _person(username, role="member"):
    return register_user(username=username, email=f"{username}@example.org", password=PASSWORD,
                         display_name=username.title(), organisation="Trust", sector="nhs",
                         role=role)


def _setup(app):
    with app.app_context():
        moderator = _person("morgan", "moderator")
        author, newcomer = _person("alex", "associate"), _person("nina")
        flaggers = [_person(name) for name in ("fay", "finn", "flo")]
        network = Network(slug="falls", name="Falls Prevention", visibility="open",
                          summary="Falls.")
        db.session.add(network)
        db.session.flush()
        for user in [author, newcomer, *flaggers]:
            db.session.add(Membership(user_id=user.id, network_id=network.id))
        thread = Thread(network_id=network.id, title="Home hazard checks", author_id=author.id,
                        post_count=1)
        db.session.add(thread)
        db.session.flush()
        flagged = Post(thread_id=thread.id, number=1, author_id=author.id,
                       body="Buy cheap rugs at example.test",
                       body_html=render_markdown("Buy cheap rugs at example.test"))
        waiting = Post(thread_id=thread.id, number=2, author_id=newcomer.id,
                       body="We fitted grab rails in 200 homes.",
                       body_html=render_markdown("We fitted grab rails in 200 homes."),
                       status="pending")
        db.session.add_all([flagged, waiting])
        db.session.commit()
        return flagged.id, waiting.id


def _status(app, post_id):
    with app.app_context():
        return db.session.scalar(select(Post.status).where(Post.id == post_id))


def test_moderator_approves_a_newcomer_and_reviews_flags(live_server, page, axe_check):
    base, app = live_server.url, live_server.app
    flagged_id, waiting_id = _setup(app)

    sign_in(page, base, "morgan", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    assert page.locator("h1").inner_text() == "Review queue"
    axe_check(page)
    item = page.locator(f"#pending-post-{waiting_id}")
    assert "grab rails" in item.inner_text()
    item.get_by_label("Reason to approve").fill("Useful first post")
    item.get_by_role("button", name="Approve").click()
    assert "approved and shown" in html(page)
    assert _status(app, waiting_id) == "visible"
    page.get_by_role("button", name="Sign out").click()

    for name in ("fay", "finn", "flo"):
        sign_in(page, base, name, PASSWORD)
        page.goto(f"{base}/posts/{flagged_id}/flag")
        if name == "fay":
            axe_check(page)
        page.get_by_label("Spam").check()
        page.get_by_role("button", name="Send flag").click()
        assert "A moderator will review" in html(page)
        page.get_by_role("button", name="Sign out").click()
    assert _status(app, flagged_id) == "hidden"

    sign_in(page, base, "morgan", PASSWORD)
    page.goto(f"{base}/moderation/")
    row = page.locator(f"#flagged-post-{flagged_id}")
    assert "flagged by 3 members" in row.inner_text() and "Hidden" in row.inner_text()
    axe_check(page)
    row.get_by_role("button", name="Dismiss").click()  # no reason yet: refused beside the field
    field = page.locator(f"#reason-dismiss-post-{flagged_id}")
    assert field.get_attribute("aria-invalid") == "true"
    assert _status(app, flagged_id) == "hidden"
    axe_check(page)
    field.fill("Rugs advice is on topic here")
    page.locator(f"#flagged-post-{flagged_id}").get_by_role("button", name="Dismiss").click()
    assert "Flags dismissed" in html(page) and "Nothing is flagged" in html(page)
    assert _status(app, flagged_id) == "visible"
    with app.app_context():
        assert db.session.scalar(select(Thread.post_count)) == 2

    page.get_by_role("link", name="Moderation log").click()
    assert page.locator("h1").inner_text() == "Moderation log"
    log = page.locator("table").inner_text()
    assert "Flags dismissed" in log and "Hidden automatically" in log and "Approved" in log
    assert "Hidden after 3 flags" in log and "Rugs advice is on topic here" in log
    axe_check(page)
    page.get_by_label("Action").select_option("approve")
    page.get_by_role("button", name="Filter").click()
    log = page.locator("table").inner_text()
    assert "Approved" in log and "Flags dismissed" not in log


def test_moderator_silences_a_member_from_their_page(live_server, page, axe_check):
    base, app = live_server.url, live_server.app
    with app.app_context():
        _person("morgan", "moderator")
        member = _person("sid")
        member_id = member.id
    sign_in(page, base, "morgan", PASSWORD)
    page.goto(f"{base}/moderation/members/sid")
    assert page.locator("h1").inner_text() == "Sid"
    axe_check(page)
    silence = page.locator("section", has=page.get_by_role("heading", name="Silence"))
    silence.get_by_role("button", name="Silence").click()  # no reason: refused beside it
    assert page.get_by_text("Give a reason").first.is_visible()
    axe_check(page)
    silence = page.locator("section", has=page.get_by_role("heading", name="Silence"))
    silence.get_by_label("For").select_option("30")
    silence.get_by_label("Reason").fill("Cooling off after a heated thread")
    silence.get_by_role("button", name="Silence").click()
    assert "cannot post until" in html(page)
    assert "Silenced until" in page.locator("dl").inner_text()
    with app.app_context():
        from network.accounts.models import User

        assert db.session.get(User, member_id).is_silenced
