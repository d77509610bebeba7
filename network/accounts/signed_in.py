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
# session): on a page served from the row memo the stored last seen can be old.
SEEN_AT = "_seen"


def load_user(session_id: str):
    """Flask-Login's loader: ``"<id>:<session token>"`` of a ``UserSession``,
    refused once that session has ended (signed out there or from another device,
    everywhere, password changed) or the person is suspended or deleted."""
    found = sessions.find_session(session_id)
    if found is None:
        return None
    user = remembered_person(found.user_id)
    if user is None or not user.is_active:
        return None
    user.current_session_id = session_id
    now = utcnow()
    if (sessions.is_due_to_be_seen(found, now)
            and session.get(SEEN_AT, 0) <= now.timestamp() - sessions.LAST_SEEN_EVERY.total_seconds()):
        g.session_to_mark_seen = found.id
    return user


def mark_session_seen(response):
    """Last seen, at most every ``sessions.LAST_SEEN_EVERY``, after the page is
    built and never as a write the page cache notices."""
    session_row_id = g.pop("session_to_mark_seen", None)
    if session_row_id is not None and response.status_code < 500:
        now = utcnow()
        sessions.mark_seen(session_row_id, now)
        if "_user_id" in session:  # not after signing out
            session[SEEN_AT] = int(now.timestamp())
    return response


def init_login(login_manager) -> None:
    from network.core.policy import Anonymous

    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
