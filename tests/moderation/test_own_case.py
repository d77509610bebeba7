"""Issue 16, hole 1: nobody judges their own case. A manager (anyone may create a
network and manage it) must not approve, reject, uphold or dismiss on their own
content, nor see it in their queue; and only approvals by site staff, or by managers
of a network the author did not create, count towards ``trusted``."""
import pytest
from sqlalchemy import select

from network.accounts.models import User
from network.extensions import db
from network.forum.models import Post
from network.moderation.models import Flag
from tests.moderation.conftest import get


@pytest.fixture
def client_for(app, login):
    return lambda user: login(app.test_client(), user)


@pytest.fixture
def own_network(app, make_user, make_network, make_thread):
    """A member who created a network and manages it, with a pending thread of theirs,
    and a second account they made a manager too."""
    founder, sock = make_user(display_name="Fay Founder"), make_user()
    network = make_network(managers=[founder, sock], created_by_id=founder.id)
    thread = make_thread(network, founder, status="pending", post_status="pending",
                         title="My own thread")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    return dict(founder=founder, sock=sock, network=network, thread=thread, post_id=post_id)


def test_a_managers_own_pending_post_is_not_in_their_queue(own_network, client_for):
    page = client_for(own_network["founder"]).get("/moderation/").get_data(as_text=True)
    assert "My own thread" not in page


def test_a_manager_cannot_approve_or_reject_their_own_post(app, own_network, client_for):
    client = client_for(own_network["founder"])
    post_id = own_network["post_id"]
    for decision in ("approve", "reject"):
        response = client.post(f"/moderation/pending/post/{post_id}/{decision}",
                               data={"reason": "Looks fine to me"})
        assert response.status_code == 403
    assert get(app, Post, post_id).status == "pending"
    assert get(app, User, own_network["founder"].id).approved_count == 0


def test_a_manager_cannot_uphold_or_dismiss_flags_on_their_own_post(
        app, own_network, make_thread, make_user, bulk_flags, client_for):
    founder, network = own_network["founder"], own_network["network"]
    thread = make_thread(network, founder, title="Flagged thread of mine")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    bulk_flags([("post", post_id, network.id)], [make_user().id, make_user().id])
    client = client_for(founder)
    assert "Flagged thread of mine" not in client.get("/moderation/").get_data(as_text=True)
    for decision in ("dismiss", "uphold"):
        response = client.post(f"/moderation/flags/post/{post_id}/{decision}",
                               data={"reason": "Nothing wrong here"})
        assert response.status_code == 403
    with app.app_context():
        assert set(db.session.scalars(select(Flag.status).where(Flag.target_id == post_id))) \
            == {"open"}


def test_approvals_by_managers_of_the_authors_own_network_do_not_earn_trust(
        app, own_network, make_post, client_for):
    founder, sock = own_network["founder"], own_network["sock"]
    client = client_for(sock)
    posts = [own_network["post_id"]] + [make_post(own_network["thread"], founder,
                                                  status="pending").id for _ in range(3)]
    for post_id in posts:
        assert client.post(f"/moderation/pending/post/{post_id}/approve",
                           data={"reason": "Fine"}).status_code == 302
    person = get(app, User, founder.id)
    assert not person.trusted and person.approved_count == 0


def test_approvals_by_site_staff_earn_trust(app, own_network, make_post, make_user,
                                            client_for):
    founder = own_network["founder"]
    client = client_for(make_user(role="moderator"))
    posts = [own_network["post_id"]] + [make_post(own_network["thread"], founder,
                                                  status="pending").id for _ in range(2)]
    for post_id in posts:
        client.post(f"/moderation/pending/post/{post_id}/approve", data={"reason": "Fine"})
    assert get(app, User, founder.id).trusted


def test_approvals_by_managers_of_someone_elses_network_earn_trust(
        app, make_user, make_network, make_thread, make_post, client_for):
    member, manager = make_user(), make_user()
    network = make_network(members=[member], managers=[manager], created_by_id=manager.id)
    thread = make_thread(network, manager)
    posts = [make_post(thread, member, status="pending").id for _ in range(3)]
    client = client_for(manager)
    for post_id in posts:
        client.post(f"/moderation/pending/post/{post_id}/approve", data={"reason": "Fine"})
    assert get(app, User, member.id).trusted
