"""Sessions (issue 14): signing out ends this device only; sign out everywhere,
the list of devices, ending one of them, last seen written at most every 5 minutes."""
from datetime import timedelta

from sqlalchemy import func, select, update

from network.accounts import sessions
from network.accounts.models import UserSession
from network.core.time import utcnow
from network.extensions import db
from tests.conftest import TEST_PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def _signed_in(app, username, agent=FIREFOX):
    client = app.test_client()
    response = client.post("/auth/login", data={"login": username, "password": TEST_PASSWORD},
                           headers={"User-Agent": agent})
    assert response.status_code == 302
    return client


def _signed_in_now(client) -> bool:
    return client.get("/settings/profile").status_code == 200


def _session_rows(app, user_id):
    with app.app_context():
        return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)
                                       .order_by(UserSession.id)))


def test_signing_out_in_one_browser_keeps_the_other_signed_in(app, make_user):
    user = make_user(username="ann")
    laptop, phone = _signed_in(app, "ann"), _signed_in(app, "ann", IPHONE)
    assert len(_session_rows(app, user.id)) == 2
    assert laptop.post("/auth/logout").status_code == 302
    assert not _signed_in_now(laptop)
    assert _signed_in_now(phone)
    [left] = _session_rows(app, user.id)
    assert left.user_agent == IPHONE


def test_sign_out_everywhere_ends_every_session(app, make_user):
    user = make_user(username="bob")
    laptop, phone = _signed_in(app, "bob"), _signed_in(app, "bob", IPHONE)
    response = laptop.post("/settings/sessions/end-all")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert not _signed_in_now(laptop) and not _signed_in_now(phone)
    assert _session_rows(app, user.id) == []


def test_a_remember_me_cookie_dies_with_its_session(app, make_user):
    make_user(username="rae")
    client = app.test_client()
    client.post("/auth/login", data={"login": "rae", "password": TEST_PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token").value
    client.post("/settings/sessions/end-all")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert not _signed_in_now(replay)


def test_the_list_shows_each_device_shortly_and_marks_this_one(app, make_user):
    make_user(username="cat")
    laptop = _signed_in(app, "cat")
    _signed_in(app, "cat", IPHONE)
    page = laptop.get("/settings/sessions")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Firefox on Windows" in body and "Safari on iPhone" in body
    assert "(this device)" in body and "Sign out everywhere" in body
    assert FIREFOX not in body  # the full User-Agent is not shown


def test_ending_one_of_ones_own_sessions_signs_that_device_out(app, make_user):
    user = make_user(username="dee")
    laptop, phone = _signed_in(app, "dee"), _signed_in(app, "dee", IPHONE)
    phone_row = _session_rows(app, user.id)[1]
    response = laptop.post(f"/settings/sessions/{phone_row.id}/end")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings/sessions")
    assert not _signed_in_now(phone)
    assert _signed_in_now(laptop)


def test_ending_another_persons_session_is_404_and_ends_nothing(app, make_user):
    make_user(username="eve")
    victim = make_user(username="fay")
    eve = _signed_in(app, "eve")
    fay = _signed_in(app, "fay")
    [fay_row] = _session_rows(app, victim.id)
    assert eve.post(f"/settings/sessions/{fay_row.id}/end").status_code == 404
    assert eve.post("/settings/sessions/999999/end").status_code == 404
    assert _signed_in_now(fay)
    assert len(_session_rows(app, victim.id)) == 1


def test_ending_a_session_needs_post_and_a_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user(username="gus")
    client = app.test_client()
    page = client.get("/auth/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/auth/login", data={"login": "gus", "password": TEST_PASSWORD, "csrf_token": token})
    [row] = _session_rows(app, user.id)
    assert client.get(f"/settings/sessions/{row.id}/end").status_code == 405
    assert client.post(f"/settings/sessions/{row.id}/end").status_code == 400
    assert client.post("/settings/sessions/end-all").status_code == 400
    assert len(_session_rows(app, user.id)) == 1 and _signed_in_now(client)


def test_a_password_change_ends_the_other_sessions_only(app, make_user):
    user = make_user(username="hal")
    laptop, phone = _signed_in(app, "hal"), _signed_in(app, "hal", IPHONE)
    response = laptop.post("/settings/password", data={
        "current": TEST_PASSWORD, "password": "a new password 1", "confirm": "a new password 1"})
    assert response.status_code == 302
    assert _signed_in_now(laptop) and not _signed_in_now(phone)
    assert len(_session_rows(app, user.id)) == 1


def test_last_seen_is_written_at_most_every_five_minutes(app, make_user):
    user = make_user(username="ivo")
    client = _signed_in(app, "ivo")
    [row] = _session_rows(app, user.id)
    first_seen = row.last_seen_at
    client.get("/settings/profile")
    client.get("/")
    assert _session_rows(app, user.id)[0].last_seen_at == first_seen  # not yet due
    long_ago = utcnow() - timedelta(minutes=6)
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.id == row.id)
                           .values(last_seen_at=long_ago))
        db.session.commit()
    with client.session_transaction() as cookie:  # as if the last write was then too
        cookie["_seen"] = int(long_ago.timestamp())
    client.get("/settings/profile")
    seen_now = _session_rows(app, user.id)[0].last_seen_at
    assert seen_now > long_ago + timedelta(minutes=5)
    client.get("/settings/profile")
    assert _session_rows(app, user.id)[0].last_seen_at == seen_now


def test_marking_seen_writes_only_when_due_and_is_no_write_for_the_cache(app, make_user):
    from flask import g

    from network.core.cache import writes

    user = make_user(username="jo")
    with app.app_context():
        session_id = sessions.start_session(user, FIREFOX)
    now = utcnow()
    with app.test_request_context("/"):
        assert sessions.mark_seen(session_id, now) is False
        assert sessions.mark_seen(session_id, now + timedelta(minutes=6)) is True
        assert sessions.mark_seen(session_id, now + timedelta(minutes=8)) is False
        assert not g.get(writes.COMMITTED)  # so no page cache version is bumped


def test_a_malformed_or_foreign_session_id_finds_nobody(app, make_user):
    ann, bob = make_user(username="ann"), make_user(username="bob")
    with app.app_context():
        session_id = sessions.start_session(ann)
        token = session_id.partition(":")[2]
        assert sessions.find_session(session_id).id == ann.id
        for bad in ("", ":", "x:y", f"{bob.id}:{token}", f"{ann.id}:", f"{ann.id}:{'a' * 500}",
                    f"{ann.id}:{token}x", "9" * 40 + ":" + token):
            assert sessions.find_session(bad) is None, bad
        assert db.session.scalar(select(func.count(UserSession.id))) == 1


def test_device_labels_are_short():
    assert sessions.device_label(FIREFOX) == "Firefox on Windows"
    assert sessions.device_label(IPHONE) == "Safari on iPhone"
    assert sessions.device_label(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Safari/537.36") == "Chrome on Linux"
    assert sessions.device_label("") == "Unknown device"
    assert sessions.device_label("<script>" * 100) == "Unknown device"


def test_deleting_the_account_signs_out_every_device(app, make_user):
    user = make_user(username="kit")
    laptop, phone = _signed_in(app, "kit"), _signed_in(app, "kit", IPHONE)
    response = laptop.post("/settings/account/delete", data={"delete-password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not _signed_in_now(phone)
    assert _session_rows(app, user.id) == []
