"""Watching levels (watching, normal, muted) on threads and networks, and the
notifications a reply or a new thread sends."""
import pytest
from sqlalchemy import select

from network.extensions import db
from network.notifications.models import Notification, Watch


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
        watch = db.session.scalar(select(Watch).where(
            Watch.user_id == scene["author"].id, Watch.target_type == "thread",
            Watch.target_id != scene["thread_id"]))
        assert watch.level == "watching"


def test_visible_reply_notifies_watchers_except_its_author(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["reader"]).post(f"/threads/{tid}/watch", data={"level": "watching"})
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


def test_the_watch_control_sets_each_level(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["reader"])
    page = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert 'name="level"' in page and '<option value="normal" selected>' in page
    for level in ("watching", "muted", "normal"):
        assert client.post(f"/threads/{tid}/watch", data={"level": level}).status_code == 302
        assert f'<option value="{level}" selected>' in client.get(
            f"/threads/{tid}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Watch, (scene["reader"].id, "thread", tid)).level == "normal"
    # a level that is not one: a message, nothing changed
    client.post(f"/threads/{tid}/watch", data={"level": "loud"})
    with app.app_context():
        assert db.session.get(Watch, (scene["reader"].id, "thread", tid)).level == "normal"


def test_a_muted_thread_tells_nothing_even_a_mention_and_replying_keeps_it_muted(
        app, client, login, scene, make_user):
    tid = scene["thread_id"]
    author = login(app.test_client(), scene["author"])
    author.post(f"/threads/{tid}/watch", data={"level": "muted"})
    reader = login(app.test_client(), scene["reader"])
    reader.post(f"/threads/{tid}/reply",
                data={"body": f"Over to you @{scene['author'].username}"})
    assert [n for n in _notes(app) if n[0] == scene["author"].id] == []
    author.post(f"/threads/{tid}/reply", data={"body": "Still here"})
    with app.app_context():
        assert db.session.get(Watch, (scene["author"].id, "thread", tid)).level == "muted"


def test_normal_hears_mentions_but_not_every_post(app, client, login, scene):
    tid = scene["thread_id"]
    login(app.test_client(), scene["author"]).post(f"/threads/{tid}/watch",
                                                   data={"level": "normal"})
    replier = login(app.test_client(), scene["replier"])
    replier.post(f"/threads/{tid}/reply", data={"body": "A reply with nobody named"})
    assert [n for n in _notes(app) if n[0] == scene["author"].id] == []
    replier.post(f"/threads/{tid}/reply", data={"body": f"@{scene['author'].username} see this"})
    assert [n[1] for n in _notes(app) if n[0] == scene["author"].id] == [
        f"{scene['replier'].display_name} mentioned you in Rota swaps"]


def test_watching_a_network_tells_of_each_new_thread_to_those_who_may_read_it(
        app, login, make_user, make_network):
    starter, watcher, muter, leaver = (make_user(trusted=True) for _ in range(4))
    network = make_network(visibility="closed", members=[starter, watcher, muter, leaver])
    with app.app_context():
        levels = {w.user_id: w.level for w in db.session.scalars(
            select(Watch).where(Watch.target_type == "network"))}
    for person in (watcher, leaver):
        assert login(app.test_client(), person).post(
            f"/networks/{network.slug}/watch", data={"level": "watching"}).status_code == 302
    login(app.test_client(), muter).post(f"/networks/{network.slug}/watch",
                                         data={"level": "muted"})
    from network.networks.models import Membership
    with app.app_context():
        db.session.execute(Membership.__table__.delete().where(Membership.user_id == leaver.id))
        db.session.commit()
    login(app.test_client(), starter).post(f"/networks/{network.slug}/threads/new",
                                           data={"title": "Winter pressures", "body": "Ideas?"})
    told = [(n[0], n[1]) for n in _notes(app)]
    assert told == [(watcher.id, f"New thread in {network.name}: Winter pressures")]
    assert levels == {}  # the factory adds members directly; joining is tested below


def test_joining_sets_normal_and_leaving_forgets(app, login, make_user, make_network):
    person, manager = make_user(trusted=True), make_user()
    network = make_network(managers=[manager])
    client = login(app.test_client(), person)
    assert client.post(f"/networks/{network.slug}/join").status_code == 302
    with app.app_context():
        assert db.session.get(Watch, (person.id, "network", network.id)).level == "normal"
    assert 'id="watch-level-network"' in client.get(f"/networks/{network.slug}/").get_data(
        as_text=True)
    client.post(f"/networks/{network.slug}/leave")
    with app.app_context():
        assert db.session.get(Watch, (person.id, "network", network.id)) is None


def test_outsiders_cannot_watch_a_closed_or_private_network(app, client, login, make_user,
                                                           make_network):
    closed = make_network(visibility="closed")
    private = make_network(visibility="private")
    outsider = login(client, make_user())
    assert outsider.post(f"/networks/{closed.slug}/watch",
                         data={"level": "watching"}).status_code == 403
    assert outsider.post(f"/networks/{private.slug}/watch",
                         data={"level": "watching"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Watch).where(Watch.target_type == "network")) is None


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
    login(client, watcher).post(f"/threads/{tid}/watch", data={"level": "watching"})
    login(client, author).post(f"/threads/{tid}/reply", data={"body": "An update."})
    assert "Rota swaps in winter" in login(client, watcher).get("/notifications/").get_data(
        as_text=True)
    moved = login(client, moderator).post(f"/threads/{tid}/move", data={
        "move-network": str(private.id), "move-reason": "Belongs with the directors"})
    assert moved.status_code == 302
    page = login(client, watcher).get("/notifications/").get_data(as_text=True)
    assert "Rota swaps in winter" not in page
    assert any(network_id == private.id for _, _, _, network_id in _notes(app))


def test_settings_list_what_one_watches_and_go_back_to_normal(app, login, make_user,
                                                              make_network, make_thread):
    person = make_user(trusted=True)
    network = make_network(name="Frailty Leads", members=[person])
    secret = make_network(name="Secret Board", visibility="private", members=[person])
    tid = make_thread(network, make_user(), title="Falls clinics").id
    hidden_tid = make_thread(secret, make_user(), title="Board papers").id
    client = login(app.test_client(), person)
    client.post(f"/threads/{tid}/watch", data={"level": "muted"})
    client.post(f"/networks/{network.slug}/watch", data={"level": "watching"})
    client.post(f"/threads/{hidden_tid}/watch", data={"level": "watching"})
    from network.networks.models import Membership
    with app.app_context():  # they leave the private network afterwards
        db.session.execute(Membership.__table__.delete().where(
            Membership.user_id == person.id, Membership.network_id == secret.id))
        db.session.commit()
    page = client.get("/settings/watching").get_data(as_text=True)
    assert "Falls clinics" in page and "Frailty Leads" in page
    assert "Board papers" not in page and "one you can no longer see" in page
    assert client.post(f"/settings/watching/thread/{tid}/stop").status_code == 302
    with app.app_context():
        assert db.session.get(Watch, (person.id, "thread", tid)) is None
        assert db.session.get(Watch, (person.id, "network", network.id)).level == "watching"
