"""Events (issue 13): posting with checked input, going and the waiting list, the
last place taken by two at once, and calendar files read back with icalendar."""
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from network.accounts.models import User
from network.core.errors import Invalid, PermissionDenied
from network.core.time import utcnow
from network.events import calendar, services
from network.events.models import Attendance, Event
from network.extensions import db
from network.networks.models import Network
from tests.concurrency import meeting_at, race

SUMMER = datetime(utcnow().year + 1, 7, 1, 18, 30)  # BST: 17:30 UTC


def _input(**overrides):
    fields = dict(title="Summer meet-up", description="Bring **ideas**.",
                  starts_local=SUMMER, ends_local=SUMMER + timedelta(hours=2),
                  place="Leeds Town Hall", capacity=None)
    fields.update(overrides)
    return services.EventInput(**fields)


def _post(app, manager, network, **overrides):
    with app.app_context():
        event = services.post_event(db.session.get(User, manager.id),
                                    db.session.get(Network, network.id), _input(**overrides))
        return event.id


def _with(app, fn, *ids):
    with app.app_context():
        user = db.session.get(User, ids[0]) if ids[0] else None
        return fn(user, db.session.get(Event, ids[1]))


@pytest.fixture
def setting(app, make_user, make_network):
    manager, members = make_user(), [make_user() for _ in range(3)]
    network = make_network(visibility="closed", managers=[manager], members=members)
    return manager, members, network


def test_a_new_event_is_stored_in_utc_with_sanitised_text(app, setting):
    manager, _, network = setting
    event_id = _post(app, manager, network, description="Hi <script>x()</script> **there**")
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.starts_at == datetime(SUMMER.year, 7, 1, 17, 30)
        assert "<script>" not in event.description_html
        assert "<strong>there</strong>" in event.description_html
        assert event.sequence == 0 and event.timezone == "Europe/London"


@pytest.mark.parametrize("overrides, field", [
    (dict(ends_local=SUMMER - timedelta(minutes=1)), "ends_local"),
    (dict(starts_local=datetime(2000, 1, 1, 9), ends_local=datetime(2000, 1, 1, 10)),
     "starts_local"),
    (dict(timezone="Mars/Olympus"), "timezone"),
    (dict(place="", online_url=""), "place"),
    (dict(online_url="javascript:alert(1)"), "online_url"),
    (dict(capacity=0), "capacity"),
])
def test_bad_input_names_the_field_and_stores_nothing(app, setting, overrides, field):
    manager, _, network = setting
    with pytest.raises(Invalid) as error:
        _post(app, manager, network, **overrides)
    assert error.value.field == field
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_only_managers_post(app, setting):
    _, members, network = setting
    with pytest.raises(PermissionDenied):
        _post(app, members[0], network)


def test_full_event_waits_and_a_freed_place_goes_to_the_first_waiting(app, setting, make_user):
    manager, (a, b, c), network = setting
    event_id = _post(app, manager, network, capacity=1)
    assert _with(app, services.attend, a.id, event_id) == "going"
    assert _with(app, services.attend, b.id, event_id) == "waiting"
    assert _with(app, services.attend, c.id, event_id) == "waiting"
    assert _with(app, services.attend, a.id, event_id) == "going"  # twice changes nothing
    with pytest.raises(PermissionDenied):  # not a member
        _with(app, services.attend, make_user().id, event_id)
    with app.app_context():
        promoted = services.leave(db.session.get(User, a.id), db.session.get(Event, event_id))
        assert promoted.user_id == b.id
        states = dict(db.session.execute(db.select(Attendance.user_id, Attendance.state)).all())
        assert states == {b.id: "going", c.id: "waiting"}
        event = db.session.get(Event, event_id)
        assert event.going_count == 1 == services.going_count(event)


def test_capacity_cannot_go_below_those_going(app, setting):
    manager, (a, b, _), network = setting
    event_id = _post(app, manager, network, capacity=3)
    _with(app, services.attend, a.id, event_id)
    _with(app, services.attend, b.id, event_id)
    with app.app_context(), pytest.raises(Invalid) as error:
        services.edit_event(db.session.get(User, manager.id), db.session.get(Event, event_id),
                            _input(capacity=1))
    assert error.value.field == "capacity"
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.capacity == 3 and event.sequence == 0


def test_two_members_after_the_last_place_one_gets_it(app, setting):
    manager, (a, b, _), network = setting
    event_id = _post(app, manager, network, capacity=1)
    people = [a.id, b.id]
    states = []

    def go(n):
        states.append(_with(app, services.attend, people[n], event_id))

    with meeting_at(app, "UPDATE event"):
        assert race(app, 2, go) == ["done", "done"]
    assert sorted(states) == ["going", "waiting"]
    with app.app_context():
        assert db.session.get(Event, event_id).going_count == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)
                                 .where(Attendance.state == "going")) == 1


def test_calendar_file_reads_back_with_utc_time_sequence_and_cancellation(app, setting):
    manager, _, network = setting
    event_id = _post(app, manager, network)
    with app.app_context():
        services.edit_event(db.session.get(User, manager.id), db.session.get(Event, event_id),
                            _input(title="Summer meet-up (moved)",
                                   starts_local=SUMMER + timedelta(hours=1),
                                   ends_local=SUMMER + timedelta(hours=3)))
        ics = calendar.calendar_for([db.session.get(Event, event_id)], "example.org")
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Europe/London"
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["uid"]) == f"event-{event_id}@example.org"
    assert vevent["dtstamp"].dt.tzinfo is not None
    assert vevent["dtstart"].dt.astimezone(timezone.utc) == datetime(
        SUMMER.year, 7, 1, 18, 30, tzinfo=timezone.utc)
    assert vevent["dtstart"].params["TZID"] == "Europe/London"
    assert int(vevent["sequence"]) == 1 and str(vevent["status"]) == "CONFIRMED"

    with app.app_context():
        services.cancel_event(db.session.get(User, manager.id), db.session.get(Event, event_id),
                              "The hall is closed")
        ics = calendar.calendar_for([db.session.get(Event, event_id)], "example.org")
    [vevent] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert int(vevent["sequence"]) == 2 and str(vevent["status"]) == "CANCELLED"
    with pytest.raises(PermissionDenied):  # nobody goes to a cancelled event
        _with(app, services.attend, setting[1][0].id, event_id)
