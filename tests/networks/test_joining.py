"""Joining open networks, asking to join closed ones, invitations and leaving."""
import re
from datetime import timedelta

from sqlalchemy import select, update

from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import ModerationAction
from network.networks.models import Invitation, JoinRequest, Membership, Network
from network.notifications.models import Notification, OutboxMail
from tests.concurrency import meeting_at, race


def _count(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(db.func.count()).select_from(model).filter_by(**where))


def _request_id(app, network, user):
    with app.app_context():
        return db.session.scalar(select(JoinRequest.id).where(
            JoinRequest.network_id == network.id, JoinRequest.user_id == user.id))


# --- open networks --------------------------------------------------------

def test_joining_an_open_network_is_immediate_and_counted(app, make_user, make_network,
                                                          as_user, fetch):
    person = make_user()
    network = make_network(members=[make_user()])
    client = as_user(person)
    assert "Join network" in client.get(f"/networks/{network.slug}/").get_data(as_text=True)
    response = client.post(f"/networks/{network.slug}/join", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "You have joined" in page and "You are a member of this network" in page
    assert fetch(Network, id=network.id).member_count == 2
    assert fetch(Membership, network_id=network.id, user_id=person.id).role == "member"


def test_joining_twice_says_so_and_changes_nothing(app, make_user, make_network, as_user, fetch):
    person = make_user()
    network = make_network(members=[person])
    response = as_user(person).post(f"/networks/{network.slug}/join", follow_redirects=True)
    assert "already a member" in response.get_data(as_text=True)
    assert fetch(Network, id=network.id).member_count == 1
    assert _count(app, Membership, network_id=network.id) == 1


def test_anonymous_join_is_sent_to_sign_in(client, make_network):
    network = make_network()
    response = client.post(f"/networks/{network.slug}/join")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_suspended_or_silenced_people_cannot_join(app, make_user, make_network, as_user, fetch):
    silenced = make_user(silenced_until=utcnow() + timedelta(days=3))
    network = make_network()
    assert as_user(silenced).post(f"/networks/{network.slug}/join").status_code == 403
    assert fetch(Network, id=network.id).member_count == 0


# --- closed networks ------------------------------------------------------

def test_closed_network_request_notifies_managers(app, make_user, make_network, as_user):
    manager, person = make_user(), make_user(display_name="Asha Khan")
    network = make_network(visibility="closed", managers=[manager])
    client = as_user(person)
    page = client.get(f"/networks/{network.slug}/").get_data(as_text=True)
    assert "Ask to join" in page and "Discussions are for members only" in page
    response = client.post(f"/networks/{network.slug}/join",
                           data={"message": "I run a crisis café."}, follow_redirects=True)
    assert "Your request has been sent" in response.get_data(as_text=True)
    assert "You asked to join on" in client.get(f"/networks/{network.slug}/").get_data(as_text=True)
    with app.app_context():
        join_request = db.session.scalar(select(JoinRequest))
        assert (join_request.status, join_request.message) == ("pending", "I run a crisis café.")
        note = db.session.scalar(select(Notification).where(Notification.user_id == manager.id))
        assert "Asha Khan asked to join" in note.text
        assert note.url == f"/networks/{network.slug}/requests"
        assert db.session.get(Network, network.id).member_count == 1
    requests_page = as_user(manager).get(f"/networks/{network.slug}/requests").get_data(as_text=True)
    assert "Asha Khan" in requests_page and "I run a crisis café." in requests_page


def test_asking_twice_says_so_and_changes_nothing(app, make_user, make_network, as_user):
    person = make_user()
    network = make_network(visibility="closed", managers=[make_user()])
    client = as_user(person)
    client.post(f"/networks/{network.slug}/join")
    response = client.post(f"/networks/{network.slug}/join", follow_redirects=True)
    assert "already asked to join" in response.get_data(as_text=True)
    assert _count(app, JoinRequest) == 1
    assert _count(app, Notification) == 1


def test_a_second_request_the_check_missed_is_refused_by_the_database(
        app, make_user, make_network, as_user, monkeypatch):
    """As when two requests arrive at once on PostgreSQL: neither sees the other
    when it checks, and the partial unique index refuses the second."""
    from network.networks import membership

    person = make_user()
    network = make_network(visibility="closed", managers=[make_user()])
    client = as_user(person)
    client.post(f"/networks/{network.slug}/join")
    monkeypatch.setattr(membership, "pending_request", lambda network, user: None)
    response = client.post(f"/networks/{network.slug}/join", follow_redirects=True)
    assert response.status_code == 200
    assert "already asked to join" in response.get_data(as_text=True)
    assert _count(app, JoinRequest) == 1
    assert _count(app, Notification) == 1


def test_two_requests_sent_at_once_store_one(app, make_user, make_network):
    from network.accounts.models import User
    from network.networks import membership

    person = make_user()
    network = make_network(visibility="closed", managers=[make_user()])

    def ask(n):
        with app.test_request_context(method="POST"):
            membership.request_to_join(db.session.get(User, person.id),
                                     db.session.get(Network, network.id), f"Request {n}")

    with meeting_at(app, "INSERT INTO join_request"):
        assert race(app, 2, ask) == ["Conflict", "done"]
    assert _count(app, JoinRequest) == 1
    assert _count(app, Notification) == 1


def test_after_a_decision_the_person_may_ask_again(app, make_user, make_network, as_user):
    manager, person = make_user(), make_user()
    network = make_network(visibility="closed", managers=[manager])
    as_user(person).post(f"/networks/{network.slug}/join")
    as_user(manager).post(f"/networks/{network.slug}/requests",
                          data={"request_id": _request_id(app, network, person),
                                "decision": "decline"})
    response = as_user(person).post(f"/networks/{network.slug}/join", follow_redirects=True)
    assert "Your request has been sent" in response.get_data(as_text=True)
    assert _count(app, JoinRequest, status="pending") == 1
    assert _count(app, JoinRequest, status="declined") == 1


def test_over_long_request_message_is_refused_and_kept(app, make_user, make_network, as_user):
    network = make_network(visibility="closed", managers=[make_user()])
    response = as_user(make_user()).post(f"/networks/{network.slug}/join",
                                         data={"message": "m" * 1001})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Use 1,000 characters or fewer." in page and "m" * 1001 in page
    assert _count(app, JoinRequest) == 0


def test_manager_approves_a_request_and_the_person_is_told(app, make_user, make_network,
                                                          as_user, fetch):
    manager, person = make_user(), make_user(display_name="Asha Khan")
    network = make_network(visibility="closed", managers=[manager])
    as_user(person).post(f"/networks/{network.slug}/join")
    request_id = _request_id(app, network, person)
    manager_client = as_user(manager)
    response = manager_client.post(f"/networks/{network.slug}/requests",
                                   data={"request_id": request_id, "decision": "approve"},
                                   follow_redirects=True)
    assert "Asha Khan is now a member" in response.get_data(as_text=True)
    assert fetch(Network, id=network.id).member_count == 2
    assert fetch(JoinRequest, id=request_id).status == "approved"
    note = fetch(Notification, user_id=person.id)
    assert "was approved" in note.text and note.network_id == network.id
    # Approving again changes nothing and says why.
    again = manager_client.post(f"/networks/{network.slug}/requests",
                                data={"request_id": request_id, "decision": "approve"},
                                follow_redirects=True)
    assert "already been approved" in again.get_data(as_text=True)
    assert fetch(Network, id=network.id).member_count == 2
    assert _count(app, Membership, network_id=network.id) == 2
    assert _count(app, Notification, user_id=person.id) == 1


def test_manager_declines_a_request_and_the_person_is_told(app, make_user, make_network,
                                                          as_user, fetch):
    manager, person = make_user(), make_user()
    network = make_network(visibility="closed", managers=[manager])
    as_user(person).post(f"/networks/{network.slug}/join")
    request_id = _request_id(app, network, person)
    as_user(manager).post(f"/networks/{network.slug}/requests",
                          data={"request_id": request_id, "decision": "decline"})
    assert fetch(JoinRequest, id=request_id).status == "declined"
    assert "was declined" in fetch(Notification, user_id=person.id).text
    assert fetch(Membership, network_id=network.id, user_id=person.id) is None
    assert fetch(Network, id=network.id).member_count == 1


def test_requests_of_another_network_cannot_be_decided(app, make_user, make_network, as_user,
                                                       fetch):
    manager, person = make_user(), make_user()
    mine = make_network(visibility="closed", managers=[manager])
    theirs = make_network(visibility="closed", managers=[make_user()])
    as_user(person).post(f"/networks/{theirs.slug}/join")
    request_id = _request_id(app, theirs, person)
    response = as_user(manager).post(f"/networks/{mine.slug}/requests",
                                     data={"request_id": request_id, "decision": "approve"},
                                     follow_redirects=True)
    assert "no longer exists" in response.get_data(as_text=True)
    assert fetch(JoinRequest, id=request_id).status == "pending"


def test_bad_decisions_are_a_bad_request(app, make_user, make_network, as_user):
    manager = make_user()
    network = make_network(visibility="closed", managers=[manager])
    client = as_user(manager)
    for data in ({"request_id": "1", "decision": "maybe"},
                 {"request_id": "99999999999999", "decision": "approve"},
                 {"request_id": "abc", "decision": "approve"},
                 {"request_id": "²", "decision": "approve"}):  # "²".isdigit(): was a 500
        assert client.post(f"/networks/{network.slug}/requests", data=data).status_code == 400


def test_open_network_takes_no_requests_and_private_no_direct_joins(app, make_user,
                                                                   make_network, as_user):
    person = make_user()
    private = make_network(visibility="private", managers=[make_user()])
    assert as_user(person).post(f"/networks/{private.slug}/join").status_code == 404
    staff = make_user(role="admin")
    assert as_user(staff).post(f"/networks/{private.slug}/join").status_code == 403
    assert _count(app, Membership, network_id=private.id) == 1


# --- private networks and invitations -------------------------------------

def _invite(app, as_user, manager, network, invitee):
    return as_user(manager).post(f"/networks/{network.slug}/invitations",
                                 data={"invitee": invitee}, follow_redirects=True)


def _link_from_notification(app, user):
    with app.app_context():
        return db.session.scalar(select(Notification.url).where(Notification.user_id == user.id))


def test_invitation_by_username_notifies_and_joins_once(app, make_user, make_network, as_user,
                                                        fetch):
    manager, person = make_user(), make_user(username="invitee")
    network = make_network(name="Directors Circle", visibility="private", managers=[manager])
    response = _invite(app, as_user, manager, network, "INVITEE")
    assert "Invitation sent" in response.get_data(as_text=True)
    note = fetch(Notification, user_id=person.id)
    assert "Directors Circle" not in note.text and "a private network" in note.text
    assert note.network_id is None
    link = note.url
    assert re.fullmatch(rf"/networks/{network.slug}/invitations/[A-Za-z0-9_-]{{40,}}", link)
    with app.app_context():
        stored = db.session.scalar(select(Invitation))
        assert link.rsplit("/", 1)[1] not in (stored.token_hash, stored.email)
    client = as_user(person)
    assert client.get(f"/networks/{network.slug}/").status_code == 404
    page = client.get(link).get_data(as_text=True)
    assert "You are invited to join Directors Circle" in page
    assert client.post(link).status_code == 302
    assert client.get(f"/networks/{network.slug}/").status_code == 200
    assert fetch(Network, id=network.id).member_count == 2
    # The link works once.
    client.post(f"/networks/{network.slug}/leave")
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert fetch(Network, id=network.id).member_count == 1


def test_username_invitation_is_only_for_that_person(app, make_user, make_network, as_user,
                                                     fetch):
    manager, person, other = make_user(), make_user(username="invitee"), make_user()
    network = make_network(visibility="private", managers=[manager])
    _invite(app, as_user, manager, network, "invitee")
    link = _link_from_notification(app, person)
    assert as_user(other).get(link).status_code == 404
    assert as_user(other).post(link).status_code == 404
    assert fetch(Membership, network_id=network.id, user_id=other.id) is None


def test_invitation_by_email_queues_a_mail_built_from_base_url(app, make_user, make_network,
                                                               as_user, fetch, client):
    manager = make_user()
    network = make_network(name="Directors Circle", visibility="private", managers=[manager])
    _invite(app, as_user, manager, network, "New.Person@Example.org")
    mail = fetch(OutboxMail, to_addr="new.person@example.org")
    assert "Directors Circle" not in mail.body + mail.subject
    link = re.search(r"http://whatworks\.test(/networks/\S+)", mail.body).group(1)
    anonymous_page = client.get(link).get_data(as_text=True)
    assert "sign in" in anonymous_page and "Directors Circle" in anonymous_page
    newcomer = make_user(email="someone.else@example.org")
    newcomer_client = as_user(newcomer)
    newcomer_client.post(link)
    assert fetch(Membership, network_id=network.id, user_id=newcomer.id) is not None
    assert as_user(make_user()).get(link).status_code == 404


def test_expired_invitation_is_404(app, make_user, make_network, as_user, fetch):
    manager, person = make_user(), make_user(username="late")
    network = make_network(visibility="private", managers=[manager])
    _invite(app, as_user, manager, network, "late")
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    link = _link_from_notification(app, person)
    assert as_user(person).post(link).status_code == 404
    assert fetch(Membership, network_id=network.id, user_id=person.id) is None


def test_invitation_mistakes_are_explained_beside_the_field(app, make_user, make_network,
                                                            as_user):
    manager, member = make_user(), make_user(username="already")
    network = make_network(visibility="private", managers=[manager], members=[member])
    for invitee, message in (("nobody-here", "There is no member with that username"),
                             ("already", "is already a member"),
                             ("", "Enter a username or an email address."),
                             ("not an@email", "There is no member with that username")):
        response = as_user(manager).post(f"/networks/{network.slug}/invitations",
                                         data={"invitee": invitee})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert _count(app, Invitation) == 0 and _count(app, OutboxMail) == 0


def test_members_cannot_invite(app, make_user, make_network, as_user):
    member = make_user()
    network = make_network(visibility="private", managers=[make_user()], members=[member])
    response = as_user(member).post(f"/networks/{network.slug}/invitations",
                                    data={"invitee": "x@example.org"})
    assert response.status_code == 403
    assert _count(app, Invitation) == 0


# --- leaving --------------------------------------------------------------

def test_leaving_is_counted_and_private_network_disappears(app, make_user, make_network,
                                                           as_user, fetch):
    person = make_user()
    network = make_network(visibility="private", managers=[make_user()], members=[person])
    client = as_user(person)
    response = client.post(f"/networks/{network.slug}/leave")
    assert response.status_code == 302 and response.location.endswith("/networks/")
    assert fetch(Network, id=network.id).member_count == 1
    assert client.get(f"/networks/{network.slug}/").status_code == 404


def test_leaving_when_not_a_member_changes_nothing(app, make_user, make_network, as_user,
                                                   fetch):
    network = make_network(members=[make_user()])
    response = as_user(make_user()).post(f"/networks/{network.slug}/leave",
                                         follow_redirects=True)
    assert "You are not a member" in response.get_data(as_text=True)
    assert fetch(Network, id=network.id).member_count == 1


def test_last_manager_names_a_successor_before_leaving(app, make_user, make_network, as_user,
                                                       fetch):
    manager, member = make_user(), make_user(username="successor")
    network = make_network(managers=[manager], members=[member])
    client = as_user(manager)
    page = client.get(f"/networks/{network.slug}/").get_data(as_text=True)
    assert "Username of the member who becomes manager" in page
    response = client.post(f"/networks/{network.slug}/leave", data={"successor": ""})
    assert response.status_code == 400 and "You are the only manager" in response.get_data(as_text=True)
    response = client.post(f"/networks/{network.slug}/leave", data={"successor": "stranger"})
    assert response.status_code == 400
    assert "not a member of this network" in response.get_data(as_text=True)
    assert fetch(Membership, network_id=network.id, user_id=manager.id).role == "manager"
    response = client.post(f"/networks/{network.slug}/leave", data={"successor": "Successor"})
    assert response.status_code == 302
    assert fetch(Membership, network_id=network.id, user_id=manager.id) is None
    assert fetch(Membership, network_id=network.id, user_id=member.id).role == "manager"
    assert fetch(Network, id=network.id).member_count == 1
    assert fetch(ModerationAction, action="promote_manager").target_id == member.id


def test_sole_member_manager_cannot_leave_an_empty_network(app, make_user, make_network,
                                                           as_user, fetch):
    manager = make_user()
    network = make_network(managers=[manager])
    response = as_user(manager).post(f"/networks/{network.slug}/leave", follow_redirects=True)
    assert "You are the only member" in response.get_data(as_text=True)
    assert fetch(Network, id=network.id).member_count == 1
