"""``flask recount`` also recounts each person's unread notifications (the header's
number, ``User.unread_notifications``) as their list shows them, reports the drift and
repairs it, in one statement however many people there are (issue 12)."""
from sqlalchemy import delete, select, update

from network.accounts.models import User
from network.commands import recount
from network.extensions import db
from network.networks.models import Membership
from network.notifications.models import Notification
from network.notifications.services import notify, unread_count

DRIFT = "user.unread_notifications"


def _tell(app, person, times=1, kind="moderation", network_id=None):
    with app.app_context():
        for n in range(times):
            notify(person.id, kind, f"Notice {n}", network_id=network_id)
        db.session.commit()


def _stored(app, person):
    with app.app_context():
        return db.session.scalar(select(User.unread_notifications).where(User.id == person.id))


def _set_stored(app, person, count):
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id)
                           .values(unread_notifications=count))
        db.session.commit()


def test_counts_kept_by_the_services_show_no_drift(app, make_user):
    first, second = make_user(), make_user()
    _tell(app, first, times=3)
    _tell(app, second, times=1)
    with app.app_context():
        assert recount()[DRIFT] == 0
    assert (_stored(app, first), _stored(app, second)) == (3, 1)


def test_recount_reports_and_repairs_each_drifted_unread_count(app, make_user):
    drifted_up, drifted_down, right = make_user(), make_user(), make_user()
    _tell(app, drifted_up, times=2)
    _tell(app, drifted_down, times=4)
    _tell(app, right, times=1)
    _set_stored(app, drifted_up, 9)
    _set_stored(app, drifted_down, 0)
    with app.app_context():
        assert recount()[DRIFT] == 2
        assert recount()[DRIFT] == 0
    assert [_stored(app, p) for p in (drifted_up, drifted_down, right)] == [2, 4, 1]


def test_read_and_removed_notifications_are_not_counted(app, make_user):
    person = make_user()
    _tell(app, person, times=3)
    with app.app_context():
        first, second = db.session.scalars(select(Notification.id).where(
            Notification.user_id == person.id).order_by(Notification.id).limit(2)).all()
        db.session.execute(update(Notification).where(Notification.id == first)
                           .values(read_at=Notification.created_at))
        db.session.execute(delete(Notification).where(Notification.id == second))
        db.session.commit()
        assert recount()[DRIFT] == 1
    assert _stored(app, person) == 1


def test_the_count_agrees_with_the_list_after_leaving_a_closed_network(app, make_user,
                                                                      make_network):
    """Notices of a closed network's threads are no longer shown to someone who left
    it, so they are not counted either (as ``correct_unread`` does on the list)."""
    person, stranger = make_user(), make_user()
    closed = make_network(visibility="closed", members=[person])
    _tell(app, person, kind="new_thread", network_id=closed.id)
    _tell(app, person, times=1)
    _tell(app, stranger, kind="reply", network_id=closed.id)  # never a member
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == person.id))
        db.session.commit()
        assert recount()[DRIFT] == 2
    assert (_stored(app, person), _stored(app, stranger)) == (1, 0)
    with app.app_context():  # what the list would say
        assert [unread_count(db.session.get(User, who.id)) for who in (person, stranger)] == [1, 0]


def test_only_members_count_notices_of_a_private_network(app, make_user, make_network):
    member, outsider = make_user(), make_user()
    private = make_network(visibility="private", members=[member])
    for person in (member, outsider):
        _tell(app, person, kind="moderation", network_id=private.id)  # not a content kind
    with app.app_context():
        assert recount()[DRIFT] == 1
    assert (_stored(app, member), _stored(app, outsider)) == (1, 0)


def test_the_recount_is_one_statement_however_many_people(app, make_user, count_queries):
    def statements_for_unread():
        with count_queries() as queries, app.app_context():
            recount()
        return [q for q in queries if "unread_notifications" in q]

    make_user()
    few = statements_for_unread()
    for _ in range(5):
        _tell(app, make_user(), times=2)
    assert len(statements_for_unread()) == len(few) == 1


def test_the_command_names_the_unread_counts(app, make_user):
    person = make_user()
    _tell(app, person, times=2)
    _set_stored(app, person, 5)
    result = app.test_cli_runner().invoke(args=["recount"])
    assert result.exit_code == 0, result.output
    assert "user.unread_notifications: 1 row corrected" in result.output
    assert "Drift: 1 rows were wrong." in result.output


def test_the_recount_agrees_with_the_list_for_every_persona_and_network(app, make_user,
                                                                        make_network,
                                                                        monkeypatch):
    """``visible_to_owner`` is ``_visible`` in SQL: for each persona, a content and a
    non-content notice from each kind of network, the recount stores what the list
    counts (staff acting as such only with two-factor sign-in on)."""
    from network.core.time import utcnow

    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR", True)
    networks = {v: make_network(visibility=v) for v in ("open", "closed", "private")}
    member = make_user()
    with app.app_context():
        db.session.add(Membership(user_id=member.id, network_id=networks["private"].id,
                                  role="member"))
        db.session.commit()
    personas = [member, make_user(), make_user(role="moderator"),
                make_user(role="admin", two_factor_at=utcnow())]
    for person in personas:
        for network in networks.values():
            for kind in ("reply", "moderation"):
                _tell(app, person, kind=kind, network_id=network.id)
        _set_stored(app, person, 99)
    with app.app_context():
        recount()
        listed = [unread_count(db.session.get(User, p.id)) for p in personas]
    assert [_stored(app, p) for p in personas] == listed
    assert listed == [5, 3, 3, 6]  # private member; outsider; staff without two-factor; staff
