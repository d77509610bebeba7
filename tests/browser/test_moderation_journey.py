"""Moderation in Chromium (CSRF on): a new member's reply waits for approval and a
moderator approves it from the queue; three members flag a reply, which leaves the
page; the moderator dismisses the flags and it comes back; the thread is locked,
so the reply form goes and a reply sent anyway is refused.

Every click that loads a page waits for that page to finish loading before the
test reads it or runs axe (a run during a navigation fails, or reads the old page)."""
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from network.accounts.services import register_user
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Membership, Network
from tests.browser.conftest import follow, sign_in

PASSWORD = "a sturdy password"
SPAM = "Buy cheap rugs at example.test"
FIRST_POST = "We fitted grab rails in 200 homes."


def _person(username, role="member", trusted=False):
    user = register_user(username=username, email=f"{username}@example.org", password=PASSWORD,
                         display_name=username.title(), organisation="Trust", sector="nhs",
                         role=role)
    user.trusted = trusted
    return user


def _setup(app):
    """A thread with an opening post and a spam reply; a newcomer (untrusted) and
    three established members who will flag. Returns (thread id, the spam reply's id)."""
    with app.app_context():
        _person("morgan", "moderator")
        # The spammer is not trusted: flags never hide a trusted member's words.
        author, spammer = _person("alex", "associate", trusted=True), _person("sam")
        newcomer = _person("nina")
        flaggers = [_person(name) for name in ("fay", "finn", "flo")]
        network = Network(slug="falls", name="Falls Prevention", visibility="open",
                          summary="Falls.")
        db.session.add(network)
        db.session.flush()
        for user in [author, spammer, newcomer]:
            db.session.add(Membership(user_id=user.id, network_id=network.id))
        # Members of more than a week: their flags count towards hiding content.
        for user in flaggers:
            db.session.add(Membership(user_id=user.id, network_id=network.id,
                                      created_at=utcnow() - timedelta(days=8)))
        network.member_count = 6
        thread = Thread(network_id=network.id, title="Home hazard checks", author_id=author.id,
                        post_count=2, last_poster_id=spammer.id)
        db.session.add(thread)
        db.session.flush()
        opening = "Which hazards do you check for first?"
        reply = Post(thread_id=thread.id, number=2, author_id=spammer.id, body=SPAM,
                     body_html=render_markdown(SPAM))
        db.session.add_all([
            Post(thread_id=thread.id, number=1, author_id=author.id, body=opening,
                 body_html=render_markdown(opening)), reply])
        db.session.commit()
        return thread.id, reply.id


def _stored(app, column, *where):
    with app.app_context():
        return db.session.scalar(select(column).where(*where))


def _visit(page, url):
    page.goto(url, wait_until="load")


def _sign_in(page, base, username):
    sign_in(page, base, username, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.wait_for_load_state("load")


def _sign_out(page):
    follow(page, page.get_by_role("button", name="Sign out"))
    expect(page.get_by_role("navigation", name="Your account")
           .get_by_role("link", name="Sign in")).to_be_visible()


def _posts(page):
    return page.locator("ol.posts").inner_text()


def test_moderator_approves_a_newcomer_and_reviews_flags(live_server, page, axe_check):
    base, app = live_server.url, live_server.app
    thread_id, spam_id = _setup(app)
    thread_url = f"{base}/threads/{thread_id}"

    # A new member's reply waits for approval: shown to them, marked, and to no one else.
    _sign_in(page, base, "nina")
    _visit(page, thread_url)
    expect(page.get_by_text("A moderator will check your reply")).to_be_visible()
    page.get_by_label("Your reply").fill(FIRST_POST)
    follow(page, page.get_by_role("button", name="Post reply"))
    expect(page.locator(".flash")).to_contain_text("Your reply is awaiting approval by a moderator.")
    waiting_id = _stored(app, Post.id, Post.body == FIRST_POST)
    mine = page.locator(f"#post-{waiting_id}")
    expect(mine).to_contain_text(FIRST_POST)
    expect(mine).to_contain_text("Awaiting approval")
    axe_check(page)
    _sign_out(page)
    _visit(page, thread_url)
    assert FIRST_POST not in _posts(page)
    assert _stored(app, Post.status, Post.id == waiting_id) == "pending"

    # A moderator approves it from the queue; then everyone sees it.
    _sign_in(page, base, "morgan")
    follow(page, page.get_by_role("navigation", name="Main")
             .get_by_role("link", name="Moderation"))
    expect(page.locator("h1")).to_have_text("Review queue")
    axe_check(page)
    item = page.locator(f"#pending-post-{waiting_id}")
    expect(item).to_contain_text("grab rails")
    item.get_by_label("Reason to approve").fill("Useful first post")
    follow(page, item.get_by_role("button", name="Approve"))
    expect(page.locator(".flash")).to_contain_text("approved and shown")
    expect(page.locator(f"#pending-post-{waiting_id}")).to_have_count(0)
    _sign_out(page)
    _visit(page, thread_url)
    expect(page.locator(f"#post-{waiting_id}")).to_contain_text(FIRST_POST)
    expect(page.locator(f"#post-{waiting_id}")).not_to_contain_text("Awaiting approval")

    # Three members report the spam reply from the thread; after the third it leaves the page.
    for name in ("fay", "finn", "flo"):
        _sign_in(page, base, name)
        _visit(page, thread_url)
        follow(page, page.get_by_role("link", name="Report post 2"))
        expect(page.get_by_role("button", name="Send flag")).to_be_visible()
        if name == "fay":
            axe_check(page)
        page.get_by_label("Spam").check()
        follow(page, page.get_by_role("button", name="Send flag"))
        expect(page.locator(".flash")).to_contain_text("A moderator will review")
        _sign_out(page)
    assert _stored(app, Post.status, Post.id == spam_id) == "hidden"
    _visit(page, thread_url)
    expect(page.locator(f"#post-{spam_id}")).to_contain_text("Removed by a moderator")
    assert SPAM not in _posts(page) and FIRST_POST in _posts(page)

    # The moderator dismisses the flags (a reason first); the reply comes back.
    _sign_in(page, base, "morgan")
    _visit(page, f"{base}/moderation/")
    row = page.locator(f"#flagged-post-{spam_id}")
    expect(row).to_contain_text("flagged by 3 members")
    expect(row).to_contain_text("Hidden")
    axe_check(page)
    follow(page, row.get_by_role("button", name="Dismiss"))  # no reason: refused beside it
    field = page.locator(f"#reason-dismiss-post-{spam_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert _stored(app, Post.status, Post.id == spam_id) == "hidden"
    axe_check(page)
    field.fill("Rugs advice is on topic here")
    follow(page, page.locator(f"#flagged-post-{spam_id}").get_by_role("button", name="Dismiss"))
    expect(page.locator(".flash")).to_contain_text("Flags dismissed")
    expect(page.get_by_text("Nothing is flagged")).to_be_visible()
    assert _stored(app, Post.status, Post.id == spam_id) == "visible"
    assert _stored(app, Thread.post_count, Thread.id == thread_id) == 3

    follow(page, page.get_by_role("link", name="Moderation log"))
    expect(page.locator("h1")).to_have_text("Moderation log")
    log = page.locator("table").inner_text()
    assert "Flags dismissed" in log and "Hidden automatically" in log and "Approved" in log
    assert "Hidden after 3 flags" in log and "Rugs advice is on topic here" in log
    axe_check(page)
    page.get_by_label("Action").select_option("approve")
    follow(page, page.get_by_role("button", name="Filter"))
    log = page.locator("table").inner_text()
    assert "Approved" in log and "Flags dismissed" not in log

    # Back on the thread page the reply is shown again; the moderator locks the thread.
    _visit(page, thread_url)
    expect(page.locator(f"#post-{spam_id}")).to_contain_text(SPAM)
    page.get_by_text("Moderate this thread").click()
    page.locator("#lock-reason").fill("Resolved; thank you all.")
    follow(page, page.get_by_role("button", name="Lock thread"))
    expect(page.locator(".flash")).to_contain_text("The thread is locked.")
    axe_check(page)
    _sign_out(page)

    # A member finds no reply form, and a reply sent anyway (valid CSRF token) is refused.
    _sign_in(page, base, "nina")
    _visit(page, thread_url)
    expect(page.get_by_text("This thread is locked: it takes no more replies.")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_count(0)
    expect(page.get_by_role("button", name="Post reply")).to_have_count(0)
    token = page.locator("form input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(f"{thread_url}/reply",
                                 form={"csrf_token": token, "body": "Sneaking one in"})
    assert response.status == 403
    _visit(page, thread_url)
    assert "Sneaking one in" not in _posts(page)
    assert _stored(app, Post.id, Post.body == "Sneaking one in") is None


def test_moderator_silences_a_member_from_their_page(live_server, page, axe_check):
    base, app = live_server.url, live_server.app
    with app.app_context():
        _person("morgan", "moderator")
        member = _person("sid")
        member_id = member.id
    _sign_in(page, base, "morgan")
    _visit(page, f"{base}/moderation/members/sid")
    expect(page.locator("h1")).to_have_text("Sid")
    axe_check(page)
    silence = page.locator("section", has=page.get_by_role("heading", name="Silence"))
    follow(page, silence.get_by_role("button", name="Silence"))  # no reason: refused
    expect(page.get_by_text("Give a reason").first).to_be_visible()
    axe_check(page)
    silence = page.locator("section", has=page.get_by_role("heading", name="Silence"))
    silence.get_by_label("For").select_option("30")
    silence.get_by_label("Reason").fill("Cooling off after a heated thread")
    follow(page, silence.get_by_role("button", name="Silence"))
    expect(page.get_by_text("cannot post until").first).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Silenced until")
    with app.app_context():
        from network.accounts.models import User

        assert db.session.get(User, member_id).is_silenced
