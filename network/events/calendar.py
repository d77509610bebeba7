"""Calendar files (RFC 5545) made with ``icalendar``: one event or a network's.

Each VEVENT has a stable UID, DTSTAMP, SEQUENCE (bumped on every change by the
services), times in the event's zone with its VTIMEZONE, and STATUS:CANCELLED
once cancelled, so calendar programs that imported it follow the change.
"""
from datetime import timezone
from zoneinfo import ZoneInfo

import icalendar

from network.core.time import utcnow
from network.events.models import Event

PRODID = "-//What Works Network//Events//EN"


def event_uid(event: Event, host: str) -> str:
    return f"event-{event.id}@{host}"


def _vevent(event: Event, host: str, url: str | None) -> icalendar.Event:
    zone = ZoneInfo(event.timezone)
    item = icalendar.Event()
    item.add("uid", event_uid(event, host))
    item.add("dtstamp", utcnow().replace(tzinfo=timezone.utc))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at.replace(tzinfo=timezone.utc).astimezone(zone))
    item.add("dtend", event.ends_at.replace(tzinfo=timezone.utc).astimezone(zone))
    item.add("last-modified", event.updated_at.replace(tzinfo=timezone.utc))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    description = event.description
    if event.is_cancelled and event.cancel_reason:
        description = f"Cancelled: {event.cancel_reason}\n\n{description}".strip()
    if description:
        item.add("description", description)
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    if url:
        item.add("url", url)
    return item


def calendar_for(events: list[Event], host: str, urls: dict[int, str] | None = None,
                 name: str | None = None) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, host, (urls or {}).get(event.id)))
    cal.add_missing_timezones()
    return cal.to_ical()
