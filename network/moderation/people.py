"""Site moderators act on people: silence (no posting), suspend (no sign-in), trust
(no pre-moderation). Members and associates only, never staff; every action logged."""
from datetime import timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from network.accounts.models import User
from network.accounts.services import tell_of_sanction
from network.core import policy
from network.core.errors import Conflict, Invalid, PermissionDenied
from network.core.time import until, utcnow
from network.extensions import db
from network.moderation.models import Flag
from network.moderation import registry
from network.moderation.log import clean_reason, record_action


def flags_against(member: User, limit: int = 20):
    """The latest flags on this member's posts, comments and threads."""
    return list(db.session.scalars(
        select(Flag).options(joinedload(Flag.reporter))
        .where(or_(*[and_(Flag.target_type == handler.name,
                          Flag.target_id.in_(select(handler.model.id)
                                             .where(handler.model.author_id == member.id)))
                     for handler in registry.kinds()]))
        .order_by(Flag.created_at.desc(), Flag.id.desc()).limit(limit)))


def _require_sanction(actor, member: User) -> None:
    if not policy.can_sanction_member(actor, member):
        raise PermissionDenied()


def _days(days) -> int:
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise Invalid("Choose how long it lasts.", field="days") from None
    if not 1 <= days <= 36500:
        raise Invalid("Choose how long it lasts.", field="days")
    return days


def silence_member(actor, member: User, days, reason: str) -> None:
    """The member cannot post (anything, anywhere) until the date; they see why,
    and are told (with the end and the reason) by notification."""
    _require_sanction(actor, member)
    reason = clean_reason(reason)
    member.silenced_until = utcnow() + timedelta(days=_days(days))
    member.silenced_reason = reason
    tell_of_sanction(member, f"A moderator has silenced you {until(member.silenced_until)}: "
                             f"you can read but not post or comment. Reason: {reason}")
    record_action(actor, "silence", "user", member.id, reason,
                  detail=f"until {member.silenced_until:%Y-%m-%d %H:%M}")
    db.session.commit()


def unsilence_member(actor, member: User, reason: str) -> None:
    _require_sanction(actor, member)
    reason = clean_reason(reason)
    if not member.is_silenced:
        raise Conflict(f"{member.display_name} is not silenced.", field="reason")
    member.silenced_until = None
    member.silenced_reason = ""
    tell_of_sanction(member, "A moderator has lifted your silence: you can post again.")
    record_action(actor, "unsilence", "user", member.id, reason)
    db.session.commit()


def suspend_member(actor, member: User, days, reason: str) -> None:
    """Site moderators suspend members and associates (never staff); sessions end now."""
    from network.accounts.services import apply_suspension

    _require_sanction(actor, member)
    apply_suspension(actor, member, _days(days), clean_reason(reason))


def reinstate_member(actor, member: User, reason: str) -> None:
    from network.accounts.services import apply_reinstatement

    _require_sanction(actor, member)
    apply_reinstatement(actor, member, clean_reason(reason))


def set_trusted(actor, member: User, trusted: bool, reason: str) -> None:
    """Trusted members post without waiting for approval."""
    _require_sanction(actor, member)
    reason = clean_reason(reason)
    if member.trusted == trusted:
        state = "trusted" if trusted else "not trusted"
        raise Conflict(f"{member.display_name} is already {state}.", field="reason")
    member.trusted = trusted
    record_action(actor, "trust" if trusted else "untrust", "user", member.id, reason)
    db.session.commit()
