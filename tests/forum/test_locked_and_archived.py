"""Staff explain a lock in the locked thread itself; an archived network's posts stay
as they are (issue 9's defects)."""
import pytest
from sqlalchemy import select

from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread


@pytest.fixture
def scene(make_user, make_network, make_thread):
    member = make_user(trusted=True)
    manager = make_user(trusted=True)
    network = make_network(members=[member], managers=[manager])
    thread_id = make_thread(network, member, posts=2, repliers=[manager], locked=True).id
    return dict(member=member, manager=manager, network=network, thread_id=thread_id)


def _bodies(app, thread_id):
    with app.app_context():
        return list(db.session.scalars(select(Post.body).where(Post.thread_id == thread_id)
                                       .order_by(Post.number)))


@pytest.mark.parametrize("who", ["manager", "site moderator"])
def test_staff_post_in_a_locked_thread_to_explain_the_lock(app, client, login, make_user,
                                                           scene, who):
    writer = scene["manager"] if who == "manager" else make_user(role="moderator")
    login(client, writer)
    tid = scene["thread_id"]
    page = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert "Post reply" in page
    response = client.post(f"/threads/{tid}/reply", data={"body": "Locked: resolved."})
    assert response.status_code == 302
    assert _bodies(app, tid)[-1] == "Locked: resolved."
    with app.app_context():
        assert db.session.get(Thread, tid).post_count == 3


def test_members_still_cannot_reply_in_a_locked_thread(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["member"])
    page = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert "This thread is locked" in page and "Post reply" not in page
    response = client.post(f"/threads/{tid}/reply", data={"body": "One more"})
    assert response.status_code == 403
    assert "This thread is locked" in response.get_data(as_text=True)
    assert len(_bodies(app, tid)) == 2


def test_authors_cannot_delete_their_posts_in_an_archived_network(app, client, login,
                                                                   make_user, make_network,
                                                                   make_thread):
    member = make_user(trusted=True)
    network = make_network(members=[member], archived_at=utcnow())
    tid = make_thread(network, member, posts=1).id
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == tid))
    login(client, member)
    page = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert "Delete your post" not in page
    assert client.post(f"/posts/{post_id}/delete").status_code == 403
    with app.app_context():
        assert db.session.get(Post, post_id).status == "visible"
