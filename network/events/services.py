"""Posting, changing and cancelling events; going, waiting and leaving.

Guarantees: end after start, a new event's start in the future, capacity never
below those going (``Invalid`` with the field); every change bumps SEQUENCE so
calendar programs follow it; a place is taken only by a conditional UPDATE of
``going_count`` (one statement, so two people after the last place cannot both
get it: the loser goes on the waiting list); a freed place goes to the first
waiting, who is told (in the same transaction); those going are told when the
event changes or is cancelled (the one who changed it aside).
"""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func, or_, select, update

from network.core import policy
from network.core.errors import Invalid, NotFound, PermissionDenied
from network.core.text import render_markdown
from network.core.time import utcnow
from network.events.models import Attendance, Event
from network.extensions import db
from network.search import index as search_index
from network.notifications.services import notify, notify_people

DEFAULT_ZONE = "Europe/London"
MAX_TITLE, MAX_DESCRIPTION, MAX_REASON = 200, 20_000, 500
MAX_CAPACITY = 100_000
# Times further than this from now are a typing mistake (and years past 9999
# cannot be converted between zones at all).
MAX_YEARS_AWAY = 10


@dataclass
class EventInput:
    title: str
    description: str
    starts_local: datetime  # naive, in ``timezone``
    ends_local: datetime
    timezone: str = DEFAULT_ZONE
    place: str = ""
    online_url: str = ""
    capacity: int | None = None


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive local time in ``zone`` as a naive UTC time."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("That is not a time zone we know.", field="timezone") from None
    try:
        return local.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise Invalid("Give a date within ten years of today.", field="starts_local") from None


def _near(moment: datetime, field: str) -> None:
    now = utcnow()
    if abs(moment.year - now.year) > MAX_YEARS_AWAY:
        raise Invalid("Give a date within ten years of today.", field=field)


def _checked(data: EventInput) -> tuple[datetime, datetime]:
    if not data.title.strip():
        raise Invalid("Give the event a title.", field="title")
    if not (data.place.strip() or data.online_url.strip()):
        raise Invalid("Give a place or an online link.", field="place")
    if data.online_url.strip() and not data.online_url.strip().startswith(("https://", "http://")):
        raise Invalid("An online link starts with https://.", field="online_url")
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        raise Invalid(f"Capacity is between 1 and {MAX_CAPACITY:,}, or leave it empty for "
                      "no limit.", field="capacity")
    _near(data.starts_local, "starts_local")
    _near(data.ends_local, "ends_local")
    starts, ends = to_utc(data.starts_local, data.timezone), to_utc(data.ends_local, data.timezone)
    if ends <= starts:
        raise Invalid("The end must be after the start.", field="ends_local")
    return starts, ends


def _fill(event: Event, data: EventInput, starts: datetime, ends: datetime) -> None:
    event.title = data.title.strip()
    event.description = data.description
    event.description_html = render_markdown(data.description)
    event.starts_at, event.ends_at, event.timezone = starts, ends, data.timezone
    event.place, event.online_url = data.place.strip(), data.online_url.strip()
    event.capacity = data.capacity
    event.updated_at = utcnow()


def post_event(user, network, data: EventInput) -> Event:
    if not policy.can_post_event(user, network):
        raise PermissionDenied("Only the network's managers post events.")
    starts, ends = _checked(data)
    if starts <= utcnow():
        raise Invalid("A new event starts in the future.", field="starts_local")
    event = Event(network_id=network.id, network=network, created_by_id=user.id, sequence=0,
                  going_count=0, status="scheduled")
    _fill(event, data, starts, ends)
    db.session.add(event)
    search_index.index_event(event)
    db.session.commit()
    return event


def edit_event(user, event: Event, data: EventInput) -> Event:
    if not policy.can_edit_event(user, event):
        raise PermissionDenied("Only the network's managers change events.")
    starts, ends = _checked(data)
    # Locks the row (PostgreSQL) so nobody takes a place while the capacity changes.
    going = db.session.scalar(select(Event.going_count).where(Event.id == event.id)
                              .with_for_update())
    if data.capacity is not None and data.capacity < going:
        db.session.rollback()
        raise Invalid(f"{going} people are already going: capacity cannot be below that.",
                      field="capacity")
    _fill(event, data, starts, ends)
    event.sequence = Event.sequence + 1
    db.session.flush()
    _tell_those_going(event, user, "event_changed",
                      f"{event.title} has changed: check the date, time and place.")
    free = None if data.capacity is None else data.capacity - going
    for promoted in _promote_waiting(event.id, free):
        _tell_of_place(promoted, event)
    search_index.index_event(event)
    db.session.commit()
    return event


def cancel_event(user, event: Event, reason: str) -> Event:
    """Cancel with a reason (shown on the event; those going are told); the calendar
    files then carry it as cancelled. A cancelled event cannot change again."""
    if not policy.can_edit_event(user, event):
        raise PermissionDenied("Only the network's managers cancel events.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why the event is cancelled: those going are told.", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(f"Use {MAX_REASON} characters or fewer.", field="reason")
    event.status = "cancelled"
    event.cancel_reason = reason
    event.sequence = Event.sequence + 1
    event.updated_at = utcnow()
    _tell_those_going(event, user, "event_cancelled", f"{event.title} is cancelled.")
    search_index.index_event(event)
    db.session.commit()
    return event


def _event_url(event_id: int) -> str:
    return f"/events/{event_id}"


def _tell_those_going(event: Event, actor, kind: str, text: str) -> None:
    """Everyone going (the actor aside), in the caller's transaction (two statements)."""
    notify_people(select(Attendance.user_id).where(Attendance.event_id == event.id,
                                                   Attendance.state == "going",
                                                   Attendance.user_id != actor.id),
                  kind, text, _event_url(event.id), network_id=event.network_id)


def _tell_of_place(attendance: Attendance, event: Event) -> None:
    notify(attendance.user_id, "event_place",
           f"A place came free at {event.title}: you are going now.",
           _event_url(event.id), network_id=event.network_id)


def _take_place(event_id: int) -> bool:
    """One statement: a place is taken only if there is one."""
    result = db.session.execute(
        update(Event).where(Event.id == event_id, Event.status == "scheduled",
                            or_(Event.capacity.is_(None), Event.going_count < Event.capacity))
        .values(going_count=Event.going_count + 1))
    return result.rowcount == 1


def attendance_of(user, event: Event) -> Attendance | None:
    if not getattr(user, "id", None):
        return None
    return db.session.scalar(select(Attendance).where(Attendance.event_id == event.id,
                                                      Attendance.user_id == user.id))


def attend(user, event: Event) -> str:
    """Going if there is a place, otherwise waiting; returns the state."""
    if not policy.can_attend_event(user, event):
        raise PermissionDenied("Only members of the network can go to its events.")
    existing = attendance_of(user, event)
    if existing is not None:
        return existing.state
    state = "going" if _take_place(event.id) else "waiting"
    db.session.add(Attendance(event_id=event.id, user_id=user.id, state=state, created_at=utcnow()))
    db.session.commit()
    return state


def leave(user, event: Event) -> Attendance | None:
    """Leave the event or its waiting list; a freed place goes to the first waiting,
    whose attendance is returned (the seam for telling them)."""
    existing = attendance_of(user, event)
    if existing is None:
        raise NotFound("You were not going.")
    promoted = _give_up(existing, event)
    db.session.commit()
    return promoted


def _give_up(attendance: Attendance, event: Event) -> Attendance | None:
    """Take ``attendance`` away (no commit); a freed place goes to the first
    waiting, who is told."""
    db.session.execute(delete(Attendance).where(Attendance.id == attendance.id))
    promoted = None
    if attendance.state == "going":
        db.session.execute(update(Event).where(Event.id == event.id)
                           .values(going_count=Event.going_count - 1))
        promoted = _freed_place_for(event.id)
    if promoted is not None:
        _tell_of_place(promoted, event)
    return promoted


def give_up_places(user, remove_text: bool = False) -> None:
    """Deleting an account: every place at an event still to come is given up (each
    to the first waiting), in the caller's transaction; past ones stay as a record."""
    rows = db.session.execute(
        select(Attendance, Event).join(Event, Event.id == Attendance.event_id)
        .where(Attendance.user_id == user.id, Event.ends_at >= utcnow())).all()
    for attendance, event in rows:
        _give_up(attendance, event)


def _freed_place_for(event_id: int) -> Attendance | None:
    first = db.session.scalar(
        select(Attendance).where(Attendance.event_id == event_id, Attendance.state == "waiting")
        .order_by(Attendance.created_at, Attendance.id).limit(1).with_for_update())
    if first is None or not _take_place(event_id):
        return None
    first.state = "going"
    return first


def _promote_waiting(event_id: int, free: int | None) -> list[Attendance]:
    """The first ``free`` people waiting (everyone, for no limit) take the places a
    larger capacity made, in one UPDATE of the count (the event row is locked by
    ``edit_event``)."""
    if free is not None and free <= 0:
        return []
    stmt = (select(Attendance).where(Attendance.event_id == event_id,
                                     Attendance.state == "waiting")
            .order_by(Attendance.created_at, Attendance.id))
    promoted = list(db.session.scalars(stmt.limit(free) if free is not None else stmt))
    if promoted:
        db.session.execute(update(Attendance)
                           .where(Attendance.id.in_([a.id for a in promoted]))
                           .values(state="going").execution_options(synchronize_session=False))
        db.session.execute(update(Event).where(Event.id == event_id)
                           .values(going_count=Event.going_count + len(promoted)))
        for attendance in promoted:
            attendance.state = "going"
    return promoted


def going_count(event: Event) -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.event_id == event.id, Attendance.state == "going"))
