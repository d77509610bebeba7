"""Timestamps: stored as naive UTC, shown in UK style ("12 July 2016")."""
from datetime import datetime, timedelta, timezone


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
