"""Signed-in devices: one ``UserSession`` row each (issue 14).

The session id Flask-Login keeps in the signed cookie (and in the remember-me
cookie) is ``"<user id>:<token>"``; the row holds the token's SHA-256. Signing out
deletes this device's row only; "sign out everywhere", a password change and a
deleted account delete them all. Each request's session is looked up once, kept
per content version like the signed-in person's row (``core.cache.remembered``),
so deleting a row, a committed write, is seen at once.

Last seen is written at most every ``LAST_SEEN_EVERY``, through the session's
connection rather than the ORM, so the cache does not see a write and no page
cache version is bumped by someone merely reading pages.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from network.accounts.models import User, UserSession
from network.core.cache import remembered_rows
from network.core.errors import NotFound
from network.core.time import utcnow
from network.extensions import db

LAST_SEEN_EVERY = timedelta(minutes=5)
# A session unused this long has ended (the privacy notice says so; ``flask
# retention`` deletes its row).
IDLE_LIMIT = timedelta(days=30)
USER_AGENT_LENGTH = 255


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, user_agent: str = "") -> str:
    """A new session for ``user`` on this device; returns its id (also set as
    ``user.current_session_id``, which Flask-Login's ``login_user`` stores). Commits."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token), created_at=now,
                               last_seen_at=now,
                               user_agent=(user_agent or "")[:USER_AGENT_LENGTH]))
    db.session.commit()
    user.current_session_id = f"{user.id}:{token}"
    return user.current_session_id


def find_session(session_id: str) -> User | None:
    """The person whose live session a cookie's session id names, or None
    (malformed, ended). One query, none on a reading request while nothing has
    been written (``core.cache.remembered_rows``); a POST always asks the database."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or len(user_id) > 12 or not token or len(token) > 100:
        return None
    token_hash = _hash(token)
    user = remembered_rows(("session_user", token_hash), lambda: db.session.scalar(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == token_hash,
               UserSession.last_seen_at > utcnow() - IDLE_LIMIT)))
    if user is None or user.id != int(user_id):
        return None
    return user


def mark_seen(session_id: str, now: datetime | None = None) -> bool:
    """Write last seen for this session if it is older than ``LAST_SEEN_EVERY``
    (the WHERE makes it so, whatever the caller believed). Runs on the ORM
    session's connection, so the cache sees no write; commits. True when written."""
    now = now or utcnow()
    token_hash = _hash(session_id.partition(":")[2])
    result = db.session.connection().execute(
        update(UserSession).where(UserSession.token_hash == token_hash,
                                  UserSession.last_seen_at <= now - LAST_SEEN_EVERY)
        .values(last_seen_at=now))
    db.session.commit()
    return result.rowcount > 0


def current_row_id(user: User) -> int | None:
    """The id of the session this request came with (one query)."""
    token = (user.current_session_id or "").partition(":")[2]
    if not token:
        return None
    return db.session.scalar(select(UserSession.id).where(UserSession.token_hash == _hash(token)))


def sessions_of(user: User) -> list[UserSession]:
    """This person's live sessions, the most recently seen first (one query)."""
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                   .order_by(UserSession.last_seen_at.desc(),
                                             UserSession.id.desc())))


def end_session(user: User, session_row_id: int) -> None:
    """End one of ``user``'s own sessions; another person's, or one already ended,
    is NotFound (nothing says whether it exists). Commits."""
    ended = db.session.execute(delete(UserSession).where(
        UserSession.id == session_row_id, UserSession.user_id == user.id))
    if ended.rowcount == 0:
        db.session.rollback()
        raise NotFound("No such session.")
    db.session.commit()


def end_this_session(user: User) -> None:
    """Signing out: ends the session this request came with, and no other. Commits."""
    row_id = current_row_id(user)
    if row_id is not None:
        db.session.execute(delete(UserSession).where(UserSession.id == row_id))
        db.session.commit()


def end_all_sessions(user: User) -> None:
    """Every session of ``user`` ends, on every device (the caller commits)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


# ---------------------------------------------------------------- devices, shortly

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("CrOS", "ChromeOS"), ("Windows", "Windows"), ("Mac OS X", "Mac"),
            ("Macintosh", "Mac"), ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """A short name for the device a User-Agent describes ("Firefox on Windows"),
    or "Unknown device"."""
    agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
