"""The anonymous full-page cache: fast for visitors, never stale, never shared wrongly.

Every test runs twice: with the local cache (version file + in-process LRU) and
with Redis (TEST_REDIS_URL; skipped locally when unset, required in CI).
"""
import os
import re

import pytest

from network.core.cache import invalidate
from network.core.cache.store import FileVersion

REDIS_URL = os.environ.get("TEST_REDIS_URL")

BIO_FORM = {"display_name": "Ray Patel", "job_title": "GP", "organisation": "Bolton PCN",
            "sector": "nhs", "region": "2"}


def test_second_anonymous_request_is_served_from_cache(cached_app, make_user):
    make_user(username="ray", display_name="Ray Patel")
    client = cached_app().test_client()
    for path in ("/", "/members/ray", "/terms"):
        first, second = client.get(path), client.get(path)
        assert first.headers["X-Cache"] == "miss"
        assert second.headers["X-Cache"] == "hit"
        assert second.status_code == 200
        assert second.get_data() == first.get_data()
        assert "Cache-Control" in second.headers and "private" in second.headers["Cache-Control"]
        assert "X-Request-Id" in second.headers
        assert second.headers["X-Request-Id"] != first.headers["X-Request-Id"]


def test_head_request_is_served_from_cache(cached_app):
    client = cached_app().test_client()
    client.get("/")
    response = client.head("/")
    assert response.status_code == 200 and response.headers["X-Cache"] == "hit"


def test_profile_is_fresh_after_bio_edit(cached_app, make_user, login):
    user = make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    visitor = app.test_client()
    assert "frailty" not in visitor.get("/members/ray").get_data(as_text=True)
    assert visitor.get("/members/ray").headers["X-Cache"] == "hit"
    member = login(app.test_client(), user)
    response = member.post("/settings/profile", data={**BIO_FORM, "bio": "I lead frailty work."})
    assert response.status_code == 302
    page = visitor.get("/members/ray")
    assert page.headers["X-Cache"] == "miss"
    assert "I lead frailty work." in page.get_data(as_text=True)


def test_a_write_through_one_worker_refreshes_every_worker(cached_app, make_user, login):
    user = make_user(username="ray", display_name="Ray Patel")
    worker_a, worker_b = cached_app(), cached_app()  # two processes sharing one cache
    visitor = worker_b.test_client()
    visitor.get("/members/ray")
    assert visitor.get("/members/ray").headers["X-Cache"] == "hit"
    member = login(worker_a.test_client(), user)
    assert member.post("/settings/profile",
                       data={**BIO_FORM, "bio": "Written via worker A."}).status_code == 302
    page = visitor.get("/members/ray")
    assert page.headers["X-Cache"] == "miss"
    assert "Written via worker A." in page.get_data(as_text=True)


def test_registering_invalidates_cached_pages(cached_app):
    client = cached_app().test_client()
    assert client.get("/members/newbie").status_code == 404
    client.get("/")
    assert client.get("/").headers["X-Cache"] == "hit"
    other = client.application.test_client()
    response = other.post("/auth/register", data={
        "username": "newbie", "email": "newbie@example.org", "password": "a long password",
        "confirm": "a long password", "display_name": "New Person", "job_title": "",
        "organisation": "", "sector": "nhs", "region": "1", "accept_terms": "y"})
    # Registration ends on "check your inbox" (issue 14) but has written the account.
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    assert client.get("/").headers["X-Cache"] == "miss"
    assert "New Person" in client.get("/members/newbie").get_data(as_text=True)


def test_a_signed_in_person_gets_their_own_copy_and_no_one_elses(cached_app, make_user, login):
    make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    visitor = app.test_client()
    visitor.get("/members/ray")
    assert visitor.get("/members/ray").headers["X-Cache"] == "hit"
    sam = login(app.test_client(), make_user(username="sam", display_name="Sam Viewer"))
    kim = login(app.test_client(), make_user(username="kim", display_name="Kim Other"))
    first, second = sam.get("/members/ray"), sam.get("/members/ray")
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert "Sam Viewer" in second.get_data(as_text=True)  # their own account menu
    other = kim.get("/members/ray")
    assert other.headers["X-Cache"] == "miss"  # never Sam's copy
    assert "Kim Other" in other.get_data(as_text=True)
    assert "Sam Viewer" not in other.get_data(as_text=True)
    assert "Sam Viewer" not in visitor.get("/members/ray").get_data(as_text=True)


def test_a_kept_signed_in_page_carries_this_sessions_form_token(cached_app, make_user, login):
    app = cached_app(WTF_CSRF_ENABLED=True)
    user = make_user(username="sam", display_name="Sam Viewer")
    member = login(app.test_client(), user)
    member.get("/terms")
    page = member.get("/terms")
    assert page.headers["X-Cache"] == "hit"
    html = page.get_data(as_text=True)
    assert "<csrf-token>" not in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = member.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302  # the token works: signed out
    after = member.get("/terms")
    assert "Sam Viewer" not in after.get_data(as_text=True)


def test_a_kept_signed_in_page_is_fresh_after_anyone_writes(cached_app, make_user, login):
    ray = make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    sam = login(app.test_client(), make_user(username="sam", display_name="Sam Viewer"))
    sam.get("/members/ray")
    assert sam.get("/members/ray").headers["X-Cache"] == "hit"
    writer = login(app.test_client(), ray)
    assert writer.post("/settings/profile", data={**BIO_FORM, "bio": "Fresh words."}
                       ).status_code == 302
    page = sam.get("/members/ray")
    assert page.headers["X-Cache"] == "miss"
    assert "Fresh words." in page.get_data(as_text=True)


def test_a_suspended_person_is_not_served_their_kept_page(cached_app, make_user, login):
    from datetime import timedelta

    from network.core.time import utcnow
    from network.extensions import db

    user = make_user(username="sam", display_name="Sam Viewer")
    app = cached_app()
    member = login(app.test_client(), user)
    member.get("/terms")
    assert member.get("/terms").headers["X-Cache"] == "hit"
    with app.app_context():
        db.session.merge(user).suspended_until = utcnow() + timedelta(days=2)
        db.session.commit()
    invalidate(app)  # as every write through the site does
    page = member.get("/terms").get_data(as_text=True)
    assert "Sam Viewer" not in page and "Sign in" in page


def test_a_signed_in_page_with_a_message_is_neither_kept_nor_served_from_the_cache(
        cached_app, make_user, login):
    app = cached_app()
    member = login(app.test_client(), make_user(username="sam", display_name="Sam Viewer"))
    member.get("/terms")
    with member.session_transaction() as session:
        session["_flashes"] = [("success", "Only once.")]
    shown = member.get("/terms")
    assert "Only once." in shown.get_data(as_text=True) and "X-Cache" not in shown.headers
    assert "Only once." not in member.get("/terms").get_data(as_text=True)


def test_private_areas_are_never_kept_for_signed_in_people(cached_app, make_user, login):
    member = login(cached_app().test_client(), make_user(username="sam"))
    for path in ("/settings/profile", "/notifications/"):
        member.get(path)
        assert member.get(path).headers.get("X-Cache") != "hit"


def test_a_signed_in_page_never_reaches_a_visitor(cached_app, make_user, login):
    make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    member = login(app.test_client(), make_user(display_name="Sam Viewer"))
    member.get("/members/ray")
    member.get("/members/ray")
    response = app.test_client().get("/members/ray")
    assert response.headers["X-Cache"] == "miss"
    assert "Sam Viewer" not in response.get_data(as_text=True)
    assert "Sign in" in response.get_data(as_text=True)


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page_not_stored(cached_app):
    app = cached_app()
    flashed = app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("success", "A message only for you.")]
    response = flashed.get("/terms")
    assert "A message only for you." in response.get_data(as_text=True)
    assert "X-Cache" not in response.headers
    other = app.test_client().get("/terms")
    assert other.headers["X-Cache"] == "miss"
    assert "A message only for you." not in other.get_data(as_text=True)


def test_private_areas_and_errors_are_not_cached(cached_app):
    client = cached_app().test_client()
    for path in ("/auth/login", "/auth/register", "/members/nobody"):
        client.get(path)
        assert client.get(path).headers.get("X-Cache") != "hit"


def test_pages_that_set_cookies_are_not_cached(cached_app):
    app = cached_app(WTF_CSRF_ENABLED=True)

    @app.route("/cookie-test")
    def cookie_test():
        from flask import make_response

        response = make_response("<p>hello</p>")
        response.set_cookie("seen", "1")
        return response

    client = app.test_client()
    client.get("/cookie-test")
    response = app.test_client().get("/cookie-test")
    assert response.headers["X-Cache"] == "miss" and "seen=1" in response.headers["Set-Cookie"]


def test_invalidate_from_the_command_line_makes_pages_fresh(cached_app):
    app = cached_app()
    client = app.test_client()
    client.get("/")
    assert client.get("/").headers["X-Cache"] == "hit"
    invalidate(app)
    assert client.get("/").headers["X-Cache"] == "miss"


def test_create_user_command_invalidates(cached_app):
    app = cached_app()
    client = app.test_client()
    client.get("/members/cli.person")
    assert client.get("/members/cli.person").status_code == 404
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--username", "cli.person", "--email", "cli@example.org",
        "--name", "Cli Person", "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert "Cli Person" in client.get("/members/cli.person").get_data(as_text=True)


def test_entries_expire_after_max_age(cached_app):
    client = cached_app(CACHE_MAX_AGE=0).test_client()
    client.get("/")
    assert client.get("/").headers["X-Cache"] == "miss"


def test_cache_off_adds_no_cache_header_but_keeps_browsers_private(make_app):
    response = make_app(CACHE_ENABLED=False).test_client().get("/")
    assert "X-Cache" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_file_version_strictly_increases_even_within_one_clock_tick(tmp_path):
    version = FileVersion(str(tmp_path / "v"))
    seen = [version.bump() for _ in range(50)]
    assert seen == sorted(set(seen))
    assert version.current() == seen[-1]


def test_a_cached_page_costs_no_sql(cached_app, make_user):
    from sqlalchemy import event

    from network.extensions import db

    make_user(username="ray", display_name="Ray Patel")
    app = cached_app()
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/members/ray").headers["X-Cache"] == "miss"
        assert statements  # the listener sees this app's queries
        statements.clear()
        response = client.get("/members/ray")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.headers["X-Cache"] == "hit"
    assert statements == []


def test_a_visitor_with_an_anonymous_session_cookie_is_served_from_cache(cached_app):
    app = cached_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.get("/auth/login")  # the form's token puts a session cookie in the browser
    assert client.get_cookie("session") is not None
    client.get("/terms")
    response = client.get("/terms")
    assert response.headers["X-Cache"] == "hit"
    assert "X-Request-Id" in response.headers and "Set-Cookie" not in response.headers


def test_a_page_that_changes_the_session_is_not_stored(cached_app):
    app = cached_app()

    @app.route("/session-test")
    def session_test():
        from flask import session

        session["seen"] = True  # Flask adds the cookie after every hook has run
        return "<p>hello</p>"

    first = app.test_client().get("/session-test")
    assert "Set-Cookie" in first.headers
    second = app.test_client().get("/session-test")
    assert second.headers["X-Cache"] == "miss"


def _statements(app):
    from sqlalchemy import event

    from network.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    return statements


def test_a_signed_in_person_is_not_read_again_until_something_is_written(cached_app, make_user,
                                                                          login):
    user = make_user(username="sam", display_name="Sam Viewer")
    app = cached_app()
    member = login(app.test_client(), user)
    statements = _statements(app)
    assert "Sam Viewer" in member.get("/terms").get_data(as_text=True)
    assert any('FROM "user"' in s or "FROM user" in s for s in statements)
    statements.clear()
    page = member.get("/terms").get_data(as_text=True)
    assert "Sam Viewer" in page and "Sign out" in page
    assert statements == []
    response = member.post("/settings/profile", data={**BIO_FORM, "display_name": "Sam Renamed",
                                                      "bio": ""})
    assert response.status_code == 302
    assert "Sam Renamed" in member.get("/terms").get_data(as_text=True)


def _two_devices(cached_app, make_user, login):
    """A laptop and a phone signed in as Sam, the phone's page remembered."""
    user = make_user(username="sam", display_name="Sam Viewer")
    app = cached_app()
    laptop, phone = login(app.test_client(), user), login(app.test_client(), user)
    assert "Sign out" in phone.get("/terms").get_data(as_text=True)
    assert "Sign out" in phone.get("/terms").get_data(as_text=True)  # remembered now
    return laptop, phone


def test_signing_out_everywhere_ends_other_sessions_with_the_cache_on(cached_app, make_user,
                                                                      login):
    laptop, phone = _two_devices(cached_app, make_user, login)
    assert laptop.post("/settings/sessions/end-all").status_code == 302
    page = phone.get("/terms").get_data(as_text=True)
    assert "Sign out" not in page and "Sam Viewer" not in page


def test_signing_out_on_one_device_keeps_the_other_with_the_cache_on(cached_app, make_user,
                                                                      login):
    laptop, phone = _two_devices(cached_app, make_user, login)
    assert "Sign out" in laptop.get("/terms").get_data(as_text=True)
    assert laptop.post("/auth/logout").status_code == 302
    assert "Sam Viewer" not in laptop.get("/terms").get_data(as_text=True)
    assert "Sam Viewer" in phone.get("/terms").get_data(as_text=True)


def test_the_remembered_person_has_their_region_and_saves_changes(cached_app, make_user):
    from network.accounts.models import User
    from network.accounts.signed_in import remembered_person as remembered_user
    from network.extensions import db

    user = make_user(username="sam", display_name="Sam Viewer", region_id=2)
    app = cached_app()
    with app.test_request_context("/"):
        assert remembered_user(user.id).region.name == "North West"  # read, then remembered
        db.session.remove()
        statements = _statements(app)
        again = remembered_user(user.id)
        assert again.region.name == "North West" and again.display_name == "Sam Viewer"
        assert statements == []
        again.job_title = "Changed without a read"
        db.session.commit()
        db.session.remove()
        assert db.session.get(User, user.id).job_title == "Changed without a read"


def test_remembered_memberships_follow_a_join_at_once(cached_app, make_user, make_network, login):
    user = make_user(username="joiner")
    network = make_network(visibility="open", name="Join Me")
    app = cached_app()
    member = login(app.test_client(), user)
    assert "Leave network" not in member.get(f"/networks/{network.slug}/").get_data(as_text=True)
    assert member.post(f"/networks/{network.slug}/join").status_code == 302
    assert "Leave network" in member.get(f"/networks/{network.slug}/").get_data(as_text=True)
    statements = _statements(app)
    member.get("/terms")
    assert not any("membership" in s for s in statements)  # remembered until the next write
