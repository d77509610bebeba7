"""Watching threads and the notifications a reply sends."""
import pytest
from sqlalchemy import select

from network.extensions import db
from network.forum.models import Watch
from network.notifications.models import Notification


@pytest.fixture
def scene(make_user, make_network, make_thread):
    author = make_user(trusted=True)
    replier = make_user(trusted=True)
    reader = make_user(trusted=True)
    newcomer = make_user()
    network = make_network(visibility="private", members=[author, replier, reader, newcomer])
    thread_id = make_thread(network, author, title="Rota swaps").id
    return dict(author=author, replier=replier, reader=reader, newcomer=newcomer,
                network=network, thread_id=thread_id)


def _notes(app):
    with app.app_context():
        return [(n.user_id, n.text, n.url, n.network_id)
                for n in db.session.scalars(select(Notification))]


def test_starting_a_thread_watches_it(app, client, login, scene):
    login(client, scene["author"]).post(f"/networks/{scene['network'].slug}/threads/new",
                                        data={"title": "New", "body": "Body"})
    with app.app_context():
        assert db.session.scalar(select(Watch).where(Watch.user_id == scene["author"].id,
                                                     Watch.thread_id != scene["thread_id"]))


def test_visible_reply_notifies_watchers_except_its_author(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["reader"]).post(f"/threads/{tid}/watch")
    login(client, scene["replier"]).post(f"/threads/{tid}/reply", data={"body": "Me too"})
    notes = _notes(app)
    assert sorted(n[0] for n in notes) == sorted([scene["author"].id, scene["reader"].id])
    assert all(n[1] == "New reply in Rota swaps" and n[3] == scene["network"].id for n in notes)
    assert all(n[2].startswith("/posts/") for n in notes)
    # The replier now watches too, and hears about the next reply.
    login(client, scene["author"]).post(f"/threads/{tid}/reply", data={"body": "Thanks"})
    assert scene["replier"].id in [n[0] for n in _notes(app)]


def test_pending_reply_notifies_nobody(app, client, login, scene):
    login(client, scene["newcomer"]).post(f"/threads/{scene['thread_id']}/reply",
                                          data={"body": "Waiting"})
    assert _notes(app) == []


def test_watch_button_toggles(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["reader"])
    assert "Watch this thread" in client.get(f"/threads/{tid}").get_data(as_text=True)
    client.post(f"/threads/{tid}/watch")
    assert "Stop watching" in client.get(f"/threads/{tid}").get_data(as_text=True)
    client.post(f"/threads/{tid}/watch")
    with app.app_context():
        assert db.session.get(Watch, (scene["reader"].id, tid)) is None


def test_notifications_of_a_network_left_are_not_listed(app, client, login, scene):
    from network.networks.models import Membership

    tid = scene["thread_id"]
    login(client, scene["replier"]).post(f"/threads/{tid}/reply", data={"body": "Hello"})
    with app.app_context():
        db.session.execute(Membership.__table__.delete().where(
            Membership.user_id == scene["author"].id))
        db.session.commit()
    page = login(client, scene["author"]).get("/notifications/").get_data(as_text=True)
    assert "Rota swaps" not in page


def test_an_approved_reply_is_announced_to_watchers(app, client, login, scene):
    from network.commands import recount
    from network.forum.models import Post, Thread
    from network.forum.services import announce_post, set_post_status

    tid = scene["thread_id"]
    login(client, scene["newcomer"]).post(f"/threads/{tid}/reply", data={"body": "Waiting"})
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.status == "pending"))
        set_post_status(post, "visible")
        announce_post(post, db.session.get(Thread, tid))
        db.session.commit()
        assert db.session.get(Thread, tid).post_count == 2
        assert sum(recount().values()) == 0
    assert [n[0] for n in _notes(app)] == [scene["author"].id]


def test_notifications_follow_a_thread_moved_into_a_private_network(
        app, client, login, make_user, make_network, make_thread):
    author, watcher = make_user(trusted=True), make_user(trusted=True)
    moderator = make_user(role="moderator")
    open_network = make_network(members=[author, watcher])
    private = make_network(visibility="private", members=[author])
    tid = make_thread(open_network, author, title="Rota swaps in winter").id
    login(client, watcher).post(f"/threads/{tid}/watch")
    login(client, author).post(f"/threads/{tid}/reply", data={"body": "An update."})
    assert "Rota swaps in winter" in login(client, watcher).get("/notifications/").get_data(
        as_text=True)
    moved = login(client, moderator).post(f"/threads/{tid}/move", data={
        "move-network": str(private.id), "move-reason": "Belongs with the directors"})
    assert moved.status_code == 302
    page = login(client, watcher).get("/notifications/").get_data(as_text=True)
    assert "Rota swaps in winter" not in page
    assert any(network_id == private.id for _, _, _, network_id in _notes(app))
