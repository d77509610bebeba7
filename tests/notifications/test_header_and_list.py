"""The header's unread count, the filters of /notifications/, marking read."""
import re

from sqlalchemy import select

from network.extensions import db
from network.notifications.models import Notification
from network.notifications.services import notify


def _add(app, user, kind, text, **fields):
    with app.app_context():
        notify(user.id, kind, text, **fields)
        db.session.commit()


def _header_link(page: str) -> str:
    return re.search(r'<a href="/notifications/"[^>]*>([^<]*)</a>', page).group(1)


def test_header_says_how_many_are_unread(app, make_user, login):
    user = make_user()
    client = login(app.test_client(), user)
    assert _header_link(client.get("/").get_data(as_text=True)) == "Notifications"
    for n in range(3):
        _add(app, user, "moderation", f"Decision {n}")
    assert _header_link(client.get("/").get_data(as_text=True)) == "Notifications, 3 unread"
    client.post("/notifications/read")
    assert _header_link(client.get("/articles/").get_data(as_text=True)) == "Notifications"


def test_own_kept_page_never_shows_a_stale_count(cached_app, make_user, make_network,
                                                 make_thread, login):
    app = cached_app(CACHE_OWN_PAGES=True)
    author, replier = make_user(trusted=True), make_user(trusted=True)
    thread = make_thread(make_network(members=[author, replier]), author, title="Rotas")
    client = login(app.test_client(), author)
    client.get("/articles/")
    assert client.get("/articles/").headers.get("X-Cache") == "hit"
    login(app.test_client(), replier).post(f"/threads/{thread.id}/reply", data={"body": "Hi"})
    page = client.get("/articles/")
    assert "Notifications, 1 unread" in page.get_data(as_text=True)
    client.post("/notifications/read")
    assert "Notifications, 1 unread" not in client.get("/articles/").get_data(as_text=True)


def test_header_count_costs_no_query(app, make_user, login, count_queries):
    user = make_user()
    _add(app, user, "moderation", "A decision")
    client = login(app.test_client(), user)
    client.get("/terms")
    with count_queries() as counted:
        page = client.get("/terms").get_data(as_text=True)
    assert "Notifications, 1 unread" in page
    assert [s for s in counted if "from notification" in s.lower()] == []


def test_list_corrects_a_count_that_drifted(app, make_user, make_network, login):
    user = make_user()
    network = make_network(visibility="private", members=[user])
    _add(app, user, "reply", "New reply in Gone", network_id=network.id)
    with app.app_context():
        from network.networks.models import Membership
        db.session.execute(Membership.__table__.delete().where(Membership.user_id == user.id))
        db.session.commit()
    client = login(app.test_client(), user)
    assert "Notifications, 1 unread" not in client.get("/notifications/").get_data(as_text=True)
    assert "Notifications, 1 unread" not in client.get("/terms").get_data(as_text=True)


def test_filters_show_only_their_kinds(app, make_user, login):
    user = make_user()
    _add(app, user, "mention", "Sally mentioned you")
    _add(app, user, "reply", "New reply in Rotas")
    _add(app, user, "moderation", "A moderator hid your post")
    _add(app, user, "join_decision", "You joined Care homes")
    client = login(app.test_client(), user)

    def shown(show):
        return client.get(f"/notifications/?show={show}").get_data(as_text=True)

    assert "Sally mentioned you" in shown("mentions") and "Rotas" not in shown("mentions")
    assert "Rotas" in shown("replies") and "Sally" not in shown("replies")
    assert "You joined Care homes" in shown("networks") and "hid your post" not in shown("networks")
    assert "hid your post" in shown("moderation") and "Sally" not in shown("moderation")
    everything = shown("nonsense")
    assert all(text in everything for text in ("Sally", "Rotas", "hid", "Care homes"))


def test_mark_one_read_leaves_the_others_and_others_people(app, make_user, login):
    user, stranger = make_user(), make_user()
    _add(app, user, "mention", "First")
    _add(app, user, "mention", "Second")
    _add(app, stranger, "mention", "Theirs")
    with app.app_context():
        first, theirs = (db.session.scalar(select(Notification.id).where(Notification.text == t))
                         for t in ("First", "Theirs"))
    client = login(app.test_client(), user)
    client.post("/notifications/read", data={"id": first})
    client.post("/notifications/read", data={"id": theirs})  # not theirs to mark
    unread = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert "Second" in unread and "First" not in unread
    with app.app_context():
        assert db.session.get(Notification, theirs).read_at is None


def test_mark_read_needs_the_form_token(make_app, make_user, login):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    _add(app, user, "mention", "Kept unread")
    client = login(app.test_client(), user)
    client.post("/notifications/read")
    assert "Notifications, 1 unread" in client.get("/").get_data(as_text=True)


def test_list_is_paginated(app, make_user, login):
    user = make_user()
    with app.app_context():
        for n in range(35):
            notify(user.id, "moderation", f"Decision number {n:02d}")
        db.session.commit()
    client = login(app.test_client(), user)
    first = client.get("/notifications/").get_data(as_text=True)
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    assert first.count("Decision number") == 30 and second.count("Decision number") == 5


def test_a_reply_links_to_the_post_address_that_finds_its_page(app, make_user, make_network,
                                                              make_thread, login):
    author, replier = make_user(trusted=True), make_user(trusted=True)
    network = make_network(members=[author, replier])
    thread = make_thread(network, author, posts=25, title="Long one")
    login(app.test_client(), replier).post(f"/threads/{thread.id}/reply", data={"body": "Late"})
    with app.app_context():
        url = db.session.scalar(select(Notification.url).where(
            Notification.user_id == author.id))
    answer = login(app.test_client(), author).get(url)
    assert answer.status_code in (301, 302) and "page=" in answer.headers["Location"]
