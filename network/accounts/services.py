"""Accounts: registration, sign-in checks, passwords, profiles, roles and sanctions."""
import hashlib
import secrets
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, url_for
from sqlalchemy import func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from network.accounts.models import ROLES, SECTORS, PasswordReset, User
from network.accounts.sessions import end_all_sessions
from network.core.cache import remembered
from network.core.converters import parse_id
from network.core.query import like_pattern
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.text import render_markdown
from network.core.time import known_zone, until, utcnow
from network.extensions import db
from network.moderation.log import record_action
from network.networks.taxonomy import Region, Topic
from network.notifications.mail import absolute_url, queue_mail
from network.search import index as search_index

_DUMMY_HASH: dict[str, str] = {}


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class Reference(NamedTuple):
    """A row of reference data (a region or a topic), as plain values."""
    id: int
    slug: str
    name: str


def regions() -> list[Reference]:
    """Every region in order. Read on many pages and almost never changed, so kept
    per content version (``core.cache.remembered``) as plain values."""
    return remembered(("regions",), lambda: [
        Reference(*row) for row in db.session.execute(
            select(Region.id, Region.slug, Region.name).order_by(Region.position))])


def topics() -> list[Reference]:
    """Every topic by name, kept like ``regions``."""
    return remembered(("topics",), lambda: [
        Reference(*row) for row in db.session.execute(
            select(Topic.id, Topic.slug, Topic.name).order_by(Topic.name))])


def region_choices() -> list[tuple[str, str]]:
    return [("", "Choose a region")] + [(str(r.id), r.name) for r in regions()]


def _region_id(value) -> int | None:
    if value in (None, ""):
        return None
    region_id = parse_id(value)
    if region_id is None or db.session.get(Region, region_id) is None:
        raise Invalid("Choose a region from the list.", field="region")
    return region_id


def _check_sector(sector: str) -> str:
    if sector not in SECTORS:
        raise Invalid("Choose a sector from the list.", field="sector")
    return sector


def get_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def get_by_login(login: str) -> User | None:
    login = (login or "").strip().lower()
    return db.session.scalar(
        select(User).where(or_(func.lower(User.username) == login, User.email == login)))


def register_user(*, username: str, email: str, password: str, display_name: str,
                  job_title: str = "", organisation: str = "", sector: str = "other",
                  region_id=None, role: str = "member", accepted_terms: bool = True,
                  confirmed: bool = True) -> User:
    """Create an account. Raises Conflict (with the field) for a taken username or email.
    ``confirmed``: the address is known to be the person's (made by an admin or the
    demo); registration through the site passes False (``confirmation.sign_up``)."""
    email = email.strip().lower()
    if get_by_username(username) is not None:
        raise Conflict("That username is taken. Choose another.", field="username")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with that email address already exists. "
                       "Sign in, or reset your password.", field="email")
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}.", field="role")
    user = User(
        username=username, email=email, password_hash=_hash_password(password),
        display_name=display_name.strip(), job_title=job_title or "",
        organisation=organisation or "", sector=_check_sector(sector),
        region_id=_region_id(region_id), role=role,
        accepted_terms_at=utcnow() if accepted_terms else None,
        email_confirmed_at=utcnow() if confirmed else None,
        trusted=role != "member",
    )
    db.session.add(user)
    search_index.index_member(user)
    db.session.commit()
    return user


def authenticate(login: str, password: str) -> User | None:
    """The user if the password matches, else None. Unknown accounts cost the same
    hash check, so timing does not reveal which usernames exist."""
    user = get_by_login(login)
    # End the transaction before the slow hash check: a POST's transaction on SQLite
    # holds the write lock (BEGIN IMMEDIATE), and every other write would queue
    # behind the hashing (bench/soak.py found "database is locked" at sign-in).
    db.session.commit()
    if user is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = _hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH[method], password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def sign_out_everywhere(user: User) -> None:
    """Signing out ends every session of this person, on every device. Commits."""
    end_all_sessions(user)
    db.session.commit()


def _set_password(user: User, password: str) -> None:
    """The one way a password changes: every other session and every outstanding
    reset link of the person ends with the old password (a link mailed before the
    change, read later by someone else, must not undo it)."""
    user.password_hash = _hash_password(password)
    end_all_sessions(user)
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)).values(used_at=utcnow()))


def change_password(user: User, current: str, new: str) -> None:
    """Change a password knowing the current one; see ``_set_password``."""
    if not check_password_hash(user.password_hash, current):
        raise Invalid("Your current password is not right.", field="current")
    _set_password(user, new)
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str) -> None:
    """Queue a reset mail if the address has an account; say nothing either way."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        return
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(PasswordReset(user_id=user.id, token_hash=_token_hash(token),
                                 expires_at=utcnow() + timedelta(hours=hours)))
    link = absolute_url(url_for("accounts.reset_password", token=token))
    queue_mail(user.email, "Reset your What Works Network password",
               f"Hello {user.display_name},\n\n"
               f"Someone asked to reset the password for your account ({user.username}).\n"
               f"To choose a new password, open this link within {hours} hours:\n\n{link}\n\n"
               "If it was not you, ignore this message: your password has not changed.\n")
    db.session.commit()


def find_live_token(model, token: str):
    """The unused, unexpired row of ``model`` (a one-time link: PasswordReset,
    EmailConfirmation) for this token, or None."""
    if not token or len(token) > 200:
        return None
    found = db.session.scalar(select(model).where(model.token_hash == _token_hash(token)))
    if found is None or found.used_at is not None or found.expires_at < utcnow():
        return None
    return found


def find_reset(token: str) -> PasswordReset | None:
    """The unused, unexpired reset for this token, or None."""
    return find_live_token(PasswordReset, token)


def reset_password(token: str, password: str) -> User:
    """Set a new password with a one-time token; every older session and every
    other reset link ends."""
    reset = find_reset(token)
    if reset is None:
        raise Invalid("This reset link has expired or has already been used. "
                      "Ask for a new one.")
    user = reset.user
    _set_password(user, password)
    db.session.commit()
    return user


def update_profile(user: User, *, display_name: str, job_title: str, organisation: str,
                   sector: str, region_id, bio: str,
                   hidden_from_directory: bool | None = None,
                   timezone: str | None = None) -> None:
    """Save profile fields; the bio's HTML is rendered here, once."""
    if hidden_from_directory is not None:
        user.hidden_from_directory = bool(hidden_from_directory)
    if timezone is not None:
        if timezone and not known_zone(timezone):
            raise Invalid("Choose a time zone from the list.", field="timezone")
        user.timezone = timezone
    user.display_name = display_name.strip()
    user.job_title = job_title or ""
    user.organisation = organisation or ""
    user.sector = _check_sector(sector)
    user.region_id = _region_id(region_id)
    user.bio = bio or ""
    user.bio_html = render_markdown(user.bio)
    search_index.index_member(user)
    db.session.commit()


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def _require_admin(actor: User, target: User) -> None:
    from network.core.policy import can_manage_users

    if not can_manage_users(actor):
        raise PermissionDenied()
    if actor.id == target.id:
        raise Invalid("You cannot change your own role or status here.")


def change_role(actor: User, user: User, role: str, reason: str) -> None:
    """Set a person's site role; recorded in the moderation log."""
    _require_admin(actor, user)
    if role not in ROLES:
        raise Invalid("Choose a role from the list.", field="role")
    if role == user.role:
        raise Conflict(f"{user.display_name} is already {role}.", field="role")
    old = user.role
    user.role = role
    if role != "member":
        user.trusted = True
    if role in ("moderator", "admin"):
        from network.accounts.muting import forget_mutes_of

        forget_mutes_of(user.id)  # staff must stay reachable: nobody may mute them
    record_action(actor, "change_role", "user", user.id, reason, detail=f"{old} -> {role}")
    db.session.commit()


def suspend_user(actor: User, user: User, days: int, reason: str) -> None:
    """Suspend sign-in until a date; every session of the person ends now."""
    _require_admin(actor, user)
    apply_suspension(actor, user, days, reason)


def tell_of_sanction(user: User, text: str) -> None:
    """Notify a person of a sanction on them or its lifting (kind "moderation",
    mailed at once by default), in the caller's transaction."""
    from network.notifications.services import notify

    notify(user.id, "moderation", text)


def apply_suspension(actor: User, user: User, days: int, reason: str) -> None:
    """The suspension itself, for callers that have checked who may do it
    (admins here, site moderators in network.moderation.services). The person is
    told, with its end and the reason (by mail: they can no longer sign in)."""
    if not 1 <= days <= 36500:
        raise Invalid("Choose how long the suspension lasts.", field="days")
    user.suspended_until = utcnow() + timedelta(days=days)
    user.suspended_reason = reason
    search_index.index_member(user)
    end_all_sessions(user)
    tell_of_sanction(user, f"Your account is suspended {until(user.suspended_until)}: "
                           f"you cannot sign in. Reason: {reason}")
    record_action(actor, "suspend", "user", user.id, reason,
                  detail=f"until {user.suspended_until:%Y-%m-%d %H:%M}")
    db.session.commit()


def reinstate_user(actor: User, user: User, reason: str) -> None:
    _require_admin(actor, user)
    apply_reinstatement(actor, user, reason)


def apply_reinstatement(actor: User, user: User, reason: str) -> None:
    """Lift a suspension, for callers that have checked who may do it."""
    if not user.is_suspended:
        raise Conflict(f"{user.display_name} is not suspended.")
    user.suspended_until = None
    user.suspended_reason = ""
    search_index.index_member(user)
    tell_of_sanction(user, "Your suspension has been lifted: you can sign in again.")
    record_action(actor, "reinstate", "user", user.id, reason)
    db.session.commit()


def search_users(q: str):
    """Statement for the admin list, filtered by name, username, email or organisation."""
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if q and q.strip():
        like = like_pattern(q)
        stmt = stmt.where(or_(func.lower(User.username).like(like, escape="\\"),
                              func.lower(User.display_name).like(like, escape="\\"),
                              User.email.like(like, escape="\\"),
                              func.lower(User.organisation).like(like, escape="\\")))
    return stmt


