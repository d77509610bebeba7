"""Fragments of signed-in pages (core/fragments.py): shared by viewers in the same
position, never stale after a write, never carrying another person's form token,
and never showing one viewer what only another may see.

Content is changed here through the plain ``app`` (cache off, its own version),
so the cached app's version does not move: a change that shows up anyway proves
a fragment was rendered afresh, and one that does not proves it was shared.
Every test runs with the local cache and with Redis, like tests/core/test_cache.py.
"""
import re

import pytest
from sqlalchemy import update

from network.core.fragments import TOKEN_MARK
from network.extensions import db
from network.forum import services as forum
from network.forum.models import Post, Thread


def _thread(app, network, author, replier):
    with app.app_context():
        thread = forum.create_thread(author, db.session.merge(network), "Night shifts",
                                     "Opening post about rotas.")
        forum.reply(replier, db.session.get(Thread, thread.id), "A reply about handovers.")
        db.session.commit()
        posts = db.session.scalars(select_posts(thread.id)).all()
        return thread.id, [p.id for p in posts]


def select_posts(thread_id):
    from sqlalchemy import select

    return select(Post).where(Post.thread_id == thread_id).order_by(Post.number)


@pytest.fixture
def two_posts(app, make_user, make_network):
    """(thread id, [first post id, second post id], author, replier) in an open network."""
    author, replier = make_user(trusted=True), make_user(trusted=True)
    network = make_network(members=[author, replier])
    thread_id, post_ids = _thread(app, network, author, replier)
    return thread_id, post_ids, author, replier


def _rewrite_quietly(app, post_id, html):
    """Change a post's stored HTML without bumping the cached app's version."""
    with app.app_context():
        db.session.execute(update(Post).where(Post.id == post_id).values(body_html=html))
        db.session.commit()


def test_viewers_in_the_same_position_share_and_a_write_refreshes(
        app, cached_app, make_user, two_posts, login):
    thread_id, (first, _), _, replier = two_posts
    one, two = make_user(display_name="Ola One"), make_user(display_name="Tam Two")
    cached = cached_app()

    first_page = login(cached.test_client(), one).get(f"/threads/{thread_id}")
    assert "Opening post about rotas." in first_page.get_data(as_text=True)
    _rewrite_quietly(app, first, "<p>Quietly changed.</p>")
    shared = login(cached.test_client(), two).get(f"/threads/{thread_id}")
    page = shared.get_data(as_text=True)
    assert "Opening post about rotas." in page and "Quietly changed." not in page
    assert "Tam Two" in page and "Ola One" not in page  # the header is never shared

    # Any write through the app makes the fragment unreachable.
    writer = login(cached.test_client(), replier)
    assert writer.post(f"/threads/{thread_id}/reply", data={"body": "Fresh reply."}).status_code == 302
    fresh = login(cached.test_client(), two).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "Quietly changed." in fresh and "Fresh reply." in fresh


def test_a_viewers_own_posts_are_rendered_for_them(cached_app, make_user, two_posts, login):
    thread_id, (first, second), author, _ = two_posts
    reader = make_user()
    cached = cached_app()

    assert f"/posts/{first}/edit" not in login(cached.test_client(), reader).get(
        f"/threads/{thread_id}").get_data(as_text=True)
    own = login(cached.test_client(), author).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert f"/posts/{first}/edit" in own and f"/posts/{second}/edit" not in own
    again = login(cached.test_client(), reader).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert f"/posts/{first}/edit" not in again


def test_moderators_fragment_is_not_shown_to_members(app, cached_app, make_user, two_posts,
                                                     login):
    thread_id, (_, second), _, _ = two_posts
    with app.app_context():
        post = db.session.get(Post, second)
        forum.set_post_status(post, "hidden")
        db.session.commit()
    moderator = make_user(role="moderator")
    member = make_user()
    cached = cached_app()

    seen = login(cached.test_client(), moderator).get(f"/threads/{thread_id}").get_data(
        as_text=True)
    assert "A reply about handovers." in seen
    shown = login(cached.test_client(), member).get(f"/threads/{thread_id}").get_data(
        as_text=True)
    assert "A reply about handovers." not in shown and "Removed by a moderator" in shown


def _token(page, prefix):
    return re.search(rf'name="{prefix}-csrf_token" value="([^"]+)"', page).group(1)


def test_each_moderator_gets_their_own_form_token(app, cached_app, make_user, two_posts, login):
    thread_id, (_, second), _, _ = two_posts
    first_mod, second_mod = make_user(role="moderator"), make_user(role="moderator")
    cached = cached_app(WTF_CSRF_ENABLED=True)

    first_page = login(cached.test_client(), first_mod).get(f"/threads/{thread_id}").get_data(
        as_text=True)
    client = login(cached.test_client(), second_mod)
    page = client.get(f"/threads/{thread_id}").get_data(as_text=True)
    prefix = f"p{second}-hide"
    assert TOKEN_MARK not in page and TOKEN_MARK not in first_page
    assert _token(page, prefix) != _token(first_page, prefix)
    answer = client.post(f"/posts/{second}/hide", data={
        f"{prefix}-csrf_token": _token(page, prefix), f"{prefix}-state": "on",
        f"{prefix}-reason": "Off topic"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Post, second).status == "hidden"


def test_lists_are_shared_only_between_viewers_of_the_same_reach(
        app, cached_app, make_user, make_network, login):
    insider, outsider, staff = make_user(), make_user(), make_user(role="moderator")
    make_network(name="Hidden Directors Circle", visibility="private", members=[insider])
    make_network(name="Open Falls Network", visibility="open")
    cached = cached_app()

    def seen(user):
        client = login(cached.test_client(), user)
        return {path: client.get(path).get_data(as_text=True) for path in ("/", "/networks/")}

    for path, page in seen(outsider).items():
        assert "Open Falls Network" in page and "Hidden Directors Circle" not in page, path
    for path, page in seen(insider).items():
        assert "Hidden Directors Circle" in page, path
    for path, page in seen(staff).items():
        assert "Hidden Directors Circle" in page, path
    for path, page in seen(outsider).items():
        assert "Hidden Directors Circle" not in page, path


def test_network_lists_follow_each_viewers_access(app, cached_app, make_user, make_network,
                                                  login):
    member, newcomer, outsider = make_user(trusted=True), make_user(), make_user()
    network = make_network(name="Closed Cafe Leads", visibility="closed",
                           members=[member, newcomer])
    with app.app_context():
        forum.create_thread(member, db.session.merge(network), "Rota swaps", "Body.")
        forum.create_thread(newcomer, db.session.merge(network), "My first question", "Body.")
        db.session.commit()
    cached = cached_app()
    home, threads = f"/networks/{network.slug}/", f"/networks/{network.slug}/threads/"

    def page(user, path):
        return login(cached.test_client(), user).get(path).get_data(as_text=True)

    assert "Rota swaps" not in page(outsider, home)
    assert "Rota swaps" in page(member, home)
    assert "Rota swaps" not in page(outsider, home)
    # A newcomer's first thread waits for approval: only they (and moderators) see it.
    assert "My first question" not in page(member, threads)
    assert "My first question" in page(newcomer, threads)
    assert "My first question" not in page(member, threads)


def test_a_kept_fragment_loads_no_rows(cached_app, make_user, two_posts, login):
    """On a hit the posts are neither queried nor rendered: that is the point."""
    from sqlalchemy import event

    thread_id, _, _, _ = two_posts
    cached = cached_app()
    client = login(cached.test_client(), make_user())
    statements = []
    with cached.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(f"/threads/{thread_id}")
        first = [s for s in statements if "post.body_html" in s]
        statements.clear()
        page = client.get(f"/threads/{thread_id}").get_data(as_text=True)
        again = [s for s in statements if "post.body_html" in s]
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert first and not again
    assert "A reply about handovers." in page
