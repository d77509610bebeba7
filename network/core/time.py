"""Timestamps: stored as naive UTC, shown in UK style ("12 July 2016"); in a given
time zone where it matters (events)."""
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

HOME_ZONE = "Europe/London"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def long_date(value: datetime | None) -> str:
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


def date_time(value: datetime | None) -> str:
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}, {value:%H:%M}"


# A sanction chosen as "indefinitely" is stored as a date a century away; anything
# further than this from now is shown as indefinite, never as "until 2126".
INDEFINITE_AFTER = timedelta(days=50 * 365)


def is_indefinite(value: datetime | None) -> bool:
    return value is not None and value - utcnow() > INDEFINITE_AFTER


def until(value: datetime | None) -> str:
    """'until 12 July 2016, 14:00', or 'indefinitely' for an open-ended sanction."""
    return "indefinitely" if is_indefinite(value) else f"until {date_time(value)}"


@lru_cache(maxsize=1)
def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone the system knows (regions only, not Etc/GMT+5), London first."""
    zones = sorted(z for z in available_timezones()
                   if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/")))
    return [(HOME_ZONE, HOME_ZONE)] + [(z, z.replace("_", " ")) for z in zones
                                       if z != HOME_ZONE]


def known_zone(name: str) -> bool:
    return name in dict(zone_choices())


def in_zone(value: datetime | None, zone: str) -> str:
    """A stored UTC time as the clock shows it in ``zone``:
    'Tuesday 1 July 2027, 18:30 BST'."""
    if not value:
        return ""
    try:
        local = value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError, OverflowError):
        return f"{date_time(value)} UTC"
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"
