"""Watching levels (issue 12), one table for threads, networks, practices and events.

*watching*: every new post in a thread, every new thread and article in a network;
*normal*: only mentions and replies to you (also what having no row means);
*muted*: nothing at all, not even mentions. Starting or replying to a thread
watches it unless the person has chosen a level for it already; joining a network
sets it to normal; leaving drops the network's row.

The domains ask here (who watches, at what level) and notify through
``notifications.services``; nothing here knows what a thread or network is.
"""
from sqlalchemy import delete, exists, select, update

from network.core.cache import remembered
from network.core.errors import Invalid
from network.extensions import db
from network.notifications.models import WATCH_LEVELS, WATCH_TARGETS, Watch

LEVEL_LABELS = {"watching": "Watching", "normal": "Normal", "muted": "Muted"}
LEVEL_HINTS = {
    "thread": {"watching": "Tell me about every new post.",
               "normal": "Only when someone mentions or replies to me.",
               "muted": "Never tell me anything about this thread."},
    "practice": {"watching": "Tell me about every adoption, stage change and result.",
                 "normal": "Only what concerns me (my adoption, or if I wrote it).",
                 "muted": "Never tell me anything about this practice."},
    "network": {"watching": "Tell me about every new thread and article.",
                "normal": "Only when someone mentions or replies to me.",
                "muted": "Never tell me anything from this network's threads."},
}

# What the page says once a level is chosen.
CHOSEN = {
    "thread": {"watching": "You are watching this thread: we will tell you about every new post.",
               "normal": "We will tell you only when someone mentions or replies to you here.",
               "muted": "This thread is muted: we will tell you nothing about it."},
    "practice": {"watching": "You are watching this practice: we will tell you about every "
                             "adoption, stage change and result.",
                 "normal": "We will tell you only what concerns you about this practice.",
                 "muted": "This practice is muted: we will tell you nothing about it."},
    "network": {"watching": "You are watching this network: we will tell you about every new "
                            "thread and article.",
                "normal": "We will tell you only when someone mentions or replies to you here.",
                "muted": "This network is muted: we will tell you nothing about its threads."},
}


# target_type -> names(viewer, ids) -> {id: (title, url)} for the ones the viewer
# may still read (registered by the domain that owns the kind; the rest stay unnamed).
_NAMES: dict = {}


def register_names(target_type: str, names) -> None:
    _NAMES[target_type] = names


def listing(viewer) -> list[dict]:
    """What the settings page lists: each thing the viewer has a level for, named
    only if they may still read it (one query per kind present)."""
    rows = watched_by(viewer.id)
    by_kind: dict[str, set[int]] = {}
    for row in rows:
        by_kind.setdefault(row.target_type, set()).add(row.target_id)
    named = {kind: (_NAMES[kind](viewer, ids) if kind in _NAMES else {})
             for kind, ids in by_kind.items()}
    return [{"kind": row.target_type, "id": row.target_id, "level": row.level,
             "name": named[row.target_type].get(row.target_id)} for row in rows]


def stop(user_id: int, target_type: str, target_id: int) -> None:
    """From the settings list: back to normal (the row goes). Commits."""
    _check(target_type)
    forget(user_id, target_type, target_id)
    db.session.commit()


def _check(target_type: str, level: str | None = None) -> None:
    if target_type not in WATCH_TARGETS:
        raise Invalid("That cannot be watched.")
    if level is not None and level not in WATCH_LEVELS:
        raise Invalid("Choose watching, normal or muted.", field="level")


def level_of(user, target_type: str, target_id: int) -> str:
    """This person's level for one thing ("normal" when they chose none); kept per
    request and content version like other remembered reads (one query)."""
    if not getattr(user, "id", None):
        return "normal"
    return remembered(("watch", user.id, target_type, target_id), lambda: db.session.scalar(
        select(Watch.level).where(Watch.user_id == user.id, Watch.target_type == target_type,
                                  Watch.target_id == target_id)) or "normal")


def set_level(user_id: int, target_type: str, target_id: int, level: str) -> None:
    """Choose a level (an explicit choice: later replies do not change it). Does
    not commit; the caller holds whatever lock keeps two writes apart."""
    _check(target_type, level)
    changed = db.session.execute(
        update(Watch).where(Watch.user_id == user_id, Watch.target_type == target_type,
                            Watch.target_id == target_id).values(level=level)
        .execution_options(synchronize_session=False))
    if changed.rowcount == 0:
        db.session.add(Watch(user_id=user_id, target_type=target_type, target_id=target_id,
                             level=level))


def watch_unless_chosen(user_id: int, target_type: str, target_id: int, level: str) -> None:
    """Set ``level`` only if the person has no row for this thing yet (replying to a
    thread one muted keeps it muted). Does not commit."""
    _check(target_type, level)
    if not db.session.scalar(select(exists().where(
            Watch.user_id == user_id, Watch.target_type == target_type,
            Watch.target_id == target_id))):
        db.session.add(Watch(user_id=user_id, target_type=target_type, target_id=target_id,
                             level=level))


def forget(user_id: int, target_type: str, target_id: int) -> None:
    """Drop the person's row (leaving a network). Does not commit."""
    db.session.execute(delete(Watch).where(Watch.user_id == user_id,
                                           Watch.target_type == target_type,
                                           Watch.target_id == target_id))


def at_level(target_type: str, target_id: int, level: str = "watching"):
    """SELECT of the user ids at ``level`` for one thing (for ``notify_people``)."""
    return select(Watch.user_id).where(Watch.target_type == target_type,
                                       Watch.target_id == target_id, Watch.level == level)


def muted_by(user_ids, target_type: str, target_id: int) -> set[int]:
    """Of these people, those who muted this thing (one query)."""
    ids = list(user_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Watch.user_id).where(
        Watch.user_id.in_(ids), Watch.target_type == target_type,
        Watch.target_id == target_id, Watch.level == "muted")))


def watched_by(user_id: int) -> list[Watch]:
    """Everything this person has a level for, threads first, newest first (one query)."""
    return list(db.session.scalars(
        select(Watch).where(Watch.user_id == user_id)
        .order_by(Watch.target_type.desc(), Watch.created_at.desc())))
