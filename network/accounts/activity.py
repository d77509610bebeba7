"""A member's recent public activity, as the viewer may see it (the profile page).

Accounts know nothing of what people write: each kind of writing (articles,
comments, posts, and later practices) is a source registered by the level that
knows every domain (network/site/contents.py, called by create_app). A source
gives the member's latest items the viewer may see; this module merges them.

Sources must leave out content in networks the viewer cannot read, and content
in private networks altogether: a profile must not reveal that a private
network exists.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import Flask, current_app

_KEY = "profile_activity"


@dataclass
class Activity:
    kind: str
    title: str
    url: str
    when: datetime


def register_source(app: Flask, source: Callable[..., list[Activity]]) -> None:
    """``source(member, viewer, limit)`` -> up to ``limit`` of the member's items, newest first."""
    app.extensions.setdefault(_KEY, []).append(source)


def recent_activity(member, viewer, limit: int = 10) -> list[Activity]:
    """Up to ``limit`` items, newest first, one query per source whatever the history."""
    items = [item for source in current_app.extensions.get(_KEY, [])
             for item in source(member, viewer, limit)]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]
