"""Members are told of moderators' decisions on them and on what they wrote (issue
12): a silence or suspension with its end and reason, its lifting, and approval or
rejection of pre-moderated content with the reason, in the app and by mail."""
from sqlalchemy import select

from network.accounts.models import User
from network.core.time import until
from network.extensions import db
from network.moderation import services
from network.notifications.models import Notification, OutboxMail
from tests.moderation.conftest import get


def _notices(app, user_id):
    with app.app_context():
        return [n.text for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user_id,
                                       Notification.kind == "moderation")
            .order_by(Notification.id))]


def _mail_subjects(app, address):
    with app.app_context():
        return list(db.session.scalars(select(OutboxMail.subject)
                                       .where(OutboxMail.to_addr == address)
                                       .order_by(OutboxMail.id)))


def _act(client, username, action, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    response = client.post(f"/moderation/members/{username}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_a_silenced_member_is_told_until_when_and_why_and_when_it_is_lifted(
        app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="quinn")
    client = login(app.test_client(), moderator)
    _act(client, "quinn", "silence", days="7", reason="Heated replies")
    ends = until(get(app, User, member.id).silenced_until)
    assert _notices(app, member.id) == [
        f"A moderator has silenced you {ends}: you can read but not post or comment. "
        "Reason: Heated replies"]
    _act(client, "quinn", "unsilence", reason="Calmer now")
    assert _notices(app, member.id)[1] == "A moderator has lifted your silence: you can post again."
    subjects = _mail_subjects(app, "quinn@example.org")
    assert len(subjects) == 2 and "silenced you" in subjects[0] and "Heated replies" in subjects[0]
    assert _notices(app, moderator.id) == []


def test_a_suspended_member_is_mailed_the_end_and_the_reason(app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="rory")
    client = login(app.test_client(), moderator)
    _act(client, "rory", "suspend", days="30", reason="Repeated abuse")
    ends = until(get(app, User, member.id).suspended_until)
    notice = f"Your account is suspended {ends}: you cannot sign in. Reason: Repeated abuse"
    assert _notices(app, member.id) == [notice]
    assert _mail_subjects(app, "rory@example.org") == [notice]  # they cannot sign in to read it
    _act(client, "rory", "reinstate", reason="Appeal upheld")
    assert _notices(app, member.id)[1] == "Your suspension has been lifted: you can sign in again."


def test_an_indefinite_suspension_says_so(app, make_user, login):
    moderator, member = make_user(role="moderator"), make_user(username="sol")
    _act(login(app.test_client(), moderator), "sol", "suspend", days="36500", reason="Spam")
    assert _notices(app, member.id) == [
        "Your account is suspended indefinitely: you cannot sign in. Reason: Spam"]


def test_a_refused_sanction_tells_nobody(app, make_user, login):
    moderator = make_user(role="moderator")
    staff = make_user(role="moderator", username="mod2")
    response = login(app.test_client(), moderator).post("/moderation/members/mod2", data={
        "action": "suspend", "suspend-days": "7", "suspend-reason": "No"})
    assert response.status_code == 403
    member = make_user(username="tam")
    response = login(app.test_client(), moderator).post("/moderation/members/tam", data={
        "action": "silence", "silence-days": "7", "silence-reason": ""})
    assert response.status_code == 400
    assert _notices(app, staff.id) == [] and _notices(app, member.id) == []


def test_approving_or_rejecting_waiting_posts_tells_the_author_the_reason(
        app, make_user, make_network, make_thread, make_post):
    newcomer, moderator = make_user(), make_user(role="moderator")
    thread = make_thread(make_network(members=[newcomer]), make_user())
    kept = make_post(thread, newcomer, status="pending").id
    refused = make_post(thread, newcomer, status="pending").id
    with app.test_request_context("/"):
        actor = db.session.get(User, moderator.id)
        services.approve_content(actor, services.get_target("post", kept, actor),
                                 "Useful, thank you")
        services.reject_content(actor, services.get_target("post", refused, actor),
                                "Advertising")
    assert _notices(app, newcomer.id) == [
        "Your post is approved and shown. Note: Useful, thank you",
        "A moderator did not approve your post. Reason: Advertising"]
