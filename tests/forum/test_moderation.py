"""Moderators and network managers pin, lock, move and hide threads and hide or
delete posts, each with a reason written to the moderation log."""
import pytest
from sqlalchemy import select

from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import ModerationAction
from network.networks.models import Network


@pytest.fixture
def scene(make_user, make_network, make_thread):
    member = make_user(trusted=True, display_name="Maya Member")
    manager = make_user(display_name="Mo Manager")
    other_manager = make_user(display_name="Olu Otherplace")
    network = make_network(members=[member], managers=[manager])
    elsewhere = make_network(managers=[other_manager])
    second = make_network(managers=[manager], name="Second Network")
    thread_id = make_thread(network, member, posts=2, repliers=[member]).id
    return dict(member=member, manager=manager, other_manager=other_manager, network=network,
                elsewhere=elsewhere, second=second, thread_id=thread_id)


def _thread(app, thread_id):
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        db.session.expunge(thread)
        return thread


def _log(app):
    with app.app_context():
        return [(a.action, a.target_type, a.target_id, a.reason, a.network_id)
                for a in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))]


def test_manager_locks_a_thread_with_a_reason_and_replies_stop(app, client, login, scene):
    tid = scene["thread_id"]
    response = login(client, scene["manager"]).post(
        f"/threads/{tid}/lock", data={"lock-reason": "Resolved", "lock-state": "on"})
    assert response.status_code == 302
    assert _thread(app, tid).locked
    assert _log(app) == [("lock_thread", "thread", tid, "Resolved", scene["network"].id)]
    login(client, scene["member"])
    page = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert "This thread is locked" in page and "Post reply" not in page
    assert client.post(f"/threads/{tid}/reply", data={"body": "One more"}).status_code == 403
    assert _thread(app, tid).post_count == 2


def test_pressing_lock_twice_does_not_unlock(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["manager"])
    for _ in range(2):
        response = client.post(f"/threads/{tid}/lock",
                               data={"lock-reason": "Resolved", "lock-state": "on"})
        assert response.status_code == 302
    assert _thread(app, tid).locked and len(_log(app)) == 1


def test_a_reason_is_required_and_the_form_comes_back_with_an_error(app, client, login, scene):
    tid = scene["thread_id"]
    response = login(client, scene["manager"]).post(
        f"/threads/{tid}/pin", data={"pin-reason": "   ", "pin-state": "on"})
    assert response.status_code == 400
    assert "Give a reason" in response.get_data(as_text=True)
    assert not _thread(app, tid).pinned and _log(app) == []


def test_pin_and_unpin(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["manager"])
    client.post(f"/threads/{tid}/pin", data={"pin-reason": "Important", "pin-state": "on"})
    assert _thread(app, tid).pinned
    client.post(f"/threads/{tid}/pin", data={"pin-reason": "Done", "pin-state": "off"})
    assert not _thread(app, tid).pinned
    assert [entry[0] for entry in _log(app)] == ["pin_thread", "unpin_thread"]


def test_manager_of_another_network_cannot_moderate_here(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["other_manager"])
    assert client.post(f"/threads/{tid}/lock",
                       data={"lock-reason": "Mine now", "lock-state": "on"}).status_code == 403
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == tid))
    assert client.post(f"/posts/{post_id}/hide",
                       data={f"p{post_id}-hide-reason": "x"}).status_code == 403
    assert not _thread(app, tid).locked and _log(app) == []


def test_hidden_thread_is_404_to_members_and_restorable(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["manager"]).post(f"/threads/{tid}/hide",
                                         data={"hide-reason": "Spam", "hide-state": "on"})
    assert _thread(app, tid).status == "hidden"
    login(client, scene["member"])
    assert client.get(f"/threads/{tid}").status_code == 404
    assert client.post(f"/threads/{tid}/reply", data={"body": "Hello"}).status_code == 404
    login(client, scene["manager"]).post(f"/threads/{tid}/hide",
                                         data={"hide-reason": "Not spam", "hide-state": "off"})
    assert _thread(app, tid).status == "visible"


def test_move_to_a_network_the_manager_also_moderates(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["manager"])
    refused = client.post(f"/threads/{tid}/move", data={
        "move-reason": "Better there", "move-network": str(scene["elsewhere"].id)})
    assert refused.status_code == 400 and _thread(app, tid).network_id == scene["network"].id
    with app.app_context():
        before = db.session.get(Network, scene["network"].id).last_activity_at
    response = client.post(f"/threads/{tid}/move", data={
        "move-reason": "Better there", "move-network": str(scene["second"].id)})
    assert response.status_code == 302
    assert _thread(app, tid).network_id == scene["second"].id
    with app.app_context():
        source = db.session.get(Network, scene["network"].id)
        target = db.session.get(Network, scene["second"].id)
        assert source.last_activity_at > before and target.last_activity_at == source.last_activity_at
    assert _log(app)[0][:4] == ("move_thread", "thread", tid, "Better there")


def test_move_with_a_bad_network_value_is_a_form_error(app, client, login, scene):
    response = login(client, scene["manager"]).post(
        f"/threads/{scene['thread_id']}/move", data={"move-reason": "x", "move-network": "abc"})
    assert response.status_code == 400


def test_hide_and_restore_a_post_moves_the_counters(app, client, login, scene):
    tid = scene["thread_id"]
    with app.app_context():
        second = db.session.scalar(select(Post.id).where(Post.thread_id == tid, Post.number == 2))
    login(client, scene["manager"])
    client.post(f"/posts/{second}/hide", data={f"p{second}-hide-reason": "Rude"})
    assert _thread(app, tid).post_count == 1
    client.post(f"/posts/{second}/hide", data={f"p{second}-hide-reason": "On reflection, fine"})
    assert _thread(app, tid).post_count == 2
    # One implementation for every kind: the action is named once, the kind is the target's.
    assert [entry[:2] for entry in _log(app)] == [("hide", "post"), ("restore", "post")]


def test_hiding_or_deleting_a_post_tells_its_author_why(app, client, login, scene):
    from network.notifications.models import Notification

    tid = scene["thread_id"]
    with app.app_context():
        first, second = db.session.scalars(
            select(Post.id).where(Post.thread_id == tid).order_by(Post.number)).all()
    login(client, scene["manager"])
    client.post(f"/posts/{second}/hide", data={f"p{second}-hide-reason": "Rude",
                                               f"p{second}-hide-state": "on"})
    client.post(f"/posts/{first}/delete", data={f"p{first}-delete-reason": "Personal data"})
    with app.app_context():
        notices = [(n.user_id, n.text, n.url) for n in db.session.scalars(
            select(Notification).where(Notification.kind == "moderation")
            .order_by(Notification.id))]
    assert notices == [
        (scene["member"].id, "A moderator hid your post. Reason: Rude", f"/posts/{second}"),
        (scene["member"].id, "A moderator removed your post. Reason: Personal data",
         f"/posts/{first}")]


def test_moderator_deletes_a_post_with_a_reason_and_it_cannot_be_hidden_after(
        app, client, login, scene, make_user):
    tid = scene["thread_id"]
    with app.app_context():
        second = db.session.scalar(select(Post.id).where(Post.thread_id == tid, Post.number == 2))
    login(client, make_user(role="moderator"))
    assert client.post(f"/posts/{second}/delete",
                       data={f"p{second}-delete-reason": "Personal data"}).status_code == 302
    assert _thread(app, tid).post_count == 1
    assert client.post(f"/posts/{second}/hide",
                       data={f"p{second}-hide-reason": "x"}).status_code == 404
    login(client, scene["member"])
    page = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert "This post was removed by a moderator" in page
    assert _log(app)[0][:4] == ("delete_post", "post", second, "Personal data")


def test_moderator_sees_tools_and_members_do_not(client, login, scene):
    tid = scene["thread_id"]
    assert "Moderate this thread" not in login(client, scene["member"]).get(
        f"/threads/{tid}").get_data(as_text=True)
    page = login(client, scene["manager"]).get(f"/threads/{tid}").get_data(as_text=True)
    assert "<details" in page and "Moderate this thread" in page and "Lock thread" in page
