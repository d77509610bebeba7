"""Who a request comes from: signing in, Flask-Login's loader, through this device's
``UserSession`` (``accounts.sessions``), and last seen written after the page."""
from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import login_user
from itsdangerous import URLSafeTimedSerializer

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


# A browser that has signed in to an account gets a signed cookie naming it; from
# there the account-wide sign-in limit does not apply (the per address limits still
# do), so guesses spread over many addresses cannot lock the owner out of their own
# device.
KNOWN_DEVICE = "known_device"
KNOWN_DEVICE_DAYS = 180


def device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def remember_device(response, user):
    response.set_cookie(KNOWN_DEVICE, device_signer().dumps(user.id),
                        max_age=KNOWN_DEVICE_DAYS * 86400, path=url_for("accounts.login"),
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax")
    return response


def sign_in(user, remember: bool) -> None:
    """A new session for ``user`` on this device; nothing from before carries over."""
    session.clear()
    sessions.start_session(user, request.user_agent.string)
    login_user(user, remember=remember)
    note_seen_now()


def finish_sign_in(user, remember: bool, next_url: str):
    """Sign in after the password (and the code, when two-factor sign-in is on) and
    go on to ``next_url``, already checked to be on this site."""
    from network.core import policy

    sign_in(user, remember=remember)
    flash(f"Signed in as {user.display_name}.", "success")
    if not user.is_confirmed:
        flash("Confirm your email address to post, comment or join networks: "
              "open the link we sent you.", "info")
    elif policy.staff_waiting_for_two_factor(user):
        flash("Turn on two-factor sign-in (in settings) to act as a moderator or admin.",
              "info")
    return remember_device(redirect(next_url), user)
