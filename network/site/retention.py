"""How long things are kept, enforced (issue 14): ``flask retention`` removes what
the privacy notice says has expired. The periods are here once; the notice
(templates/site/privacy.html) is given them, so it cannot say one thing while
the command does another.

- accounts whose address was never confirmed: erased after 30 days, as deleting
  an account does (``accounts.leaving.erase_account``);
- sign-in sessions unused for 30 days (``accounts.sessions.IDLE_LIMIT``; such a
  session already no longer signs anyone in);
- password-reset and confirmation links once expired;
- delivered mail in the outbox after 90 days;
- the moderation log after 2 years.
"""
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import delete, select

from network.accounts.leaving import erase_account
from network.accounts.models import EmailConfirmation, PasswordReset, User, UserSession
from network.accounts.sessions import IDLE_LIMIT
from network.core.errors import Conflict
from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import ModerationAction
from network.notifications.models import OutboxMail

UNCONFIRMED_ACCOUNTS = timedelta(days=30)
IDLE_SESSIONS = IDLE_LIMIT
DELIVERED_MAIL = timedelta(days=90)
MODERATION_LOG = timedelta(days=730)
BATCH = 500


# What the privacy notice states, in days (given to its template).
DAYS = {"unconfirmed_accounts": UNCONFIRMED_ACCOUNTS.days, "idle_sessions": IDLE_SESSIONS.days,
        "delivered_mail": DELIVERED_MAIL.days, "moderation_log": MODERATION_LOG.days}


def _unconfirmed(cutoff: datetime) -> list[int]:
    return list(db.session.scalars(
        select(User.id).where(User.email_confirmed_at.is_(None), User.deleted_at.is_(None),
                              User.created_at < cutoff).order_by(User.id)))


def _erase_unconfirmed(ids: Iterable[int]) -> tuple[int, int]:
    """(erased, kept): an account that alone manages a network is kept (an admin
    made it so) until someone else manages it."""
    erased = kept = 0
    for user_id in ids:
        user = db.session.get(User, user_id)
        try:
            erase_account(user)
            erased += 1
        except Conflict:
            db.session.rollback()
            kept += 1
    return erased, kept


def _delete_in_batches(model, condition) -> int:
    """Delete matching rows a batch at a time (a long log never holds one huge
    transaction); returns how many went."""
    gone = 0
    while True:
        ids = list(db.session.scalars(select(model.id).where(condition).limit(BATCH)))
        if not ids:
            return gone
        db.session.execute(delete(model).where(model.id.in_(ids)))
        db.session.commit()
        gone += len(ids)


def apply_retention(now: datetime | None = None,
                    progress: Callable[[list], Iterable] | None = None) -> dict[str, int]:
    """Remove everything past its period; returns {what: rows removed}. Commits."""
    now = now or utcnow()
    removed: dict[str, int] = {}

    def unconfirmed_accounts() -> int:
        erased, kept = _erase_unconfirmed(_unconfirmed(now - UNCONFIRMED_ACCOUNTS))
        if kept:
            removed["unconfirmed accounts kept (they alone manage a network)"] = kept
        return erased

    steps = [
        ("unconfirmed_accounts", unconfirmed_accounts),
        ("idle_sessions", lambda: _delete_in_batches(
            UserSession, UserSession.last_seen_at < now - IDLE_SESSIONS)),
        ("spent_links", lambda: sum(_delete_in_batches(model, model.expires_at < now)
                                    for model in (PasswordReset, EmailConfirmation))),
        ("delivered_mail", lambda: _delete_in_batches(
            OutboxMail, OutboxMail.sent_at < now - DELIVERED_MAIL)),
        ("moderation_log", lambda: _delete_in_batches(
            ModerationAction, ModerationAction.created_at < now - MODERATION_LOG)),
    ]
    for name, step in (progress or iter)(steps):
        removed[name] = step()
    return removed
