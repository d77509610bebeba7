"""Two app servers on one PostgreSQL database and one Redis, over real HTTP.

Each server is its own app (its own engine, pool and in-process state) answering
on its own loopback port, as two machines behind nginx would: a write through one
is seen through the other on the very next request, and a rate limit counts the
requests sent to both. Needs TEST_DATABASE_URL and TEST_REDIS_URL (set in CI).
"""
import http.cookiejar
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.conftest import LiveServer
from tests.factories import TEST_PASSWORD

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def two_servers(make_app):
    if not os.environ.get("TEST_DATABASE_URL"):
        # The SQLite run (make test-sqlite unsets it): two servers share PostgreSQL,
        # so the PostgreSQL run is where this is proved.
        pytest.skip("two servers share PostgreSQL: tested in the PostgreSQL run")
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL must be set in CI")
        pytest.skip("TEST_REDIS_URL not set: two servers are tested in CI")
    import redis

    from network.extensions import limiter

    limiter._key_prefix = ""  # Flask-Limiter keeps the first prefix it was given
    prefix = f"test-two-{uuid.uuid4().hex[:8]}"
    settings = dict(REDIS_URL=REDIS_URL, CACHE_ENABLED=True, CACHE_KEY_PREFIX=f"{prefix}:",
                    RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
                    RATELIMIT_KEY_PREFIX=prefix, PROXY_HOPS=1)
    servers = [LiveServer(make_app(**settings)).start() for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()
    client = redis.Redis.from_url(REDIS_URL)
    keys = client.keys(f"{prefix}*")
    if keys:
        client.delete(*keys)


class Browser:
    """One visitor: one cookie jar for every server (cookies ignore the port)."""

    def __init__(self, forwarded_for="198.51.100.7"):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.forwarded_for = forwarded_for

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body,
                                         headers={"X-Forwarded-For": self.forwarded_for})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers


def test_a_reply_through_one_server_shows_at_once_on_the_other(two_servers, make_user,
                                                               make_network, make_thread):
    first, second = two_servers
    author, reader = make_user(trusted=True), make_user(trusted=True)
    network = make_network(members=[author, reader])
    thread_id = make_thread(network, author).id
    page = f"/threads/{thread_id}"

    anonymous, member = Browser(), Browser()
    status, _, _ = member.request(second.url + "/auth/login",
                                  {"login": reader.username, "password": TEST_PASSWORD})
    assert status == 200  # redirects followed: signed in through the second server
    writer = Browser()
    writer.request(first.url + "/auth/login", {"login": author.username, "password": TEST_PASSWORD})
    # the session made by one server is honoured by the other
    assert "Sign out" in writer.request(second.url + "/")[1]
    assert "Sign out" not in anonymous.request(second.url + "/")[1]

    for _ in range(2):  # the second visit is served from the shared cache
        status, html, headers = anonymous.request(second.url + page)
        assert status == 200 and "Brand new reply" not in html
    assert headers.get("X-Cache") == "hit"
    member.request(second.url + page)

    status, _, _ = writer.request(first.url + page + "/reply", {"body": "Brand new reply from A"})
    assert status == 200

    for viewer in (anonymous, member, writer):
        status, html, _ = viewer.request(second.url + page)
        assert status == 200 and "Brand new reply from A" in html


def test_a_rate_limit_counts_requests_to_both_servers(two_servers):
    """30 wrong sign-ins an hour per address, counted across both servers, keyed by
    the address nginx saw (the last X-Forwarded-For hop), not by anything in front."""
    statuses = []
    for i in range(31):
        browser = Browser(forwarded_for=f"10.0.0.{i}, 203.0.113.9")  # forged, then nginx's
        server = two_servers[i % 2]
        statuses.append(browser.request(server.url + "/auth/login",
                                        {"login": f"nobody{i}", "password": "wrong"})[0])
    assert statuses == [400] * 30 + [429]
    # another client's address is untouched on either server
    assert Browser("203.0.113.10").request(two_servers[1].url + "/auth/login",
                                           {"login": "x", "password": "wrong"})[0] == 400
