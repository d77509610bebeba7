"""Who a request comes from: Flask-Login's loader, through this device's
``UserSession`` (``accounts.sessions``), and last seen written after the page."""
from flask import g, session

from network.accounts import sessions
from network.accounts.models import User
from network.core.cache import remembered_row
from network.core.time import utcnow


def remembered_person(user_id: int):
    """The person with their region: on a reading request, no query while nothing
    has been written (``core.cache.remembered_row``); a POST always reads the row,
    so it is authorised against the current role, suspension and session token."""
    return remembered_row(User, user_id)


# When this browser's last seen was last written (epoch seconds, in its signed
# session), so a reading request needs no query to know it is not due.
SEEN_AT = "_seen"


def load_user(session_id: str):
    """Flask-Login's loader: ``"<id>:<session token>"`` of a ``UserSession``,
    refused once that session has ended (signed out there or from another device,
    everywhere, password changed) or the person is suspended or deleted."""
    user = sessions.find_session(session_id)
    if user is None or not user.is_active:
        return None
    user.current_session_id = session_id
    due = utcnow().timestamp() - sessions.LAST_SEEN_EVERY.total_seconds()
    if session.get(SEEN_AT, 0) <= due:
        g.session_to_mark_seen = session_id
    return user


def note_seen_now() -> None:
    """At sign-in: the new session's last seen is now."""
    session[SEEN_AT] = int(utcnow().timestamp())


def mark_session_seen(response):
    """Last seen, at most every ``sessions.LAST_SEEN_EVERY`` (this browser's
    session says when it was last written; the UPDATE checks the row too), after
    the page is built and never as a write the page cache notices."""
    session_id = g.pop("session_to_mark_seen", None)
    if session_id is not None and response.status_code < 500:
        sessions.mark_seen(session_id)
        if "_user_id" in session:  # not after signing out
            note_seen_now()
    return response


def init_login(login_manager) -> None:
    from network.core.policy import Anonymous

    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
