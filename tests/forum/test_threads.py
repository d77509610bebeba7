"""The thread list of a network, starting threads, and who may see them."""
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Network


@pytest.fixture
def people(make_user, make_network):
    member = make_user(trusted=True, display_name="Maya Member")
    newcomer = make_user(display_name="Nia Newcomer")
    manager = make_user(display_name="Mo Manager")
    outsider = make_user(display_name="Otto Outsider")
    network = make_network(members=[member, newcomer], managers=[manager])
    return member, newcomer, manager, outsider, network


def _thread(app, thread_id):
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        db.session.expunge(thread)
        return thread


def test_member_starts_a_thread_whose_first_post_is_number_one(app, client, login, people):
    member, _, _, _, network = people
    response = login(client, member).post(f"/networks/{network.slug}/threads/new",
                                          data={"title": "  Winter pressures  ",
                                                "body": "How are you **staffing** it?"})
    assert response.status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(Thread))
        post = db.session.scalar(select(Post))
        assert (thread.title, thread.status, thread.post_count) == ("Winter pressures", "visible", 1)
        assert thread.last_poster_id == member.id
        assert (post.number, post.status) == (1, "visible")
        assert "<strong>staffing</strong>" in post.body_html
        assert db.session.get(Network, network.id).last_activity_at >= thread.created_at
    page = client.get(response.location).get_data(as_text=True)
    assert "Winter pressures" in page and "<strong>staffing</strong>" in page


def test_list_shows_pinned_first_then_latest_activity_with_reply_counts(
        client, login, people, make_thread):
    member, _, manager, _, network = people
    make_thread(network, member, posts=3, repliers=[manager], title="Older but pinned",
                pinned=True, ago=9)
    make_thread(network, member, posts=1, title="Quiet thread", ago=5)
    make_thread(network, member, posts=2, repliers=[manager], title="Busy thread", ago=1)
    page = login(client, member).get(f"/networks/{network.slug}/threads/").get_data(as_text=True)
    assert page.index("Older but pinned") < page.index("Busy thread") < page.index("Quiet thread")
    row = page[page.index("Busy thread"):page.index("Quiet thread")]
    assert "<td>1</td>" in row and "Mo Manager" in row


def test_list_paginates_thirty_a_page(client, people, make_thread, app):
    member, _, _, _, network = people
    _bulk_threads(app, network.id, member.id, 31)
    first = client.get(f"/networks/{network.slug}/threads/").get_data(as_text=True)
    second = client.get(f"/networks/{network.slug}/threads/?page=2").get_data(as_text=True)
    assert first.count('<a href="/threads/') == 30
    assert second.count('<a href="/threads/') == 1 and "Thread 30 " in second
    assert 'rel="next"' in first


def test_closed_network_list_tells_outsiders_discussions_are_for_members(
        client, login, make_user, make_network, make_thread):
    member = make_user(trusted=True)
    network = make_network(visibility="closed", members=[member])
    make_thread(network, member, title="Members-only talk")
    response = login(client, make_user()).get(f"/networks/{network.slug}/threads/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "for its members" in page and "Members-only talk" not in page


def test_private_network_threads_are_404_for_outsiders(client, login, make_user, make_network,
                                                     make_thread):
    member = make_user(trusted=True)
    network = make_network(visibility="private", members=[member])
    thread_id = make_thread(network, member).id
    login(client, make_user())
    assert client.get(f"/networks/{network.slug}/threads/").status_code == 404
    assert client.get(f"/threads/{thread_id}").status_code == 404
    assert client.get(f"/networks/{network.slug}/threads/new").status_code == 404


def test_hidden_threads_vanish_from_lists_and_are_404_to_readers(
        app, client, login, people, make_thread):
    member, _, manager, _, network = people
    thread_id = make_thread(network, member, title="Gone thread", status="hidden").id
    login(client, member)
    assert "Gone thread" not in client.get(f"/networks/{network.slug}/threads/").get_data(as_text=True)
    assert client.get(f"/threads/{thread_id}").status_code == 404
    assert "Gone thread" not in client.get("/").get_data(as_text=True)
    login(client, manager)
    assert client.get(f"/threads/{thread_id}").status_code == 200


def test_untrusted_member_thread_waits_for_approval_seen_only_by_author_and_managers(
        app, client, login, people):
    member, newcomer, manager, _, network = people
    login(client, newcomer).post(f"/networks/{network.slug}/threads/new",
                                 data={"title": "My first question", "body": "Hello?"})
    with app.app_context():
        thread = db.session.scalar(select(Thread))
        assert (thread.status, thread.post_count) == ("pending", 0)
        assert db.session.scalar(select(Post.status)) == "pending"
    own = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Awaiting approval" in own and "Hello?" in own
    assert "My first question" in client.get(f"/networks/{network.slug}/threads/").get_data(as_text=True)
    login(client, member)
    assert client.get(f"/threads/{thread.id}").status_code == 404
    assert "My first question" not in client.get(
        f"/networks/{network.slug}/threads/").get_data(as_text=True)
    login(client, manager)
    assert "Hello?" in client.get(f"/threads/{thread.id}").get_data(as_text=True)


@pytest.mark.parametrize("title, body, field", [
    ("", "Body", "Enter a title"),
    ("   ", "Body", "Enter a title"),
    ("x" * 201, "Body", "Titles are 200 characters or fewer"),
    ("Title", "", "Write something"),
    ("Title", " \n\t ", "Write something"),
    ("Title", "y" * 20_001, "20,000 characters or fewer"),
    ("Title\x00", "Body", "characters we cannot accept"),
])
def test_bad_thread_input_is_refused_beside_the_field_and_kept(
        app, client, login, people, title, body, field):
    member, _, _, _, network = people
    response = login(client, member).post(f"/networks/{network.slug}/threads/new",
                                          data={"title": title, "body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field in page and 'class="error-message"' in page
    with app.app_context():
        assert db.session.scalar(select(Thread.id)) is None
    if body.strip() and len(body) < 100:
        assert body in page


def test_staff_who_are_not_members_cannot_start_threads(client, login, make_user, people):
    *_, network = people
    login(client, make_user(role="moderator"))
    assert client.get(f"/networks/{network.slug}/threads/new").status_code == 403


def test_silenced_member_cannot_start_a_thread(client, login, make_user, make_network):
    silenced = make_user(trusted=True, silenced_until=utcnow() + timedelta(days=1))
    network = make_network(members=[silenced])
    response = login(client, silenced).post(f"/networks/{network.slug}/threads/new",
                                            data={"title": "T", "body": "B"})
    assert response.status_code == 403


def _bulk_threads(app, network_id, author_id, n):
    now = utcnow()
    with app.app_context():
        db.session.execute(insert(Thread), [
            dict(network_id=network_id, title=f"Thread {i} ", author_id=author_id, pinned=False,
                 locked=False, status="visible", post_count=1, last_poster_id=author_id,
                 last_post_at=now - timedelta(minutes=i), created_at=now - timedelta(minutes=i))
            for i in range(n)])
        db.session.commit()


def test_thread_list_runs_a_fixed_number_of_queries(app, client, login, people, count_queries):
    member, _, _, _, network = people
    login(client, member)
    counts = []
    for size in (40, 2000):
        _bulk_threads(app, network.id, member.id, size - (40 if size == 2000 else 0))
        with count_queries() as queries:
            response = client.get(f"/networks/{network.slug}/threads/?page=2")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 8, counts


@pytest.mark.parametrize("url", [
    "/networks/%00/threads/", "/networks/" + "a" * 200 + "/threads/",
    "/threads/0", "/threads/99999999999", "/posts/abc", "/threads/1/reply",
])
def test_bad_addresses_are_refused_never_an_error(client, login, make_user, url):
    login(client, make_user())
    response = client.post(url) if url.endswith("/reply") else client.get(url)
    assert response.status_code in ({400, 404} if "%00" in url else {404})
