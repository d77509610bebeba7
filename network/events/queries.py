"""Reading events: lists (upcoming and past), one event with its network, the
viewer's place, who is going, and the events that go into calendar files.

Every list filters with ``policy.readable_events``, so a closed or private
network's events are absent for those who may not read them; each runs a fixed
number of queries whatever the number of events or people.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from network.accounts.models import User
from network.core import policy, spreadsheet
from network.core.time import utcnow
from network.events.models import Attendance, Event
from network.extensions import db
from network.networks.models import Network

PER_PAGE = 20
CALENDAR_LIMIT = 500  # events in one calendar file, newest first
ATTENDEE_LIMIT = 5_000


def event_with_network(event_id: int) -> Event | None:
    return db.session.scalar(select(Event).options(joinedload(Event.network))
                             .where(Event.id == event_id))


def event_list(viewer, network: Network | None = None, past: bool = False):
    """Statement: events of ``network`` (the caller has checked it may be read) or
    every event the viewer may read; upcoming soonest first (still running counts as
    upcoming), or past latest first."""
    stmt = select(Event).options(joinedload(Event.network))
    if network is not None:
        stmt = stmt.where(Event.network_id == network.id)
    else:
        stmt = stmt.where(policy.readable_events(viewer, Event, Network))
    now = utcnow()
    if past:
        return stmt.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    return stmt.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)


def upcoming(viewer, limit: int = 5) -> list[Event]:
    """The next events the viewer may read, not cancelled (home page): one query."""
    return list(db.session.scalars(event_list(viewer).where(Event.status == "scheduled")
                                   .limit(limit)).unique())


def upcoming_in_network(network: Network, limit: int = 5) -> list[Event]:
    """A network's next events, not cancelled (its home page): one query."""
    return list(db.session.scalars(event_list(None, network).where(Event.status == "scheduled")
                                   .limit(limit)).unique())


def states_of(viewer, event_ids) -> dict[int, str]:
    """{event id: 'going'|'waiting'} for the viewer among ``event_ids`` (one query)."""
    ids = list(event_ids)
    if not ids or not getattr(viewer, "id", None):
        return {}
    return dict(db.session.execute(
        select(Attendance.event_id, Attendance.state)
        .where(Attendance.user_id == viewer.id, Attendance.event_id.in_(ids))).all())


def waiting_count(event: Event) -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.event_id == event.id, Attendance.state == "waiting")) or 0


def waiting_position(attendance: Attendance) -> int:
    """1 for the first on the waiting list."""
    return 1 + (db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.event_id == attendance.event_id, Attendance.state == "waiting",
        (Attendance.created_at < attendance.created_at)
        | ((Attendance.created_at == attendance.created_at)
           & (Attendance.id < attendance.id)))) or 0)


def attendees(event: Event) -> list[tuple[Attendance, User]]:
    """Those going, then the waiting list in its order (one query)."""
    return list(db.session.execute(
        select(Attendance, User).join(User, User.id == Attendance.user_id)
        .where(Attendance.event_id == event.id)
        .order_by((Attendance.state == "waiting"), Attendance.created_at, Attendance.id)
        .limit(ATTENDEE_LIMIT)).all())


def attendee_csv(event: Event) -> str:
    """Who is going and who waits, as CSV whose cells never run as formulas."""
    return spreadsheet.csv_text(
        ["name", "username", "job title", "organisation", "state", "since (UTC)"],
        ((user.display_name, user.username, user.job_title, user.organisation, a.state,
          a.created_at.strftime("%Y-%m-%d %H:%M")) for a, user in attendees(event)))


def network_calendar(network: Network) -> list[Event]:
    """A network's events for its calendar file, cancelled ones included (so
    calendars that imported them follow the cancellation): one query."""
    return list(db.session.scalars(
        select(Event).options(joinedload(Event.network)).where(Event.network_id == network.id)
        .order_by(Event.starts_at.desc()).limit(CALENDAR_LIMIT)).unique())


def own_calendar(user) -> list[Event]:
    """The events the person is going to or waiting for, among those they may still
    read (a network left is left out): one query."""
    return list(db.session.scalars(
        select(Event).options(joinedload(Event.network))
        .join(Attendance, Attendance.event_id == Event.id)
        .where(Attendance.user_id == user.id, policy.readable_events(user, Event, Network))
        .order_by(Event.starts_at.desc()).limit(CALENDAR_LIMIT)).unique())
