"""Signed one-click unsubscribe tokens (RFC 8058).

A token names one person and one group of notification mail, and is signed with
the app's secret (salted, so no other signed value in the app passes for one).
It is the POST's only credential: it can do one thing, turn that group's mail
off for that person (their in-app notifications stay). Replaying it changes
nothing more; a tampered or expired one changes nothing at all.
"""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "network.notifications.unsubscribe"
MAX_AGE = 90 * 24 * 3600  # a mail is acted on within three months, or not at all


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, group: str) -> str:
    return _serializer().dumps([user_id, group])


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, group), or None for a token that is tampered, expired or malformed."""
    from network.notifications.kinds import GROUPS

    try:
        value = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or value[1] not in GROUPS):
        return None
    return value[0], value[1]
