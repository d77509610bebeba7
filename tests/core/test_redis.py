"""The Redis path: rate-limit counters shared through Redis (as across machines)."""
import os
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL is not set in CI")
        pytest.skip("TEST_REDIS_URL not set: the Redis path is tested in CI")
    return REDIS_URL


def test_sign_in_limits_are_shared_through_redis(make_app, make_user, redis_url):
    """The account-wide sign-in limit (20 wrong passwords an hour, from any
    addresses) holds across two machines that share Redis, with Retry-After."""
    import redis

    from network.extensions import limiter

    limiter._key_prefix = ""  # Flask-Limiter keeps the first prefix it was given
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings = dict(RATELIMIT_ENABLED=True, REDIS_URL=redis_url,
                    RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX=prefix)
    make_user(username="zed")
    first, second = make_app(**settings), make_app(**settings)  # two "machines"
    for i in range(20):
        app = first if i % 2 else second
        response = app.test_client().post("/auth/login", data={"login": "zed", "password": "wrong one"},
                                          environ_base={"REMOTE_ADDR": f"10.1.0.{i}"})
        assert response.status_code == 400
    response = first.test_client().post("/auth/login", data={"login": "zed", "password": "wrong one"},
                                        environ_base={"REMOTE_ADDR": "10.1.0.99"})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    client = redis.Redis.from_url(redis_url)
    keys = client.keys(f"*{prefix}*")
    assert keys
    client.delete(*keys)
    limiter._key_prefix = ""
