"""Site moderators silence, suspend and trust members (never staff), with reasons."""
from sqlalchemy import select

from network.accounts.models import User
from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import ModerationAction
from tests.conftest import TEST_PASSWORD
from tests.moderation.conftest import get


def _actions(app):
    with app.app_context():
        return [(e.action, e.target_id, e.reason)
                for e in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))]


def test_member_page_shows_status_and_flags_against_them(app, make_user, make_network,
                                                         make_thread, login):
    moderator = make_user(role="moderator")
    member = make_user(username="pat", display_name="Pat Poster")
    thread = make_thread(make_network(), member)
    login(app.test_client(), make_user()).post(f"/threads/{thread.id}/flag",
                                               data={"reason": "other", "note": "Odd claims"})
    page = login(app.test_client(), moderator).get("/moderation/members/PAT").get_data(as_text=True)
    assert "<h1>Pat Poster</h1>" in page and "Can post" in page and "Can sign in" in page
    assert "Odd claims" in page and "Something else" in page
    assert "Silence" in page and "Suspend" in page and "Mark trusted" in page



def _silence(client, username, days, reason):
    response = client.post(f"/moderation/members/{username}", data={
        "action": "silence", "silence-days": days, "silence-reason": reason})
    assert response.status_code == 302


def test_silencing_stops_posting_and_shows_the_member_why(app, make_user, login):
    from flask import render_template_string
    from flask_login import login_user

    from network.core import policy

    moderator, member = make_user(role="moderator"), make_user(username="quinn")
    client = login(app.test_client(), moderator)
    _silence(client, "quinn", "7", "Heated replies")
    person = get(app, User, member.id)
    assert person.is_silenced and person.silenced_reason == "Heated replies"
    assert not policy.can_post(person) and policy.is_silenced_member(person)
    with app.test_request_context():
        login_user(person)
        html = render_template_string('{% include "moderation/_silenced.html" %}')
    assert "You cannot post until" in html and ": Heated replies" in html
    assert _actions(app) == [("silence", member.id, "Heated replies")]
    client.post("/moderation/members/quinn", data={"action": "unsilence",
                                                   "unsilence-reason": "Calmer now"})
    assert not get(app, User, member.id).is_silenced


def test_the_silenced_notice_is_empty_for_everyone_else(app, make_user):
    from flask import render_template_string
    from flask_login import login_user

    with app.test_request_context():
        assert render_template_string('{% include "moderation/_silenced.html" %}').strip() == ""
        login_user(get(app, User, make_user().id))
        assert render_template_string('{% include "moderation/_silenced.html" %}').strip() == ""


def test_moderators_suspend_members_who_then_cannot_sign_in(app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="rory")
    member_client = login(app.test_client(), member)
    assert member_client.get("/settings/profile").status_code == 200
    response = login(app.test_client(), moderator).post("/moderation/members/rory", data={
        "action": "suspend", "suspend-days": "30", "suspend-reason": "Repeated abuse"})
    assert response.status_code == 302
    assert member_client.get("/settings/profile").status_code == 302  # signed out
    attempt = app.test_client().post("/auth/login", data={"login": "rory",
                                                          "password": TEST_PASSWORD})
    assert "Repeated abuse" in attempt.get_data(as_text=True)
    login(app.test_client(), moderator).post("/moderation/members/rory", data={
        "action": "reinstate", "reinstate-reason": "Appeal"})
    assert not get(app, User, member.id).is_suspended
    assert [a[0] for a in _actions(app)] == ["suspend", "reinstate"]


def test_staff_cannot_be_sanctioned_by_moderators(app, make_user, login):
    moderator = make_user(role="moderator", username="mod1")
    make_user(role="moderator", username="mod2")
    make_user(role="admin", username="boss")
    client = login(app.test_client(), moderator)
    for username in ("mod2", "boss", "mod1"):
        page = client.get(f"/moderation/members/{username}").get_data(as_text=True)
        assert 'name="action"' not in page
        response = client.post(f"/moderation/members/{username}", data={
            "action": "suspend", "suspend-days": "7", "suspend-reason": "No"})
        assert response.status_code == 403
    assert _actions(app) == []


def test_trust_and_untrust_are_logged(app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="sam")
    client = login(app.test_client(), moderator)
    client.post("/moderation/members/sam", data={"action": "trust", "trust-reason": "Known"})
    assert get(app, User, member.id).trusted
    again = client.post("/moderation/members/sam", data={"action": "trust", "trust-reason": "x"})
    assert again.status_code == 400 and "already trusted" in again.get_data(as_text=True)
    client.post("/moderation/members/sam", data={"action": "untrust", "untrust-reason": "Spam"})
    assert not get(app, User, member.id).trusted
    assert [a[0] for a in _actions(app)] == ["trust", "untrust"]


def test_bad_member_input_is_refused_beside_the_field(app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="tess")
    client = login(app.test_client(), moderator)
    cases = [({"action": "silence", "silence-days": "7", "silence-reason": ""}, "Give a reason"),
             ({"action": "silence", "silence-days": "9999999", "silence-reason": "x"},
              "Not a valid choice"),
             ({"action": "suspend", "suspend-days": "7", "suspend-reason": "y" * 501},
              "500 characters or fewer"),
             ({"action": "unsilence", "unsilence-reason": "Not silenced"}, "is not silenced"),
             ({"action": "reinstate", "reinstate-reason": "Not suspended"}, "is not suspended")]
    for data, message in cases:
        response = client.post("/moderation/members/tess", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert client.post("/moderation/members/tess", data={"action": "delete"}).status_code == 400
    assert client.get("/moderation/members/" + "x" * 300).status_code == 404
    person = get(app, User, member.id)
    assert not person.is_silenced and not person.is_suspended and _actions(app) == []


def test_only_site_moderators_reach_member_pages(app, client, make_user, make_network, login):
    manager = make_user()
    make_network(managers=[manager])
    make_user(username="uma")
    assert client.get("/moderation/members/uma").status_code == 302
    assert login(app.test_client(), manager).get("/moderation/members/uma").status_code == 403


def test_an_indefinite_silence_is_shown_as_indefinite_not_as_a_date(app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="quiet")
    client = login(app.test_client(), moderator)
    _silence(client, "quiet", "36500", "Repeated abuse")
    far_year = str(utcnow().year + 100)
    member_page = client.get("/moderation/members/quiet").get_data(as_text=True)
    assert "Silenced indefinitely" in member_page and far_year not in member_page
    log_page = client.get("/moderation/log").get_data(as_text=True)
    assert "(indefinitely)" in log_page and f"until {far_year}" not in log_page
