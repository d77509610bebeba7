"""The members page, and managers promoting, demoting and removing members."""
from sqlalchemy import select

from network.extensions import db
from network.moderation.models import ModerationAction
from network.networks.models import Membership, Network
from tests.concurrency import meeting_at, race


def _act(client, network, person, action, reason="Agreed at the meeting"):
    return client.post(f"/networks/{network.slug}/members/{person.id}",
                       data={"action": action, "reason": reason})


def test_members_page_lists_and_searches_members(app, make_user, make_network, as_user):
    manager = make_user(display_name="Mona Manager")
    member = make_user(display_name="Sam Member", organisation="Kent County Council")
    network = make_network(managers=[manager], members=[member])
    client = as_user(make_user())
    page = client.get(f"/networks/{network.slug}/members").get_data(as_text=True)
    assert "Mona Manager" in page and "Sam Member" in page and "2 members" in page
    assert page.index("Mona Manager") < page.index("Sam Member")  # managers first
    assert f"/members/{member.id}" not in page  # no Manage links for non-managers
    found = client.get(f"/networks/{network.slug}/members?q=kent").get_data(as_text=True)
    assert "Sam Member" in found and "Mona Manager" not in found


def test_members_page_paginates(app, make_user, make_network, client):
    people = [make_user() for _ in range(51)]
    network = make_network(members=people)
    first = client.get(f"/networks/{network.slug}/members").get_data(as_text=True)
    assert "51 members" in first and 'rel="next"' in first
    second = client.get(f"/networks/{network.slug}/members?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 2  # header and one member


def test_closed_network_members_are_for_members(app, make_user, make_network, as_user, client):
    network = make_network(visibility="closed", members=[make_user(display_name="Quiet Person")])
    assert as_user(make_user()).get(f"/networks/{network.slug}/members").status_code == 403
    assert client.get(f"/networks/{network.slug}/members").status_code == 302


def test_manager_promotes_and_demotes_with_logged_reasons(app, make_user, make_network,
                                                          as_user, fetch):
    manager, member = make_user(), make_user()
    network = make_network(managers=[manager], members=[member])
    client = as_user(manager)
    assert _act(client, network, member, "promote").status_code == 302
    assert fetch(Membership, network_id=network.id, user_id=member.id).role == "manager"
    assert _act(client, network, member, "demote", "Stepping back").status_code == 302
    assert fetch(Membership, network_id=network.id, user_id=member.id).role == "member"
    with app.app_context():
        log = db.session.execute(select(ModerationAction.action, ModerationAction.reason,
                                        ModerationAction.target_id, ModerationAction.network_id,
                                        ModerationAction.actor_id)
                                 .order_by(ModerationAction.id)).all()
    assert log == [("promote_manager", "Agreed at the meeting", member.id, network.id, manager.id),
                   ("demote_manager", "Stepping back", member.id, network.id, manager.id)]


def test_the_last_manager_is_never_demoted_or_removed(app, make_user, make_network, as_user,
                                                      fetch):
    manager = make_user()
    network = make_network(managers=[manager], members=[make_user()])
    response = _act(as_user(manager), network, manager, "demote")
    assert response.status_code == 400
    assert "is the only manager" in response.get_data(as_text=True)
    admin = as_user(make_user(role="admin"))
    assert _act(admin, network, manager, "remove").status_code == 400
    assert fetch(Membership, network_id=network.id, user_id=manager.id).role == "manager"
    assert fetch(ModerationAction, network_id=network.id) is None


def test_two_managers_demoting_each_other_at_once_leave_one_manager(app, make_user,
                                                                    make_network):
    from network.accounts.models import User
    from network.networks import membership

    first, second = make_user(), make_user()
    network = make_network(managers=[first, second], members=[make_user()])
    pairs = [(first, second), (second, first)]

    def demote(n):
        actor, person = pairs[n]
        membership.change_member(db.session.get(User, actor.id), db.session.get(Network, network.id),
                               person.id, "demote", "Stepping back")

    # Both have read the list of managers before either writes (unless a lock holds one).
    with meeting_at(app, "UPDATE membership"):
        outcomes = race(app, 2, demote)
    # The one who waited is refused: no longer a manager, or demoting the only one.
    assert outcomes in (["Conflict", "done"], ["PermissionDenied", "done"])
    with app.app_context():
        roles = db.session.scalars(select(Membership.role).where(
            Membership.network_id == network.id, Membership.user_id.in_([first.id, second.id])))
        assert sorted(roles) == ["manager", "member"]


def test_a_manager_leaving_while_the_other_is_demoted_leaves_one_manager(app, make_user,
                                                                         make_network):
    from network.accounts.models import User
    from network.networks import membership

    first, second = make_user(), make_user()
    network = make_network(managers=[first, second], members=[make_user()])

    def act(n):
        net = db.session.get(Network, network.id)
        if n == 0:
            membership.leave(db.session.get(User, first.id), net)
        else:
            membership.change_member(db.session.get(User, first.id), net, second.id, "demote",
                                   "Stepping back")

    with meeting_at(app, ("DELETE FROM membership", "UPDATE membership")):
        outcomes = race(app, 2, act)
    assert outcomes.count("done") == 1  # the other is refused: it would leave no manager
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Membership).where(
            Membership.network_id == network.id, Membership.role == "manager")) == 1


def test_manager_removes_a_member_and_the_count_follows(app, make_user, make_network, as_user,
                                                       fetch):
    manager, member = make_user(), make_user()
    network = make_network(managers=[manager], members=[member])
    page = as_user(manager).get(f"/networks/{network.slug}/members/{member.id}")
    assert "Remove from network" in page.get_data(as_text=True)
    assert _act(as_user(manager), network, member, "remove", "Left the trust").status_code == 302
    assert fetch(Membership, network_id=network.id, user_id=member.id) is None
    assert fetch(Network, id=network.id).member_count == 1
    entry = fetch(ModerationAction, action="remove_member")
    assert (entry.reason, entry.network_id, entry.target_id) == ("Left the trust", network.id,
                                                                 member.id)


def test_member_actions_need_a_reason_and_a_known_action(app, make_user, make_network, as_user,
                                                         fetch):
    manager, member = make_user(), make_user()
    network = make_network(managers=[manager], members=[member])
    client = as_user(manager)
    response = _act(client, network, member, "remove", reason="  ")
    assert response.status_code == 400 and "Give a reason" in response.get_data(as_text=True)
    assert _act(client, network, member, "explode").status_code == 400
    assert _act(client, network, member, "demote").status_code == 400  # not a manager
    assert fetch(Network, id=network.id).member_count == 2
    assert fetch(ModerationAction, network_id=network.id) is None


def test_people_outside_the_network_cannot_be_managed(app, make_user, make_network, as_user):
    manager = make_user()
    network = make_network(managers=[manager])
    stranger = make_user()
    assert as_user(manager).get(f"/networks/{network.slug}/members/{stranger.id}").status_code == 404


def test_ordinary_members_and_moderators_cannot_manage_members(app, make_user, make_network,
                                                               as_user, fetch):
    member, other = make_user(), make_user()
    network = make_network(managers=[make_user()], members=[member, other])
    for person in (member, make_user(role="moderator")):
        assert _act(as_user(person), network, other, "remove").status_code == 403
    assert fetch(Network, id=network.id).member_count == 3


def test_archived_network_members_cannot_be_promoted_demoted_or_removed(
        app, make_user, make_network, as_user, fetch):
    from network.core.time import utcnow

    manager, other_manager, member = make_user(), make_user(), make_user()
    network = make_network(managers=[manager, other_manager], members=[member],
                           archived_at=utcnow())
    for person in (manager, make_user(role="admin")):
        client = as_user(person)
        for target, action in ((member, "promote"), (other_manager, "demote"),
                               (member, "remove")):
            response = _act(client, network, target, action)
            assert response.status_code == 403, (person, action)
            assert "archived" in response.get_data(as_text=True)
    assert fetch(Membership, network_id=network.id, user_id=member.id).role == "member"
    assert fetch(Membership, network_id=network.id, user_id=other_manager.id).role == "manager"
    assert fetch(Network, id=network.id).member_count == 3
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ModerationAction)) == 0


def test_archived_network_members_page_hides_the_manage_controls(app, make_user, make_network,
                                                                 as_user):
    from network.core.time import utcnow

    manager, member = make_user(), make_user()
    live = make_network(managers=[manager], members=[member])
    archived = make_network(managers=[manager], members=[member], archived_at=utcnow())
    client = as_user(manager)
    live_page = client.get(f"/networks/{live.slug}/members").get_data(as_text=True)
    assert f"/networks/{live.slug}/members/{member.id}" in live_page  # the control exists
    page = client.get(f"/networks/{archived.slug}/members").get_data(as_text=True)
    assert f"/networks/{archived.slug}/members/{member.id}" not in page
    assert "Manage<span" not in page
    assert "archived" in page and "cannot be promoted" in page
    member_page = client.get(f"/networks/{archived.slug}/members/{member.id}").get_data(
        as_text=True)
    assert "Make a manager" not in member_page and "Remove from network" not in member_page
    assert "archived" in member_page


def test_admin_can_still_unarchive_and_then_manage_members(app, make_user, make_network,
                                                           as_user, fetch):
    from network.core.time import utcnow

    member = make_user()
    network = make_network(members=[member], archived_at=utcnow())
    admin = as_user(make_user(role="admin"))
    assert admin.post(f"/networks/{network.slug}/archive",
                      data={"action": "unarchive", "reason": "Revived"}).status_code == 302
    assert fetch(Network, id=network.id).archived_at is None
    assert _act(admin, network, member, "promote").status_code == 302
    assert fetch(Membership, network_id=network.id, user_id=member.id).role == "manager"
