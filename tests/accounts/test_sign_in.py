"""Signing in and out, remember me, password changes and rate limits."""
from datetime import timedelta

import pytest

from network.core.time import utcnow

PASSWORD = "correct horse battery"
ACCOUNT_LIMIT = 20  # wrong passwords for one account in an hour, from any addresses


def test_sign_in_by_username_or_email(client, make_user):
    make_user(username="bob", email="bob@example.org")
    response = client.post("/auth/login", data={"login": "BOB", "password": PASSWORD})
    assert response.status_code == 302
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"login": "bob@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_message(client, make_user):
    make_user(username="carol")
    wrong = client.post("/auth/login", data={"login": "carol", "password": "not the password"})
    unknown = client.post("/auth/login", data={"login": "nobody", "password": "not the password"})
    message = "The username, email address or password is not right."
    assert wrong.status_code == unknown.status_code == 400
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_next_only_redirects_on_site(client, make_user):
    make_user(username="dan")
    ok = client.post("/auth/login", data={"login": "dan", "password": PASSWORD, "next": "/terms"})
    assert ok.location == "/terms"
    client.post("/auth/logout")
    evil = client.post("/auth/login", data={"login": "dan", "password": PASSWORD,
                                            "next": "//evil.example/"})
    assert evil.location == "/"


def test_sign_out_needs_post_and_makes_the_old_cookie_useless(app, make_user):
    make_user(username="erin")
    client = app.test_client()
    client.post("/auth/login", data={"login": "erin", "password": PASSWORD})
    old_cookie = client.get_cookie("session").value
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout")
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/settings/profile").status_code == 302  # sent to sign in


def test_remember_me_sets_a_lasting_cookie(client, make_user):
    make_user(username="fay")
    response = client.post("/auth/login", data={"login": "fay", "password": PASSWORD, "remember": "y"})
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_suspended_member_is_told_why(client, make_user):
    make_user(username="gil", suspended_until=utcnow() + timedelta(days=3),
              suspended_reason="Repeated abuse")
    response = client.post("/auth/login", data={"login": "gil", "password": PASSWORD})
    assert response.status_code == 400
    assert "suspended until" in response.get_data(as_text=True)
    assert "Repeated abuse" in response.get_data(as_text=True)


def test_change_password_requires_the_current_one(app, make_user, login):
    user = make_user(username="hal")
    client = app.test_client()
    client.post("/auth/login", data={"login": "hal", "password": PASSWORD})
    stale = login(app.test_client(), user)  # another device, signed in before the change
    assert stale.get("/settings/profile").status_code == 200
    bad = client.post("/settings/password", data={"current": "wrong password!", "password": "new password 123",
                                                  "confirm": "new password 123"})
    assert "Your current password is not right" in bad.get_data(as_text=True)
    good = client.post("/settings/password", data={"current": PASSWORD, "password": "new password 123",
                                                   "confirm": "new password 123"})
    assert good.status_code == 302
    assert client.get("/settings/profile").status_code == 200  # this session stays
    assert stale.get("/settings/profile").status_code == 302


def test_sign_in_is_rate_limited_per_account_and_address(make_app, make_user):
    """Ten wrong passwords from one address stop that address for that account
    (its username and email share the count); other addresses are not stopped."""
    app = make_app(RATELIMIT_ENABLED=True)
    make_user(username="ivy", email="ivy@example.org")
    client = app.test_client()
    here = {"REMOTE_ADDR": "10.0.0.1"}
    statuses = [client.post("/auth/login", data={"login": "ivy" if i % 2 else "IVY@example.org",
                                                 "password": "wrong password"},
                            environ_base=here).status_code for i in range(11)]
    assert statuses == [400] * 10 + [429]
    refused = client.post("/auth/login", data={"login": "ivy", "password": PASSWORD}, environ_base=here)
    assert refused.status_code == 429 and "Too many attempts" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    elsewhere = client.post("/auth/login", data={"login": "ivy", "password": "wrong password"},
                            environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert elsewhere.status_code == 400


def test_successful_sign_ins_do_not_count_towards_the_account_limits(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    make_user(username="lou")
    for i in range(12):
        client = app.test_client()
        assert client.post("/auth/login", data={"login": "lou", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.3.0.1"}).status_code == 302, i


def test_sign_in_is_rate_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/auth/login", data={"login": f"user{i}", "password": "wrong"}).status_code
                for i in range(31)]
    assert statuses[-1] == 429 and 429 not in statuses[:30]


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    make_user(username="jay")
    attacker = app.test_client()
    statuses = [attacker.post("/auth/login", data={"login": "jay", "password": "guess"},
                              environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code
                for _ in range(12)]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    owner = app.test_client().post("/auth/login", data={"login": "jay", "password": PASSWORD},
                                   environ_base={"REMOTE_ADDR": "192.0.2.20"})
    assert owner.status_code == 302


def test_the_account_wide_limit_answers_429_with_retry_after(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    make_user(username="kai")
    client = app.test_client()
    response = None
    for i in range(ACCOUNT_LIMIT + 1):
        response = client.post("/auth/login", data={"login": "kai", "password": "guess"},
                               environ_base={"REMOTE_ADDR": f"10.2.{i // 5}.{i}"})
        if i < ACCOUNT_LIMIT:
            assert response.status_code == 400, i
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600


def _exhaust_account_limit(app, login):
    for i in range(ACCOUNT_LIMIT):
        app.test_client().post("/auth/login", data={"login": login, "password": "guess"},
                               environ_base={"REMOTE_ADDR": f"10.4.{i // 5}.{i}"})


def test_a_browser_that_signed_in_before_is_not_locked_out_by_guesses_elsewhere(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    make_user(username="mo", email="mo@example.org")
    owner = app.test_client()
    first = owner.post("/auth/login", data={"login": "mo", "password": PASSWORD})
    cookie = next(c for c in first.headers.getlist("Set-Cookie") if c.startswith("known_device="))
    assert "HttpOnly" in cookie and "Path=/auth/login" in cookie and "SameSite=Lax" in cookie
    owner.post("/auth/logout")
    _exhaust_account_limit(app, "mo")
    assert app.test_client().post("/auth/login", data={"login": "mo", "password": PASSWORD}).status_code == 429
    assert owner.post("/auth/login", data={"login": "mo@example.org", "password": PASSWORD}).status_code == 302


def test_a_forged_or_foreign_device_cookie_does_not_lift_the_account_limit(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    make_user(username="nia")
    make_user(username="ola2")
    other = app.test_client()
    assert other.post("/auth/login", data={"login": "ola2", "password": PASSWORD}).status_code == 302
    other.post("/auth/logout")  # a device known for ola2, not for nia
    _exhaust_account_limit(app, "nia")
    assert other.post("/auth/login", data={"login": "nia", "password": PASSWORD}).status_code == 429
    forged = app.test_client()
    forged.set_cookie("known_device", "1.forged.signature", path="/auth/login")
    assert forged.post("/auth/login", data={"login": "nia", "password": PASSWORD}).status_code == 429
