"""Scoped invalidation (issue 17): a reply makes its own thread, the lists and
everyone's own pages fresh, and leaves the pages and fragments of other threads
cached.

As in test_fragments.py, rows are changed "quietly" through the plain ``app``
(cache off): a quiet change that shows proves a page was built afresh, one that
does not proves it was kept. Every test runs with the local cache and with Redis.
"""
import pytest
from sqlalchemy import update

from network.extensions import db
from network.forum import services as forum
from network.forum.models import Post, Thread


def _quietly(app, statement):
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


@pytest.fixture
def threads(app, make_user, make_network):
    """Two threads in one open network and one in another, and two trusted members."""
    author, replier = make_user(trusted=True, display_name="Ada Author"), make_user(trusted=True)
    network = make_network(members=[author, replier], name="Frailty Network")
    other = make_network(members=[author, replier], name="Discharge Network")
    with app.app_context():
        made = [forum.create_thread(author, db.session.merge(n), title, f"Opening post of {title}.")
                for n, title in ((network, "Night shifts"), (network, "Falls clinic"),
                                 (other, "Step-down beds"))]
        ids = [t.id for t in made]
    return {"ids": ids, "author": author, "replier": replier, "slug": network.slug}


def test_a_reply_keeps_other_threads_and_refreshes_its_own_and_the_lists(
        app, cached_app, threads, login):
    replied, same_network, elsewhere = threads["ids"]
    worker_a, worker_b = cached_app(), cached_app()  # two processes sharing one cache
    visitor = worker_b.test_client()
    paths = [f"/threads/{t}" for t in threads["ids"]] + [
        f"/networks/{threads['slug']}/threads/", f"/networks/{threads['slug']}/", "/"]
    for path in paths:
        assert visitor.get(path).status_code == 200
        assert visitor.get(path).headers["X-Cache"] == "hit", path
    # Quiet changes: shown again only where a page is built afresh.
    _quietly(app, update(Post).where(Post.thread_id.in_([same_network, elsewhere]))
             .values(body_html="<p>Quietly changed.</p>"))
    _quietly(app, update(Thread).where(Thread.id == same_network).values(title="Falls clinic, renamed"))

    writer = login(worker_a.test_client(), threads["replier"])
    assert writer.post(f"/threads/{replied}/reply",
                       data={"body": "Night sitting worked for us."}).status_code == 302

    for kept in (same_network, elsewhere):
        page = visitor.get(f"/threads/{kept}")
        assert page.headers["X-Cache"] == "hit"
        assert "Quietly changed." not in page.get_data(as_text=True)
    own = visitor.get(f"/threads/{replied}")
    assert own.headers["X-Cache"] == "miss"
    assert "Night sitting worked for us." in own.get_data(as_text=True)
    for path in paths[3:]:  # the network's list, its home page, the home page
        page = visitor.get(path)
        assert page.headers["X-Cache"] == "miss", path
    listing = visitor.get(f"/networks/{threads['slug']}/threads/").get_data(as_text=True)
    assert "Falls clinic, renamed" in listing  # rebuilt from the rows as they are now


def test_a_reply_keeps_other_threads_fragments_for_members(app, cached_app, threads, make_user,
                                                          login):
    replied, kept, _ = threads["ids"]
    cached = cached_app()
    reader = login(cached.test_client(), make_user(display_name="Rhys Reader"))
    assert "Opening post of Falls clinic." in reader.get(f"/threads/{kept}").get_data(as_text=True)
    _quietly(app, update(Post).where(Post.thread_id == kept).values(body_html="<p>Quietly changed.</p>"))
    writer = login(cached.test_client(), threads["replier"])
    assert writer.post(f"/threads/{replied}/reply", data={"body": "A fresh reply."}).status_code == 302

    page = reader.get(f"/threads/{kept}")
    assert page.headers["X-Cache"] == "miss"  # their own copy went (their header may change)
    html = page.get_data(as_text=True)
    assert "Opening post of Falls clinic." in html and "Quietly changed." not in html
    assert "A fresh reply." in reader.get(f"/threads/{replied}").get_data(as_text=True)


def test_a_reply_refreshes_a_watchers_unread_count_on_any_page(app, cached_app, threads, login):
    replied, kept, _ = threads["ids"]
    cached = cached_app()
    author = login(cached.test_client(), threads["author"])  # watches the thread they started
    assert "unread" not in author.get(f"/threads/{kept}").get_data(as_text=True)
    assert author.get(f"/threads/{kept}").headers["X-Cache"] == "hit"  # their own copy
    writer = login(cached.test_client(), threads["replier"])
    assert writer.post(f"/threads/{replied}/reply", data={"body": "Did you try this?"}).status_code == 302
    page = author.get(f"/threads/{kept}")
    assert page.headers["X-Cache"] == "miss"
    assert "Notifications, 1 unread" in page.get_data(as_text=True)


def test_a_write_that_names_no_scope_still_refreshes_every_thread(app, cached_app, threads,
                                                                  make_user, login):
    _, kept, _ = threads["ids"]
    cached = cached_app()
    visitor = cached.test_client()
    visitor.get(f"/threads/{kept}")
    assert visitor.get(f"/threads/{kept}").headers["X-Cache"] == "hit"
    _quietly(app, update(Post).where(Post.thread_id == kept).values(body_html="<p>Quietly changed.</p>"))
    member = login(cached.test_client(), make_user())
    assert member.post("/settings/profile", data={
        "display_name": "Ray Patel", "job_title": "GP", "organisation": "Bolton PCN",
        "sector": "nhs", "region": "2", "bio": "Anything."}).status_code == 302
    page = visitor.get(f"/threads/{kept}")
    assert page.headers["X-Cache"] == "miss"
    assert "Quietly changed." in page.get_data(as_text=True)


def test_a_refused_reply_bumps_nothing(cached_app, threads, make_user, login):
    replied, kept, _ = threads["ids"]
    cached = cached_app()
    visitor = cached.test_client()
    visitor.get(f"/threads/{replied}")
    outsider = login(cached.test_client(), make_user())  # not a member of the network
    assert outsider.post(f"/threads/{replied}/reply", data={"body": "Let me in."}).status_code in (403, 404)
    empty = login(cached.test_client(), threads["replier"])
    assert empty.post(f"/threads/{replied}/reply", data={"body": ""}).status_code == 400
    assert visitor.get(f"/threads/{replied}").headers["X-Cache"] == "hit"


def test_a_comment_keeps_other_articles_and_refreshes_its_own_and_the_list(
        app, cached_app, make_user, make_article, login):
    from network.articles.models import Article

    associate = make_user(role="associate", trusted=True)
    commented = make_article(associate, slug="what-worked", title="What worked")
    make_article(associate, slug="falls-clinic", title="Falls clinic")
    cached = cached_app()
    visitor = cached.test_client()
    for path in ("/articles/what-worked", "/articles/falls-clinic", "/articles/", "/"):
        visitor.get(path)
        assert visitor.get(path).headers["X-Cache"] == "hit", path
    _quietly(app, update(Article).where(Article.slug == "falls-clinic")
             .values(body_html="<p>Quietly changed.</p>"))
    writer = login(cached.test_client(), make_user(trusted=True))
    assert writer.post(f"/articles/{commented.slug}/comments",
                       data={"body": "We tried this in Bolton."}).status_code == 302

    kept = visitor.get("/articles/falls-clinic")
    assert kept.headers["X-Cache"] == "hit" and "Quietly changed." not in kept.get_data(as_text=True)
    own = visitor.get("/articles/what-worked")
    assert own.headers["X-Cache"] == "miss" and "We tried this in Bolton." in own.get_data(as_text=True)
    assert visitor.get("/articles/").headers["X-Cache"] == "miss"
    assert visitor.get("/").headers["X-Cache"] == "miss"


def test_a_cached_thread_page_reads_its_versions_in_one_round_trip(
        app, cached_app, threads, monkeypatch):
    """Redis: a hit costs one MGET of the content, thread and ``rest`` versions and
    one GET of the entry; locally the same page is served from memory."""
    worker = cached_app()
    visitor = worker.test_client()
    path = f"/threads/{threads['ids'][0]}"
    assert visitor.get(path).headers["X-Cache"] == "miss"
    cache = worker.extensions["page_cache"]
    if cache.client is None:
        assert visitor.get(path).headers["X-Cache"] == "hit"
        return
    sent = []
    real = cache.client.execute_command

    def counting(*args, **options):
        sent.append(args[0])
        return real(*args, **options)

    monkeypatch.setattr(cache.client, "execute_command", counting)
    page = visitor.get(path)
    assert page.headers["X-Cache"] == "hit"
    assert sent == ["MGET", "GET"], sent


def test_a_member_reads_the_versions_once_per_request(
        app, cached_app, threads, login, monkeypatch):
    """Redis: a signed-in member's own copy costs one MGET of every version it
    depends on, however many keys the request builds from them."""
    worker = cached_app()
    member = login(worker.test_client(), threads["replier"])
    path = f"/threads/{threads['ids'][0]}"
    member.get(path)
    cache = worker.extensions["page_cache"]
    if cache.client is None:
        pytest.skip("the local cache reads its versions with stat(), no round trips")
    sent = []
    real = cache.client.execute_command

    def counting(*args, **options):
        sent.append(args[0])
        return real(*args, **options)

    monkeypatch.setattr(cache.client, "execute_command", counting)
    assert member.get(path).status_code == 200
    assert sent.count("MGET") == 1, sent
    assert "INCR" not in sent, sent
    assert sent.count("GET") <= 2, sent  # the own copy, and the signed-in person's row
