"""Two-factor sign-in (issue 14): TOTP codes from an authenticator app after the
password, single-use recovery codes, and staff who act as such only with it on."""
import re
import secrets
import time
from datetime import timedelta

import pyotp
from sqlalchemy import select

from network.accounts.models import PasswordReset, RecoveryCode, TwoFactorSecret, User
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post
from tests.factories import TEST_PASSWORD

KEY = re.compile(r'<code class="key">([A-Z2-7 ]+)</code>')
CODES = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def _turn_on(client) -> tuple[str, list[str]]:
    """Through the pages, as a person would: the password, scan (read the key), code."""
    page = client.post("/settings/two-factor/setup", data={"setup-password": TEST_PASSWORD})
    assert page.status_code == 200
    secret = KEY.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    done = client.post("/settings/two-factor/turn-on",
                       data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = CODES.findall(done.get_data(as_text=True))
    return secret, codes


def _sign_in(client, user, password=TEST_PASSWORD):
    return client.post("/auth/login", data={"login": user.username, "password": password})


def _signed_in(client) -> bool:
    return client.get("/settings/profile").status_code == 200


def _spent_step(app, user):
    with app.app_context():
        return db.session.get(TwoFactorSecret, user.id).last_step


def test_turning_it_on_needs_the_password_then_a_code_and_gives_ten_recovery_codes(
        app, make_user, login):
    user = make_user()
    client = login(app.test_client(), user)
    wrong = client.post("/settings/two-factor/setup", data={"setup-password": "not it"})
    assert wrong.status_code == 400 and "Your password is not right." in wrong.get_data(as_text=True)
    page = client.post("/settings/two-factor/setup", data={"setup-password": TEST_PASSWORD})
    body = page.get_data(as_text=True)
    assert "<svg" in body and KEY.search(body)
    bad = client.post("/settings/two-factor/turn-on", data={"code": "000000"})
    assert bad.status_code == 400 and "That code is not right" in bad.get_data(as_text=True)
    assert KEY.search(bad.get_data(as_text=True)), "the same key is shown again"
    secret = KEY.search(body).group(1).replace(" ", "")
    done = client.post("/settings/two-factor/turn-on", data={"code": pyotp.TOTP(secret).now()})
    codes = CODES.findall(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        person = db.session.get(User, user.id)
        assert person.two_factor_at is not None
        stored = list(db.session.scalars(select(RecoveryCode.code_hash)
                                         .where(RecoveryCode.user_id == user.id)))
    assert len(stored) == 10 and not set(codes) & set(stored), "only hashes are kept"
    assert "10 unused recovery codes" in client.get("/settings/two-factor").get_data(as_text=True)


def test_signing_in_asks_for_the_code_after_the_password(app, make_user, login):
    user = make_user()
    secret, _ = _turn_on(login(app.test_client(), user))
    client = app.test_client()
    response = _sign_in(client, user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/two-factor")
    assert not _signed_in(client), "the password alone signs nobody in"
    wrong = client.post("/auth/two-factor", data={"code": "123456"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.get_data(as_text=True)
    # The code that turned it on was spent; the next step's code is accepted (clocks
    # drift by a step either way).
    code = pyotp.TOTP(secret).at(time.time() + 30)
    ok = client.post("/auth/two-factor", data={"code": code})
    assert ok.status_code == 302
    assert _signed_in(client)


def test_a_code_is_accepted_once(app, make_user, login):
    user = make_user()
    secret, codes = _turn_on(login(app.test_client(), user))
    # The code that turned it on cannot sign anyone in (it was spent).
    spent = pyotp.TOTP(secret).at(_spent_step(app, user) * 30)
    client = app.test_client()
    _sign_in(client, user)
    assert client.post("/auth/two-factor", data={"code": spent}).status_code == 400
    assert not _signed_in(client)


def test_a_recovery_code_signs_in_once(app, make_user, login):
    user = make_user()
    _, codes = _turn_on(login(app.test_client(), user))
    first = app.test_client()
    _sign_in(first, user)
    assert first.post("/auth/two-factor", data={"code": codes[0].upper()}).status_code == 302
    assert _signed_in(first)
    again = app.test_client()
    _sign_in(again, user)
    assert again.post("/auth/two-factor", data={"code": codes[0]}).status_code == 400
    assert again.post("/auth/two-factor", data={"code": codes[1].replace("-", "")}).status_code == 302
    page = login(app.test_client(), user).get("/settings/two-factor").get_data(as_text=True)
    assert "8 unused recovery codes" in page


def test_the_code_page_needs_a_password_first_and_forgets_after_five_minutes(
        app, make_user, login):
    user = make_user()
    _, codes = _turn_on(login(app.test_client(), user))
    stranger = app.test_client()
    assert stranger.post("/auth/two-factor", data={"code": codes[0]}).status_code == 302
    assert not _signed_in(stranger)
    client = app.test_client()
    _sign_in(client, user)
    with client.session_transaction() as session:
        pending = dict(session["_two_factor_pending"])
        pending["at"] -= 301
        session["_two_factor_pending"] = pending
    response = client.post("/auth/two-factor", data={"code": codes[0]})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert not _signed_in(client)


def test_wrong_codes_are_limited(make_app, make_user, login):
    app = make_app(RATELIMIT_ENABLED=True)
    user = make_user()
    _turn_on(login(app.test_client(), user))
    client = app.test_client()
    _sign_in(client, user)
    answers = [client.post("/auth/two-factor", data={"code": "000000"}).status_code
               for _ in range(6)]
    assert answers[:5] == [400] * 5 and answers[5] == 429


def test_a_password_reset_link_does_not_skip_the_code(app, make_user, login):
    from network.accounts import services

    user = make_user()
    _turn_on(login(app.test_client(), user))
    token = secrets.token_urlsafe(16)
    with app.app_context():
        db.session.add(PasswordReset(user_id=user.id, token_hash=services._token_hash(token),
                                     expires_at=utcnow() + timedelta(hours=1)))
        db.session.commit()
    client = app.test_client()
    response = client.post(f"/auth/reset/{token}",
                           data={"password": "a new sturdy password", "confirm": "a new sturdy password"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/two-factor")
    assert not _signed_in(client)


def test_turning_it_off_needs_the_password_and_a_code(app, make_user, login):
    user = make_user()
    _, codes = _turn_on(login(app.test_client(), user))
    client = login(app.test_client(), user)
    refused = client.post("/settings/two-factor/turn-off",
                          data={"off-password": TEST_PASSWORD, "off-code": "000000"})
    assert refused.status_code == 400
    assert client.post("/settings/two-factor/turn-off",
                       data={"off-password": TEST_PASSWORD, "off-code": codes[0]}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).two_factor_at is None
        assert db.session.get(TwoFactorSecret, user.id) is None
        assert db.session.scalar(select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id)) is None
    assert _sign_in(app.test_client(), user).headers["Location"].endswith("/")


def test_staff_act_as_staff_only_with_two_factor_on(make_app, make_user, make_network,
                                                   make_thread, login):
    app = make_app(STAFF_TWO_FACTOR=True)
    moderator, author = make_user(role="moderator"), make_user()
    network = make_network(members=[author])
    thread = make_thread(network, author)
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    client = login(app.test_client(), moderator)
    queue = client.get("/moderation/")
    assert queue.status_code == 302 and queue.headers["Location"].endswith("/settings/two-factor")
    assert client.get("/admin/users").status_code == 302
    assert client.post(f"/posts/{post_id}/hide", data={f"p{post_id}-hide-reason": "Test"}).status_code == 403
    assert "turn two-factor sign-in on to act as one" in client.get(
        "/settings/two-factor").get_data(as_text=True)
    _turn_on(client)
    assert client.get("/moderation/").status_code == 200
    assert client.post(f"/posts/{post_id}/hide", data={f"p{post_id}-hide-reason": "Test"}).status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id).status == "hidden"


def test_deleting_the_account_forgets_the_secret_and_codes(app, make_user, login):
    user = make_user()
    _turn_on(login(app.test_client(), user))
    client = login(app.test_client(), user)
    assert client.post("/settings/account/delete",
                       data={"delete-password": TEST_PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.get(TwoFactorSecret, user.id) is None
        assert db.session.scalar(select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id)) is None


def test_the_key_and_the_recovery_codes_are_never_kept_by_a_browser(app, make_user, login):
    client = login(app.test_client(), make_user())
    page = client.post("/settings/two-factor/setup", data={"setup-password": TEST_PASSWORD})
    assert page.headers["Cache-Control"] == "no-store"
    secret = KEY.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    done = client.post("/settings/two-factor/turn-on", data={"code": pyotp.TOTP(secret).now()})
    assert done.headers["Cache-Control"] == "no-store"
