"""Verified addresses (issue 14): signing up, confirming, resending, changing one's
e-mail. Mail goes through the outbox in the caller's transaction.

Registration never tells whether an address already has an account: a new address
gets a confirmation link, a registered one gets a note to its owner, and the page
that follows is the same.
"""
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from network.accounts.models import EmailConfirmation, User
from network.accounts.services import (_hash_password, _token_hash, find_live_token,
                                       register_user)
from network.core.errors import Conflict, Invalid
from network.core.time import utcnow
from network.extensions import db
from network.notifications.mail import absolute_url, queue_mail

SITE = "What Works Network"


def on_verified_domain(email: str, domains) -> bool:
    """Is this address on one of ``domains`` ("nhs.net" exactly, "*.gov.uk" any
    domain under gov.uk)? Compared without case; a lookalike (``nhs.net.evil``,
    ``evilnhs.net``) does not match."""
    _local, at, domain = (email or "").strip().lower().rpartition("@")
    if not at or not domain:
        return False
    for wanted in domains:
        if wanted.startswith("*."):
            if domain.endswith(wanted[1:]) and domain != wanted[2:]:
                return True
        elif domain == wanted:
            return True
    return False


def has_verified_organisation_address(user: User) -> bool:
    """A confirmed address on a configured domain (``VERIFIED_DOMAINS``)."""
    return (user.email_confirmed_at is not None and user.deleted_at is None
            and on_verified_domain(user.email, current_app.config.get("VERIFIED_DOMAINS", ())))


def _hours() -> int:
    return current_app.config.get("EMAIL_CONFIRM_HOURS", 48)


def _send_link(user: User, email: str) -> None:
    token = secrets.token_urlsafe(32)
    hours = _hours()
    db.session.add(EmailConfirmation(user_id=user.id, email=email, token_hash=_token_hash(token),
                                     expires_at=utcnow() + timedelta(hours=hours)))
    link = absolute_url(url_for("accounts.confirm_email", token=token))
    queue_mail(email, f"Confirm your email address for {SITE}",
               f"Hello {user.display_name},\n\n"
               f"To confirm that {email} is your address on {SITE} "
               f"(account {user.username}), open this link within {hours} hours:\n\n{link}\n\n"
               "If you did not ask for this, ignore this message.\n")


def _address_taken(email: str, by_other_than: int | None = None) -> User | None:
    owner = db.session.scalar(select(User).where(User.email == email))
    return owner if owner is not None and owner.id != by_other_than else None


def sign_up(*, email: str, password: str, **fields) -> None:
    """Register a new, unconfirmed account and mail its confirmation link; or, when
    the address already has an account, mail its owner that someone tried. Either
    way the caller shows the same page. A taken username is still refused (Conflict):
    usernames are public anyway. Commits."""
    email = email.strip().lower()
    owner = _address_taken(email)
    if owner is None:
        user = register_user(email=email, password=password, confirmed=False, **fields)
        _send_link(user, user.email)
    else:
        _hash_password(password)  # the same work as a new account, so timing tells nothing
        queue_mail(owner.email, f"Someone tried to register on {SITE} with your address",
                   f"Hello {owner.display_name},\n\n"
                   f"Someone tried to register a new account on {SITE} with this address, "
                   f"which already belongs to your account ({owner.username}).\n"
                   "If it was you, sign in instead, or reset your password here:\n\n"
                   f"{absolute_url(url_for('accounts.request_reset'))}\n\n"
                   "If it was not you, you can ignore this message: nothing has changed.\n")
    db.session.commit()


def resend_confirmation(user: User) -> None:
    """A fresh link to the person's current address. Commits."""
    if user.is_confirmed:
        raise Conflict("Your email address is already confirmed.")
    _send_link(user, user.email)
    db.session.commit()


def find_confirmation(token: str) -> EmailConfirmation | None:
    """The unused, unexpired confirmation for this token, or None."""
    return find_live_token(EmailConfirmation, token)


def confirm_email(token: str) -> User:
    """Confirm the address a link was sent to; for a change of address, the new one
    replaces the old (a notice goes to the old). Every link of the person ends. Commits."""
    found = find_confirmation(token)
    if found is None:
        raise Invalid("This confirmation link has expired or has already been used. "
                      "Sign in and ask for a new one.")
    user = found.user
    if found.email != user.email:
        if _address_taken(found.email, by_other_than=user.id):
            raise Conflict("That email address is now used by another account.")
        old = user.email
        user.email = found.email
        queue_mail(old, f"Your email address on {SITE} has changed",
                   f"Hello {user.display_name},\n\nThe email address of your account "
                   f"({user.username}) is now {found.email}.\nIf you did not do this, "
                   "reset your password and contact us at once.\n")
    user.email_confirmed_at = utcnow()
    db.session.execute(update(EmailConfirmation).where(
        EmailConfirmation.user_id == user.id, EmailConfirmation.used_at.is_(None))
        .values(used_at=utcnow()))
    db.session.commit()
    return user


def request_email_change(user: User, password: str, new_email: str) -> None:
    """With the password: mail a confirmation link to the new address and a notice
    to the old one. The address changes only when the link is opened. Commits."""
    if not check_password_hash(user.password_hash, password):
        raise Invalid("Your password is not right.", field="password")
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise Invalid("That is already your email address.", field="email")
    if _address_taken(new_email, by_other_than=user.id):
        raise Conflict("That email address is already used by another account.", field="email")
    _send_link(user, new_email)
    queue_mail(user.email, f"A change of email address was asked for on {SITE}",
               f"Hello {user.display_name},\n\nSomeone signed in to your account "
               f"({user.username}) asked to change its email address to {new_email}.\n"
               "Nothing changes unless the link sent to that address is opened.\n"
               "If it was not you, change your password now.\n")
    db.session.commit()
