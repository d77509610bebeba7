"""Nothing a visitor sends can flush, flood or address someone else's cached entries
(DESIGN section 7, "Caches"): a POST that writes nothing, a forged Host header, a
forged remember-me cookie, odd query strings. Also: remembered rows expire and are
never used to authorise a POST.

Every test runs with the local cache and with Redis (the ``cached_app`` fixture).
"""
import uuid

from sqlalchemy import delete, func, select, update

from network.accounts.models import User, UserSession
from network.core.cache import invalidate
from network.extensions import db

PASSWORD = "correct horse battery"


def _kept(client, path="/terms", **kwargs):
    """Ask twice; True when the second answer came from the cache."""
    client.get(path, **kwargs)
    return client.get(path, **kwargs).headers.get("X-Cache") == "hit"


# ------------------------------------------------------------ only a committed write bumps

def test_an_anonymous_post_without_a_csrf_token_leaves_cached_pages(cached_app):
    app = cached_app(WTF_CSRF_ENABLED=True)
    visitor = app.test_client()
    assert _kept(visitor)
    for path in ("/auth/login", "/auth/register", "/auth/logout", "/threads/1/reply"):
        response = app.test_client().post(path, data={"login": "x", "password": "y"})
        assert response.status_code in (400, 404), path  # refused: no token
    assert visitor.get("/terms").headers["X-Cache"] == "hit"


def test_a_failed_sign_in_leaves_cached_pages(cached_app, make_user):
    make_user(username="fay")
    app = cached_app()
    visitor = app.test_client()
    assert _kept(visitor)
    response = app.test_client().post("/auth/login", data={"login": "fay", "password": "wrong"})
    assert response.status_code == 400
    assert visitor.get("/terms").headers["X-Cache"] == "hit"


def test_a_form_with_errors_leaves_cached_pages(cached_app, make_user, login):
    app = cached_app()
    visitor = app.test_client()
    assert _kept(visitor)
    member = login(app.test_client(), make_user(username="sam"))
    response = member.post("/settings/profile", data={"display_name": ""})
    assert response.status_code == 400
    assert visitor.get("/terms").headers["X-Cache"] == "hit"


def test_a_request_that_commits_a_change_bumps_once_and_a_rollback_does_not(cached_app):
    from flask import g

    from network.core.cache import writes

    app = cached_app()
    cache = app.extensions["page_cache"]
    before = cache.version.current()
    with app.test_request_context("/", method="POST"):
        user = User(username="rolled", email="rolled@example.org", password_hash="x",
                    display_name="Rolled Back")
        db.session.add(user)
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # nothing left to commit
        assert not g.get(writes.COMMITTED)
        db.session.execute(update(User).where(User.id == -1).values(job_title="none"))
        db.session.commit()  # an UPDATE through the session counts, whatever it matched
        assert g.get(writes.COMMITTED)
        app.do_teardown_request()
    bumped = cache.version.current()
    assert bumped != before
    with app.test_request_context("/", method="POST"):
        app.do_teardown_request()  # a request that committed nothing
    assert cache.version.current() == bumped


# ------------------------------------------------------------ keys: Host and kinds

def test_a_forged_host_is_never_served_someone_elses_copy(cached_app, make_user, login):
    make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    sam_user = make_user(username="sam", display_name="Sam Viewer")
    sam = login(app.test_client(), sam_user)
    assert _kept(sam, "/members/ray")  # Sam's own copy is kept
    session_id = sam_user.get_id()
    for forged in (f"own:{session_id}:localhost", f"own:{session_id}:whatworks.test",
                   f"own:{session_id}:", "evil.example"):
        response = app.test_client().get("/members/ray", environ_overrides={"HTTP_HOST": forged})
        assert response.status_code == 200
        assert "Sam Viewer" not in response.get_data(as_text=True), forged


def test_a_forged_host_makes_no_entry_of_its_own(cached_app, make_user):
    make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    first = app.test_client().get("/members/ray", environ_overrides={"HTTP_HOST": "a.example"})
    assert first.headers["X-Cache"] == "miss"
    for host in ("localhost", "b.example", f"x{uuid.uuid4().hex}.example"):
        response = app.test_client().get("/members/ray", environ_overrides={"HTTP_HOST": host})
        assert response.headers["X-Cache"] == "hit", host  # the one entry, whatever the Host
        assert response.get_data() == first.get_data()


# ------------------------------------------------------------ remember-me cookies

def test_a_forged_remember_cookie_gets_the_shared_page(cached_app, make_user):
    make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    assert _kept(app.test_client(), "/members/ray")
    for forged in ("1|" + "0" * 128, "garbage", "7:token|abc"):
        client = app.test_client()
        client.set_cookie("remember_token", forged)
        response = client.get("/members/ray")
        assert response.headers["X-Cache"] == "hit", forged
        assert "Sign in" in response.get_data(as_text=True)


def test_a_page_asked_for_with_a_forged_remember_cookie_is_kept_for_everyone(cached_app):
    app = cached_app()
    client = app.test_client()
    client.set_cookie("remember_token", "forged")
    assert client.get("/terms").headers["X-Cache"] == "miss"
    assert app.test_client().get("/terms").headers["X-Cache"] == "hit"


def test_a_genuine_remember_cookie_still_signs_the_person_in(cached_app, make_user):
    make_user(username="fay", display_name="Fay Remembered")
    app = cached_app()
    assert _kept(app.test_client())
    browser = app.test_client()
    browser.post("/auth/login", data={"login": "fay", "password": PASSWORD, "remember": "y"})
    cookie = browser.get_cookie("remember_token")
    assert cookie is not None
    returning = app.test_client()  # the browser was closed: only the remember-me cookie
    returning.set_cookie("remember_token", cookie.value)
    page = returning.get("/terms")
    assert page.headers.get("X-Cache") != "hit"
    assert "Fay Remembered" in page.get_data(as_text=True)


# ------------------------------------------------------------ query strings

def test_a_query_parameter_the_page_ignores_makes_no_entry(cached_app, make_user):
    make_user(username="ray", display_name="Ray Patel")
    client = cached_app().test_client()
    for path in ("/?x=1", "/members/ray?utm=2", "/networks/?q=nurses&junk=3"):
        assert not _kept(client, path), path
    assert _kept(client, "/networks/?q=nurses")  # a parameter the page reads


def test_random_query_strings_cannot_push_plain_pages_out(cached_app):
    app = cached_app(CACHE_MAX_BYTES=400_000)
    client = app.test_client()
    assert _kept(client, "/terms")
    size = len(client.get("/networks/?q=first").get_data())
    for n in range(3 * 400_000 // size):
        client.get(f"/networks/?q={uuid.uuid4().hex}{n}")
    assert client.get("/terms").headers["X-Cache"] == "hit"
    store = app.extensions["page_cache"].store
    if hasattr(store, "bounded"):  # the local store: bounded entries kept to their share
        assert store.bounded.size <= 100_000


def test_bounded_entries_never_evict_plain_ones():
    from network.core.cache.store import MemoryStore

    store = MemoryStore(max_bytes=4000, share=0.25)
    store.set(1, "page:plain", b"p" * 500, [], 60)
    for n in range(100):
        store.set(1, f"page:q{n}", b"q" * 200, [], 60, bounded=True)
    assert store.get(1, "page:plain") == (b"p" * 500, [])
    assert store.bounded.size <= 1000 and store.get(1, "page:q99") is not None
    assert store.get(1, "page:q0") is None  # the oldest bounded entry went


# ------------------------------------------------------------ remembered rows

def test_remembered_rows_expire_after_max_age(monkeypatch):
    from network.core.cache import memo

    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    rows = memo.RowMemo(max_age=30)
    rows.set(1, "key", "value")
    now[0] += 29
    assert rows.get(1, "key") == "value"
    now[0] += 2
    assert rows.get(1, "key") is None


def test_the_signed_in_person_is_read_again_once_max_age_has_passed(cached_app, make_user,
                                                                   login):
    from tests.core.test_cache import _statements

    app = cached_app(CACHE_MAX_AGE=0)  # every entry is already too old
    member = login(app.test_client(), make_user(username="sam", display_name="Sam Viewer"))
    member.get("/terms")
    statements = _statements(app)
    assert "Sam Viewer" in member.get("/terms").get_data(as_text=True)
    assert any('FROM "user"' in s or "FROM user" in s for s in statements)


def test_a_post_is_authorised_against_the_person_as_stored_now(app, cached_app, make_user,
                                                              login):
    """Suspended without the cached app's version moving (the plain ``app`` has no
    cache): a GET may still use the remembered row until it expires, but a POST
    reads the row and is refused."""
    from datetime import timedelta

    from network.core.time import utcnow

    user = make_user(username="sam", display_name="Sam Viewer")
    cached = cached_app()
    member = login(cached.test_client(), user)
    assert "Sam Viewer" in member.get("/terms").get_data(as_text=True)  # remembered now
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            suspended_until=utcnow() + timedelta(days=2), suspended_reason="Testing"))
        db.session.commit()
    response = member.post("/settings/profile", data={
        "display_name": "Renamed While Suspended", "job_title": "", "organisation": "",
        "sector": "nhs", "region": "1", "bio": ""})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Sam Viewer"


def test_a_post_sees_a_session_ended_elsewhere_at_once(app, cached_app, make_user, login):
    user = make_user(username="sam", display_name="Sam Viewer")
    cached = cached_app()
    member = login(cached.test_client(), user)
    member.get("/terms")
    with app.app_context():  # signed out from another device
        db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
        db.session.commit()
    other_device = login(cached.test_client(), user)
    response = member.post("/auth/logout")
    assert response.status_code == 302
    with app.app_context():  # not signed in any more, so no other session was ended
        assert db.session.scalar(select(func.count(UserSession.id))) == 1
    assert other_device.get("/settings/profile").status_code == 200
    invalidate(cached)
    page = member.get("/terms").get_data(as_text=True)
    assert "Sam Viewer" not in page and "Sign in" in page


def test_reading_any_page_as_anyone_leaves_the_version(app, cached_app):
    """Only committed writes move the version, and no page writes when read: if
    one did, every signed-in visit would empty every cache."""
    from tests.world import PERSONAS, build_world, client_as

    world = build_world(app)
    cached = cached_app()
    cache = cached.extensions["page_cache"]
    pages = ["/", "/networks/", "/articles/", "/members/member", "/notifications/",
             "/settings/profile", "/moderation/", "/terms"]
    for place in world.places.values():
        pages += [f"/networks/{place.slug}/", f"/networks/{place.slug}/threads/",
                  f"/networks/{place.slug}/members", f"/threads/{place.thread_id}",
                  f"/articles/{place.article_slug}"]
    before = cache.version.current()
    for persona in PERSONAS:
        client = client_as(cached, world, persona)
        for url in pages:
            assert client.get(url).status_code in (200, 302, 403, 404), (persona, url)
    assert cache.version.current() == before
