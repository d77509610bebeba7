"""Reading a thread, replying, quoting, editing, deleting and post links."""
import pytest
from sqlalchemy import select

from network.extensions import db
from network.forum.models import Post, PostRevision, Thread
from network.networks.models import Network


@pytest.fixture
def scene(make_user, make_network, make_thread):
    member = make_user(trusted=True, display_name="Maya Member")
    replier = make_user(trusted=True, display_name="Raj Replier")
    newcomer = make_user(display_name="Nia Newcomer")
    manager = make_user(display_name="Mo Manager")
    network = make_network(members=[member, replier, newcomer], managers=[manager])
    thread_id = make_thread(network, member, posts=2, repliers=[replier]).id
    return dict(member=member, replier=replier, newcomer=newcomer, manager=manager,
                network=network, thread_id=thread_id)


def _posts(app, thread_id):
    with app.app_context():
        return [(p.number, p.status, p.body) for p in db.session.scalars(
            select(Post).where(Post.thread_id == thread_id).order_by(Post.number))]


def _thread(app, thread_id):
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        db.session.expunge(thread)
        return thread


def test_reply_is_numbered_counted_and_linked(app, client, login, scene):
    tid = scene["thread_id"]
    response = login(client, scene["replier"]).post(f"/threads/{tid}/reply",
                                                    data={"body": "Third *thoughts*"})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.number == 3))
        assert response.location.endswith(f"/threads/{tid}?page=1#post-{post.id}")
        thread = db.session.get(Thread, tid)
        assert (thread.post_count, thread.last_poster_id) == (3, scene["replier"].id)
        assert thread.last_post_at == post.created_at
        assert db.session.get(Network, scene["network"].id).last_activity_at == post.created_at
    assert "<em>thoughts</em>" in client.get(f"/threads/{tid}").get_data(as_text=True)


def test_quote_prefills_the_reply_with_the_post_source_and_author(app, client, login, scene):
    with app.app_context():
        first = db.session.scalar(select(Post).where(Post.number == 1))
    page = login(client, scene["replier"]).get(
        f"/threads/{scene['thread_id']}?quote={first.id}").get_data(as_text=True)
    assert "Maya Member wrote:\n\n&gt; Post number 1 about rotas." in page


def test_quote_of_a_post_from_another_thread_is_ignored(app, client, login, scene, make_thread):
    other = make_thread(scene["network"], scene["member"], title="Other").id
    with app.app_context():
        foreign = db.session.scalar(select(Post).where(Post.thread_id == other))
    page = login(client, scene["replier"]).get(
        f"/threads/{scene['thread_id']}?quote={foreign.id}").get_data(as_text=True)
    assert "wrote:" not in page
    for nonsense in ("nonsense", "²", "99999999999999999999"):
        assert login(client, scene["replier"]).get(
            f"/threads/{scene['thread_id']}?quote={nonsense}").status_code == 200


def test_thread_pages_hold_25_posts_and_post_links_find_the_right_page(
        app, client, login, scene, make_thread):
    tid = make_thread(scene["network"], scene["member"], posts=60, repliers=[scene["replier"]]).id
    with app.app_context():
        post_30 = db.session.scalar(select(Post.id).where(Post.thread_id == tid, Post.number == 30))
    login(client, scene["member"])
    response = client.get(f"/posts/{post_30}")
    assert response.status_code == 302
    assert response.location.endswith(f"/threads/{tid}?page=2#post-{post_30}")
    page2 = client.get(f"/threads/{tid}?page=2").get_data(as_text=True)
    assert page2.count('class="post post-') == 25
    assert "Post number 26 about" in page2 and "Post number 51 about" not in page2
    assert 'id="reply"' not in page2 and "Go to the last page to reply" in page2
    page3 = client.get(f"/threads/{tid}?page=3").get_data(as_text=True)
    assert page3.count('class="post post-') == 10 and 'id="reply"' in page3
    assert client.get(f"/threads/{tid}?page=99").status_code == 200


def test_editing_keeps_the_previous_text_for_moderators(app, client, login, scene):
    with app.app_context():
        first = db.session.scalar(select(Post).where(Post.number == 1))
    login(client, scene["member"])
    assert client.get(f"/posts/{first.id}/edit").status_code == 200
    response = client.post(f"/posts/{first.id}/edit", data={"body": "Corrected rota"})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.get(Post, first.id)
        assert post.body == "Corrected rota" and post.edited_at is not None
        revision = db.session.scalar(select(PostRevision))
        assert revision.body == "Post number 1 about rotas."
        assert revision.editor_id == scene["member"].id
    assert "Edited" in client.get(f"/threads/{scene['thread_id']}").get_data(as_text=True)
    assert client.get(f"/posts/{first.id}/history").status_code == 403
    login(client, scene["manager"])
    history = client.get(f"/posts/{first.id}/history").get_data(as_text=True)
    assert "Post number 1 about rotas." in history and "Corrected rota" in history


def test_nobody_edits_someone_elses_post(app, client, login, scene):
    with app.app_context():
        first = db.session.scalar(select(Post.id).where(Post.number == 1))
    login(client, scene["replier"])
    assert client.post(f"/posts/{first}/edit", data={"body": "Hijack"}).status_code == 403
    login(client, scene["manager"])
    assert client.post(f"/posts/{first}/edit", data={"body": "Hijack"}).status_code == 403
    assert _posts(app, scene["thread_id"])[0][2] == "Post number 1 about rotas."


def test_deleting_own_post_leaves_a_placeholder_and_moves_counters(app, client, login, scene):
    with app.app_context():
        second = db.session.scalar(select(Post.id).where(Post.number == 2))
    login(client, scene["replier"])
    assert client.post(f"/posts/{second}/delete").status_code == 302
    thread = _thread(app, scene["thread_id"])
    assert thread.post_count == 1 and thread.last_poster_id == scene["member"].id
    page = client.get(f"/threads/{scene['thread_id']}").get_data(as_text=True)
    assert "This post was deleted by its author" in page
    assert "Post number 2 about rotas." not in page
    # Acting twice changes nothing and is not an error page.
    assert client.post(f"/posts/{second}/delete").status_code == 409
    assert _thread(app, scene["thread_id"]).post_count == 1


def test_untrusted_reply_waits_for_approval_and_is_not_counted(app, client, login, scene):
    tid = scene["thread_id"]
    login(client, scene["newcomer"]).post(f"/threads/{tid}/reply", data={"body": "My idea"})
    assert _posts(app, tid)[-1] == (3, "pending", "My idea")
    thread = _thread(app, tid)
    assert thread.post_count == 2 and thread.last_poster_id == scene["replier"].id
    own = client.get(f"/threads/{tid}").get_data(as_text=True)
    assert "My idea" in own and "Awaiting approval" in own
    login(client, scene["member"])
    assert "My idea" not in client.get(f"/threads/{tid}").get_data(as_text=True)
    login(client, scene["manager"])
    assert "My idea" in client.get(f"/threads/{tid}").get_data(as_text=True)


@pytest.mark.parametrize("body, message", [
    ("", "Write something"), ("   \n  ", "Write something"),
    ("z" * 20_001, "20,000 characters or fewer"), ("bad\x00byte", "cannot accept"),
])
def test_bad_reply_is_refused_beside_the_field_and_nothing_changes(
        app, client, login, scene, body, message):
    response = login(client, scene["replier"]).post(f"/threads/{scene['thread_id']}/reply",
                                                    data={"body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert 'id="body-error"' in page
    assert len(_posts(app, scene["thread_id"])) == 2
    if body == "bad\x00byte":
        assert "badbyte" in page


def test_hidden_post_shows_a_placeholder_to_members_and_text_to_moderators(
        app, client, login, scene):
    from network.forum.services import set_post_status

    with app.app_context():
        second = db.session.scalar(select(Post).where(Post.number == 2))
        set_post_status(second, "hidden")
        db.session.commit()
    login(client, scene["member"])
    page = client.get(f"/threads/{scene['thread_id']}").get_data(as_text=True)
    assert "Removed by a moderator" in page and "Post number 2 about" not in page
    login(client, scene["manager"])
    page = client.get(f"/threads/{scene['thread_id']}").get_data(as_text=True)
    assert "Removed by a moderator" in page and "Post number 2 about" in page


def test_thread_page_runs_a_fixed_number_of_queries(app, client, login, scene, make_thread,
                                                     count_queries):
    login(client, scene["manager"])  # a moderator sees the most controls
    counts = {}
    for size in (60, 1000):
        tid = make_thread(scene["network"], scene["member"], posts=size,
                          repliers=[scene["replier"], scene["manager"]]).id
        last_page = (size - 1) // 25 + 1
        for name, page in (("first", 1), ("last", last_page)):
            with count_queries() as queries:
                response = client.get(f"/threads/{tid}?page={page}")
            assert response.status_code == 200
            counts.setdefault(name, []).append(len(queries))
    assert counts["first"][0] == counts["first"][1], counts
    assert counts["last"][0] == counts["last"][1], counts
    assert max(counts["first"] + counts["last"]) <= 10, counts


def test_replies_are_rate_limited_per_person(make_app, make_user, make_network, make_thread,
                                             login):
    app = make_app(RATELIMIT_ENABLED=True)
    member = make_user(trusted=True)
    network = make_network(members=[member])
    tid = make_thread(network, member).id
    client = login(app.test_client(), member)
    statuses = [client.post(f"/threads/{tid}/reply", data={"body": f"Reply {n}"}).status_code
                for n in range(11)]
    assert statuses == [302] * 10 + [429]


def test_someone_elses_pending_post_adds_no_page(app, make_user, make_network, make_thread,
                                                 login):
    """A 26th post awaiting approval must not give other readers an empty page 2
    (which would tell them it exists); its author and moderators see page 2."""
    member = make_user(trusted=True)
    newcomer = make_user()
    manager = make_user()
    network = make_network(members=[member, newcomer], managers=[manager])
    thread_id = make_thread(network, member, posts=25).id
    writer = login(app.test_client(), newcomer)
    assert writer.post(f"/threads/{thread_id}/reply",
                       data={"body": "My first reply."}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Post.status).where(Post.number == 26,
                                                           Post.thread_id == thread_id)) == "pending"

    def shows_page_two(user):
        page = login(app.test_client(), user).get(f"/threads/{thread_id}").get_data(as_text=True)
        return f"/threads/{thread_id}?page=2" in page

    assert not shows_page_two(member)
    assert shows_page_two(newcomer) and shows_page_two(manager)
