"""Timestamps: stored as naive UTC, shown in UK style ("12 July 2016")."""
from datetime import datetime, timezone


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
