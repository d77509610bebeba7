"""A person's private calendar address: /calendar/<token>.ics.

The token is the person's id and their key's generation, signed with the app's
secret (itsdangerous), so it is never stored and the settings page can show it
again; resetting moves the generation on, and every older address stops working
(404). A deleted or suspended person's address answers 404 too.
"""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from network.accounts.models import User
from network.core.converters import parse_id
from network.core.time import utcnow
from network.events.models import CalendarKey
from network.extensions import db

_SALT = "personal-calendar"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _generation(user_id: int) -> int:
    return db.session.scalar(select(CalendarKey.generation)
                             .where(CalendarKey.user_id == user_id)) or 0


def calendar_token(user) -> str:
    return _serializer().dumps([user.id, _generation(user.id)])


def person_for(token: str) -> User | None:
    """The live person whose current address this is, or None."""
    if len(token) > 200:
        return None
    try:
        user_id, generation = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user_id = parse_id(user_id)
    if user_id is None or not isinstance(generation, int) or generation != _generation(user_id):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or user.is_suspended:
        return None
    return user


def reset_calendar_token(user) -> str:
    """A new address; the old one stops working. One commit."""
    done = db.session.execute(update(CalendarKey).where(CalendarKey.user_id == user.id)
                              .values(generation=CalendarKey.generation + 1, reset_at=utcnow()))
    if done.rowcount == 0:
        db.session.add(CalendarKey(user_id=user.id, generation=1, reset_at=utcnow()))
    db.session.commit()
    return calendar_token(user)
