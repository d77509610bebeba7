"""Rate limits as deployed: the real limiter (memory storage here, Redis in
tests/core/test_redis.py), keyed on the person or on the client behind one proxy."""
import pytest

from tests.articles.conftest import make_article, make_comment  # noqa: F401  (fixtures)
from tests.forum.conftest import make_thread  # noqa: F401  (fixture)

EDIT_LIMIT = 20   # stored edits per person in 10 minutes (each keeps a revision)
WATCH_LIMIT = 30  # watch or unwatch per person in 10 minutes


@pytest.fixture
def limited(make_app):
    return make_app(RATELIMIT_ENABLED=True)


def _article_form(**overrides):
    data = {"title": "Virtual wards", "standfirst": "What we learned.", "body": "Text.",
            "tags": "", "network": "", "series": "", "new_series": "", "series_part": "",
            "author_bio": "", "publish_at": "", "action": "publish"}
    data.update(overrides)
    return data


@pytest.mark.xfail(strict=True, reason="hole 4: behind a proxy everyone shares one bucket")
def test_clients_behind_one_proxy_are_limited_apart(make_app):
    app = make_app(RATELIMIT_ENABLED=True, PROXY_HOPS=1)
    client = app.test_client()
    statuses = [client.post("/auth/login", data={"login": f"user{i}", "password": "wrong"},
                            environ_base={"REMOTE_ADDR": "10.9.9.9"},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(40)]
    assert 429 not in statuses


@pytest.mark.xfail(strict=True, reason="hole 4: post edits have no limit")
def test_post_edits_are_limited_per_person(limited, make_user, make_network, make_thread, login):
    member = make_user(trusted=True)
    network = make_network(members=[member])
    thread_id = make_thread(network, member)
    client = login(limited.test_client(), member)
    from network.extensions import db
    from network.forum.models import Post
    with limited.app_context():
        post_id = db.session.scalar(db.select(Post.id).where(Post.thread_id == thread_id))
    statuses = [client.post(f"/posts/{post_id}/edit", data={"body": f"Edit {n}"}).status_code
                for n in range(EDIT_LIMIT + 1)]
    assert statuses == [302] * EDIT_LIMIT + [429]


@pytest.mark.xfail(strict=True, reason="hole 4: comment edits have no limit")
def test_comment_edits_are_limited_per_person(limited, make_user, make_article, make_comment,
                                              login):
    member = make_user(trusted=True)
    comment = make_comment(make_article(make_user(role="associate")), member)
    client = login(limited.test_client(), member)
    statuses = [client.post(f"/comments/{comment.id}/edit", data={"body": f"Edit {n}"}).status_code
                for n in range(EDIT_LIMIT + 1)]
    assert statuses == [302] * EDIT_LIMIT + [429]


@pytest.mark.xfail(strict=True, reason="hole 4: article edits have no limit")
def test_article_edits_are_limited_per_person(limited, make_user, make_article, login):
    author = make_user(role="associate")
    article = make_article(author)
    client = login(limited.test_client(), author)
    url = f"/articles/{article.slug}/edit"
    statuses = [client.post(url, data=_article_form(body=f"Edit {n}")).status_code
                for n in range(EDIT_LIMIT + 1)]
    assert statuses == [302] * EDIT_LIMIT + [429]


@pytest.mark.xfail(strict=True, reason="hole 4: watching has no limit")
def test_watching_a_thread_is_limited_per_person(limited, make_user, make_network, make_thread,
                                                 login):
    member = make_user(trusted=True)
    thread_id = make_thread(make_network(members=[member]), member)
    client = login(limited.test_client(), member)
    statuses = [client.post(f"/threads/{thread_id}/watch").status_code
                for _ in range(WATCH_LIMIT + 1)]
    assert statuses == [302] * WATCH_LIMIT + [429]
