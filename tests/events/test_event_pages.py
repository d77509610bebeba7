"""Event pages through the HTTP client (issue 13): posting with checked input, going
and the waiting list, who is told of what, the attendee CSV, calendar files read back
with icalendar, the private calendar address, lists and home pages in a fixed number
of queries."""
import csv
import io
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import func, select

from network.core.time import utcnow
from network.events.models import Attendance, Event
from network.extensions import db
from network.networks.models import Network
from network.notifications.models import Notification
from tests.conftest import TEST_PASSWORD
from tests.events.factories import add_event

NEXT_SUMMER = utcnow().year + 1


def _form(**overrides):
    data = {"title": "Summer meet-up", "description": "Bring **ideas**.",
            "starts_local": f"{NEXT_SUMMER}-07-01T18:30", "ends_local": f"{NEXT_SUMMER}-07-01T20:30",
            "timezone": "Europe/London", "place": "Leeds Town Hall", "online_url": "",
            "capacity": ""}
    data.update(overrides)
    return data


@pytest.fixture
def setting(app, make_user, make_network, login):
    manager = make_user(display_name="Mo Manager")
    members = [make_user(display_name=f"Member {n}") for n in range(3)]
    network = make_network(visibility="closed", managers=[manager], members=members)
    return manager, members, network


def _event(app, network, creator, **fields) -> int:
    with app.app_context():
        event = add_event(db.session.get(Network, network.id), creator, **fields)
        db.session.commit()
        return event.id


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _kinds(app, user) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind)
                                       .where(Notification.user_id == user.id)))


def test_a_manager_posts_an_event_shown_in_london_and_the_members_own_zone(
        app, setting, login, make_user):
    manager, (member, *_), network = setting
    client = login(app.test_client(), manager)
    response = client.post(f"/networks/{network.slug}/events/new", data=_form())
    assert response.status_code == 302
    event_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.starts_at == datetime(NEXT_SUMMER, 7, 1, 17, 30)
        db.session.get(type(member), member.id).timezone = "America/New_York"
        db.session.commit()
    page = login(app.test_client(), member).get(f"/events/{event_id}").get_data(as_text=True)
    assert "1 July %d, 18:30 BST" % NEXT_SUMMER in page
    assert "Where you are:" in page
    assert "13:30 EDT" in page and "<strong>ideas</strong>" in page
    assert "I am going" in page


@pytest.mark.parametrize("overrides, field_id, message", [
    (dict(ends_local=f"{NEXT_SUMMER}-07-01T17:00"), "ends_local", "The end must be after"),
    (dict(starts_local="2020-07-01T18:30", ends_local="2020-07-01T20:30"), "starts_local",
     "A new event starts in the future"),
    (dict(capacity="0"), "capacity", "Give a number from 1"),
    (dict(place="", online_url=""), "place", "Give a place or an online link"),
    (dict(starts_local="9999-12-31T23:59", ends_local="9999-12-31T23:59"), "starts_local",
     "within ten years"),
])
def test_bad_input_says_so_by_the_field_keeps_the_text_and_stores_nothing(
        app, setting, login, overrides, field_id, message):
    manager, _, network = setting
    response = login(app.test_client(), manager).post(
        f"/networks/{network.slug}/events/new",
        data=_form(title="Kept <title>", **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field_id}-error"' in page and message in page
    assert 'value="Kept &lt;title&gt;"' in page
    assert _count(app, Event) == 0


def test_capacity_below_those_going_is_refused_by_the_field(app, setting, login):
    manager, (a, b, _), network = setting
    event_id = _event(app, network, manager, capacity=5, going=[a, b])
    response = login(app.test_client(), manager).post(
        f"/events/{event_id}/edit", data=_form(title="Changed title", capacity="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="capacity-error"' in page
    assert "2 people are already going" in page and 'value="Changed title"' in page
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.title == "Meet-up" and event.capacity == 5 and event.sequence == 0


def test_going_waiting_and_a_freed_place_told_to_the_first_waiting(app, setting, login):
    manager, (a, b, c), network = setting
    event_id = _event(app, network, manager, capacity=1)
    clients = {p.id: login(app.test_client(), p) for p in (a, b, c)}
    for person in (a, b, c):
        assert clients[person.id].post(f"/events/{event_id}/attend").status_code == 302
    assert "You are going." in clients[a.id].get(f"/events/{event_id}").get_data(as_text=True)
    page = clients[c.id].get(f"/events/{event_id}").get_data(as_text=True)
    assert "You are number 2 on the waiting list" in page
    assert clients[a.id].post(f"/events/{event_id}/leave").status_code == 302
    assert _kinds(app, b) == ["event_place"] and _kinds(app, c) == []
    page = clients[b.id].get(f"/events/{event_id}").get_data(as_text=True)
    assert "You are going." in page and "I am not going" in page
    assert "You are number 1 on the waiting list" in clients[c.id].get(
        f"/events/{event_id}").get_data(as_text=True)


def test_a_larger_capacity_gives_places_to_the_first_waiting(app, setting, login):
    manager, (a, b, c), network = setting
    event_id = _event(app, network, manager, capacity=1, going=[a], waiting=[b, c])
    response = login(app.test_client(), manager).post(f"/events/{event_id}/edit",
                                                      data=_form(capacity="2"))
    assert response.status_code == 302
    with app.app_context():
        states = dict(db.session.execute(select(Attendance.user_id, Attendance.state)).all())
        assert states == {a.id: "going", b.id: "going", c.id: "waiting"}
        assert db.session.get(Event, event_id).going_count == 2
    assert _kinds(app, b) == ["event_place"] and _kinds(app, a) == ["event_changed"]
    assert _kinds(app, c) == [] and _kinds(app, manager) == []


def test_those_going_are_told_of_a_cancellation_with_its_reason(app, setting, login):
    manager, (a, b, _), network = setting
    event_id = _event(app, network, manager, going=[a, manager], waiting=[b])
    client = login(app.test_client(), manager)
    response = client.post(f"/events/{event_id}/cancel", data={"reason": ""})
    assert response.status_code == 400 and 'id="reason-error"' in response.get_data(as_text=True)
    assert client.post(f"/events/{event_id}/cancel",
                       data={"reason": "The hall flooded"}).status_code == 302
    assert _kinds(app, a) == ["event_cancelled"] and _kinds(app, manager) == []
    assert _kinds(app, b) == []
    page = login(app.test_client(), a).get(f"/events/{event_id}").get_data(as_text=True)
    assert "This event is cancelled." in page and "The hall flooded" in page
    assert "I am going" not in page
    vevent = icalendar.Calendar.from_ical(
        client.get(f"/events/{event_id}.ics").data).walk("VEVENT")[0]
    assert str(vevent["status"]) == "CANCELLED" and int(vevent["sequence"]) == 1
    assert str(vevent["description"]).startswith("Cancelled: The hall flooded")
    # A cancelled event stays as it was.
    assert client.get(f"/events/{event_id}/edit").status_code == 403


def test_the_attendee_csv_neutralises_formulas(app, setting, login, make_user):
    manager, _, network = setting
    hostile = make_user(display_name="=HYPERLINK(\"http://evil.example\")",
                        organisation="+SUM(A1)")
    with app.app_context():
        from network.networks.models import Membership
        db.session.add(Membership(user_id=hostile.id, network_id=network.id))
        db.session.commit()
    event_id = _event(app, network, manager, going=[hostile])
    response = login(app.test_client(), manager).get(f"/events/{event_id}/attendees?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:2] == ["name", "username"]
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")" and rows[1][3] == "'+SUM(A1)"
    assert rows[1][4] == "going"


def test_an_events_calendar_file_has_the_base_url_host_and_the_utc_time(app, setting, login):
    manager, (member, *_), network = setting
    client = login(app.test_client(), member)
    event_id = _event(app, network, manager)
    with app.app_context():
        starts = db.session.get(Event, event_id).starts_at
    response = client.get(f"/events/{event_id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["uid"]) == f"event-{event_id}@whatworks.test"
    assert vevent["dtstamp"].dt.tzinfo is not None and int(vevent["sequence"]) == 0
    assert vevent["dtstart"].dt.astimezone(timezone.utc) == starts.replace(tzinfo=timezone.utc)
    assert str(vevent["url"]) == f"http://whatworks.test/events/{event_id}"
    network_cal = icalendar.Calendar.from_ical(
        client.get(f"/networks/{network.slug}/events.ics").data)
    assert [str(e["uid"]) for e in network_cal.walk("VEVENT")] == [str(vevent["uid"])]


def test_the_private_calendar_address_follows_going_and_can_be_reset(
        app, setting, login, make_network):
    manager, (member, *_), network = setting
    elsewhere = make_network(visibility="private", members=[member], managers=[manager])
    going = _event(app, network, manager, title="Going to this", going=[member])
    _event(app, network, manager, title="Not going to this")
    left = _event(app, elsewhere, manager, title="In a network left", going=[member])
    client = login(app.test_client(), member)
    page = client.get("/settings/calendar").get_data(as_text=True)
    address = page.split('value="http://whatworks.test', 1)[1].split('"', 1)[0]
    assert address.startswith("/calendar/") and address.endswith(".ics")
    anonymous = app.test_client()
    titles = [str(e["summary"]) for e in
              icalendar.Calendar.from_ical(anonymous.get(address).data).walk("VEVENT")]
    assert sorted(titles) == ["Going to this", "In a network left"]
    assert client.post(f"/networks/{elsewhere.slug}/leave").status_code == 302
    titles = [str(e["summary"]) for e in
              icalendar.Calendar.from_ical(anonymous.get(address).data).walk("VEVENT")]
    assert titles == ["Going to this"] and going and left
    assert client.post("/settings/calendar").status_code == 302
    assert anonymous.get(address).status_code == 404
    new = client.get("/settings/calendar").get_data(as_text=True)
    new_address = new.split('value="http://whatworks.test', 1)[1].split('"', 1)[0]
    assert new_address != address and anonymous.get(new_address).status_code == 200


def test_home_pages_show_upcoming_events_the_viewer_may_read(app, setting, login, make_network,
                                                              make_user):
    manager, (member, *_), closed = setting
    open_network = make_network(visibility="open", managers=[manager])
    _event(app, closed, manager, title="Closed gathering")
    _event(app, open_network, manager, title="Open gathering")
    _event(app, open_network, manager, title="Gone gathering", starts_in=-timedelta(days=3))
    anonymous = app.test_client().get("/").get_data(as_text=True)
    assert "Open gathering" in anonymous and "Closed gathering" not in anonymous
    assert "Gone gathering" not in anonymous
    home = login(app.test_client(), member).get("/").get_data(as_text=True)
    assert "Open gathering" in home and "Closed gathering" in home
    network_home = login(app.test_client(), member).get(f"/networks/{closed.slug}/")
    assert "Closed gathering" in network_home.get_data(as_text=True)
    outsider = login(app.test_client(), make_user()).get(f"/networks/{closed.slug}/")
    assert outsider.status_code == 200 and "Closed gathering" not in outsider.get_data(
        as_text=True)
    listing = app.test_client().get("/events/?when=past").get_data(as_text=True)
    assert "Gone gathering" in listing and "Open gathering" not in listing


def _queries(count_queries, client, url) -> int:
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_event_lists_and_pages_run_a_fixed_number_of_queries(app, setting, login,
                                                              count_queries, make_user):
    manager, members, network = setting
    client = login(app.test_client(), members[0])
    first = _event(app, network, manager, going=members[:1])
    _event(app, network, manager, title="Over", starts_in=-timedelta(days=20))
    urls = ["/events/", f"/networks/{network.slug}/events/", f"/events/{first}",
            f"/networks/{network.slug}/events.ics", f"/networks/{network.slug}/",
            "/events/?when=past"]
    few = [_queries(count_queries, client, url) for url in urls]
    crowd = [make_user() for _ in range(30)]
    with app.app_context():
        from network.networks.models import Membership
        db.session.add_all(Membership(user_id=p.id, network_id=network.id) for p in crowd)
        db.session.commit()
    for n in range(40):
        _event(app, network, manager, title=f"Event {n}", going=crowd[:n % 5],
               starts_in=timedelta(days=n - 10))
    with app.app_context():
        for person in crowd:
            db.session.add(Attendance(event_id=first, user_id=person.id, state="waiting"))
        db.session.commit()
    many = [_queries(count_queries, client, url) for url in urls]
    assert few == many, (few, many)
    # the network's home: + members by sector and the viewer's watch level (issues 12, 14)
    assert max(many) <= 11, many
    manager_client = login(app.test_client(), manager)
    small = _queries(count_queries, manager_client, f"/events/{first}/attendees")
    assert small <= 6


def test_deleting_an_account_gives_its_place_to_the_first_waiting(app, setting, login):
    manager, (a, b, _), network = setting
    event_id = _event(app, network, manager, capacity=1, going=[a], waiting=[b])
    client = login(app.test_client(), a)
    export = client.post("/settings/account/export", data={"export-password": TEST_PASSWORD})
    assert export.status_code == 200 and export.mimetype == "application/zip"
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(export.get_data())) as archive:
        data = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".json"))
    assert '"events"' in data
    response = client.post("/settings/account/delete", data={
        "delete-password": TEST_PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        states = dict(db.session.execute(select(Attendance.user_id, Attendance.state)).all())
        assert states == {b.id: "going"}
        assert db.session.get(Event, event_id).going_count == 1
    assert _kinds(app, b) == ["event_place"]
