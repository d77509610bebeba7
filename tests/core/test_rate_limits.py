"""Rate limits as deployed: the real limiter (memory storage here, Redis in
tests/core/test_redis.py), keyed on the person or on the client behind one proxy."""
import os
import uuid

import pytest


EDIT_LIMIT = 20   # stored edits per person in 10 minutes (each keeps a revision)
WATCH_LIMIT = 30  # watch or unwatch per person in 10 minutes
REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=["memory", "redis"])
def limited(request, app, make_app):
    """An app with the real limiter, counting in memory and then in Redis; made
    after ``app``, since the limiter is one object configured by the app made last."""
    if request.param == "memory":
        yield make_app(RATELIMIT_ENABLED=True)
        return
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL is not set in CI")
        pytest.skip("TEST_REDIS_URL not set: the Redis path is tested in CI")
    import redis

    from network.extensions import limiter

    # Flask-Limiter keeps the first key prefix it was given for good; each test
    # needs its own (user ids repeat between tests), so it is cleared around it.
    limiter._key_prefix = ""
    prefix = f"test-limits-{uuid.uuid4().hex[:8]}"
    yield make_app(RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL, RATELIMIT_STORAGE_URI=REDIS_URL,
                   RATELIMIT_KEY_PREFIX=prefix)
    limiter._key_prefix = ""
    store = redis.Redis.from_url(REDIS_URL)
    keys = store.keys(f"*{prefix}*")
    assert keys  # the counts were in Redis
    store.delete(*keys)


def _statuses(client, url, n, data=lambda i: {}):
    return [client.post(url, data=data(i)).status_code for i in range(n)]


def _first_post(app, thread_id) -> int:
    from network.extensions import db
    from network.forum.models import Post

    with app.app_context():
        return db.session.scalar(db.select(Post.id).where(Post.thread_id == thread_id))


def _article_form(**overrides):
    data = {"title": "Virtual wards", "standfirst": "What we learned.", "body": "Text.",
            "tags": "", "network": "", "series": "", "new_series": "", "series_part": "",
            "author_bio": "", "publish_at": "", "action": "publish"}
    data.update(overrides)
    return data


def _sign_ins_through_proxy(app, n, forwarded_for, proxy="10.9.9.9"):
    """Wrong sign-ins (each at another username) arriving from ``proxy``."""
    client = app.test_client()
    return [client.post("/auth/login", data={"login": f"user{i}", "password": "wrong"},
                        environ_base={"REMOTE_ADDR": proxy},
                        headers={"X-Forwarded-For": forwarded_for(i)}).status_code
            for i in range(n)]


def test_clients_behind_one_proxy_are_limited_apart(make_app):
    app = make_app(RATELIMIT_ENABLED=True, PROXY_HOPS=1)
    assert 429 not in _sign_ins_through_proxy(app, 40, lambda i: f"203.0.113.{i}")


def test_post_edits_are_limited_per_person(limited, make_user, make_network, make_thread, login):
    member = make_user(trusted=True)
    network = make_network(members=[member])
    thread_id = make_thread(network, member).id
    client = login(limited.test_client(), member)
    url = f"/posts/{_first_post(limited, thread_id)}/edit"
    assert _statuses(client, url, EDIT_LIMIT + 1, lambda n: {"body": f"Edit {n}"}) == \
        [302] * EDIT_LIMIT + [429]


def test_comment_edits_are_limited_per_person(limited, make_user, make_article, make_comment,
                                              login):
    member = make_user(trusted=True)
    comment = make_comment(make_article(make_user(role="associate")), member)
    client = login(limited.test_client(), member)
    assert _statuses(client, f"/comments/{comment.id}/edit", EDIT_LIMIT + 1,
                     lambda n: {"body": f"Edit {n}"}) == [302] * EDIT_LIMIT + [429]


def test_article_edits_are_limited_per_person(limited, make_user, make_article, login):
    author = make_user(role="associate")
    article = make_article(author)
    client = login(limited.test_client(), author)
    url = f"/articles/{article.slug}/edit"
    assert _statuses(client, url, EDIT_LIMIT + 1, lambda n: _article_form(body=f"Edit {n}")) == \
        [302] * EDIT_LIMIT + [429]


def test_watching_a_thread_is_limited_per_person(limited, make_user, make_network, make_thread,
                                                 login):
    member = make_user(trusted=True)
    thread_id = make_thread(make_network(members=[member]), member).id
    client = login(limited.test_client(), member)
    assert _statuses(client, f"/threads/{thread_id}/watch", WATCH_LIMIT + 1) == \
        [302] * WATCH_LIMIT + [429]


def test_a_client_cannot_choose_its_address_behind_one_proxy(make_app):
    """With one proxy trusted, only the address the proxy saw counts: a forged
    X-Forwarded-For in front of it is ignored."""
    app = make_app(RATELIMIT_ENABLED=True, PROXY_HOPS=1)
    assert _sign_ins_through_proxy(app, 31, lambda i: f"1.2.3.{i}, 203.0.113.5") == \
        [400] * 30 + [429]


def test_without_proxy_hops_forwarded_headers_are_ignored(make_app):
    app = make_app(RATELIMIT_ENABLED=True, PROXY_HOPS=0)
    assert _sign_ins_through_proxy(app, 31, lambda i: f"203.0.113.{i}")[-1] == 429


def test_proxy_hops_default_to_none_in_development_and_one_in_production(monkeypatch, tmp_path):
    from network.config import from_environment

    monkeypatch.delenv("PROXY_HOPS", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("SINGLE_SERVER", "1")
    assert from_environment(str(tmp_path), {})["PROXY_HOPS"] == 0
    assert from_environment(str(tmp_path), {"NETWORK_ENV": "production"})["PROXY_HOPS"] == 1
    monkeypatch.setenv("PROXY_HOPS", "2")
    assert from_environment(str(tmp_path), {"NETWORK_ENV": "production"})["PROXY_HOPS"] == 2


def test_limits_are_kept_in_redis_when_redis_url_is_set(monkeypatch, tmp_path):
    from network.config import from_environment

    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert from_environment(str(tmp_path), {})["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert from_environment(str(tmp_path), {})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_the_429_page_keeps_what_was_written(limited, make_user, make_network, make_thread, login):
    member = make_user(trusted=True)
    thread_id = make_thread(make_network(members=[member]), member).id
    client = login(limited.test_client(), member)
    url = f"/posts/{_first_post(limited, thread_id)}/edit"
    _statuses(client, url, EDIT_LIMIT, lambda n: {"body": f"Edit {n}"})
    refused = client.post(url, data={"body": "My careful <b>words</b> about rotas"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "Too many attempts" in page
    assert "My careful &lt;b&gt;words&lt;/b&gt; about rotas</textarea>" in page
    assert "It has not been saved" in page and "try again in about 10 minutes" in page
    assert 0 < int(refused.headers["Retry-After"]) <= 600


def test_a_refused_sign_in_never_shows_the_password(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    for _ in range(11):
        response = client.post("/auth/login", data={"login": "nobody", "password": "hunter2 secret"})
    assert response.status_code == 429 and "hunter2" not in response.get_data(as_text=True)


def test_article_previews_do_not_count_as_edits(limited, make_user, make_article, login):
    author = make_user(role="associate")
    article = make_article(author)
    client = login(limited.test_client(), author)
    url = f"/articles/{article.slug}/edit"
    assert set(_statuses(client, url, EDIT_LIMIT + 5, lambda n: _article_form(action="preview"))) == {200}
    assert client.post(url, data=_article_form(body="Saved at last")).status_code == 302
