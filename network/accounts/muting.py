"""Muting a member (issue 14): a mute, not a block and not a safety guarantee.

For the muter, the muted person's posts and comments are collapsed on thread and
article pages, and so is what they wrote in search results, in the latest lists
of the home and network pages and in their profile's activity (whom one muted is
part of those shared fragments' keys: only people who muted the same people
share a copy). Nothing the muted person does tells the muter anything (the
notification fan-outs leave muters out in their SQL, ``muters_of``). The muted
person is not told and can still read and answer what the muter writes; abuse is
for flags and moderators. Moderators and admins cannot be muted (they must stay
reachable), and becoming one ends the mutes of one (``accounts.services``).

When ``ALERT_AT`` different people have muted the same person within
``ALERT_DAYS``, site moderators are told, once per such window (simultaneous
mutes too: a lock on the muted person's row): the moderation log remembers that
they were.
"""
from datetime import timedelta

from flask import g, has_app_context, has_request_context
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from network.accounts.models import MemberMute, User
from network.core import policy
from network.core.cache import remembered, writes_only
from network.core.errors import PermissionDenied
from network.core.time import utcnow
from network.extensions import db
from network.moderation.log import record_action
from network.moderation.models import ModerationAction

ALERT_AT = 3
ALERT_DAYS = 30
ALERT_ACTION = "mutes_alert"
_PER_REQUEST = "muted_ids"  # in flask.g: {viewer id: whom they muted}
STAFF_REFUSED = ("Moderators and administrators cannot be muted: everyone must be able to "
                 "hear from them. If one of them is treating you badly, contact the site's "
                 "administrators.")


def muters_of(actor_id: int):
    """SELECT of the people who muted ``actor_id`` (for ``NOT IN`` in a fan-out)."""
    return select(MemberMute.muter_id).where(MemberMute.muted_id == actor_id)


def muted_ids(viewer) -> frozenset[int]:
    """Whom the viewer muted: at most one query per request however many lists on
    the page ask (none for anonymous visitors), kept like other remembered reads
    until the next write (a mute or unmute is one)."""
    if not policy.is_signed_in(viewer):
        return frozenset()
    per_request = g.setdefault(_PER_REQUEST, {}) if has_request_context() else {}
    found = per_request.get(viewer.id)
    if found is None:
        found = per_request[viewer.id] = remembered(
            ("muted", viewer.id), lambda: frozenset(db.session.scalars(
                select(MemberMute.muted_id).where(MemberMute.muter_id == viewer.id))))
    return found


def forget_muted_ids() -> None:
    """Start each request (and follow each mute or unmute) without the previous
    answers of ``muted_ids`` (an app context, and so ``g``, may outlive a request)."""
    if has_app_context():
        g.pop(_PER_REQUEST, None)


def has_muted(viewer, member) -> bool:
    return member is not None and member.id in muted_ids(viewer)


def muted_list(viewer) -> list[tuple[User, object]]:
    """(person, since) for everyone the viewer muted, newest first (one query)."""
    return [(person, since) for person, since in db.session.execute(
        select(User, MemberMute.created_at).join(MemberMute, MemberMute.muted_id == User.id)
        .where(MemberMute.muter_id == viewer.id)
        .order_by(MemberMute.created_at.desc(), User.id))]


def _changes_only_the_muters_view(muter) -> None:
    # No shared page or fragment changes: the muter's collapsed lists are keyed by
    # whom they muted, and their own copies and remembered reads depend on "rest",
    # which a scoped write bumps. Other threads' and articles' entries stay.
    writes_only(f"mutes:{muter.id}")
    forget_muted_ids()


def mute(muter, member) -> bool:
    """Mute ``member`` for ``muter``; False if already muted (nothing changes).
    Refused for oneself and for staff. May tell moderators (``_alert_if_many``).
    Commits."""
    if member is None or member.deleted_at is not None:
        raise PermissionDenied("There is no such member to mute.")
    if member.id == getattr(muter, "id", None):
        raise PermissionDenied("You cannot mute yourself.")
    if policy.holds_staff_role(member):
        raise PermissionDenied(STAFF_REFUSED)
    if not policy.can_mute_member(muter, member):
        raise PermissionDenied("You cannot mute members.")
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    insert_row = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # RETURNING says whether a row went in (rowcount is not reliable here on PostgreSQL).
    added = db.session.execute(
        insert_row(MemberMute).values(muter_id=muter.id, muted_id=member.id, created_at=now)
        .on_conflict_do_nothing().returning(MemberMute.muted_id)).first() is not None
    if added:
        _alert_if_many(member, now)
    _changes_only_the_muters_view(muter)
    db.session.commit()
    return added


def unmute(muter, member) -> bool:
    """End ``muter``'s mute of ``member``; False if there was none. Commits."""
    gone = db.session.execute(delete(MemberMute).where(
        MemberMute.muter_id == muter.id, MemberMute.muted_id == member.id)).rowcount == 1
    _changes_only_the_muters_view(muter)
    db.session.commit()
    return gone


def forget_mutes_of(user_id: int) -> None:
    """Drop every mute of this person (they became staff). Does not commit."""
    db.session.execute(delete(MemberMute).where(MemberMute.muted_id == user_id))


def forget_all_mutes(user_id: int) -> None:
    """Drop the mutes this person made and those of them (their account is deleted:
    its row stays, so the foreign keys' cascade does not run). Does not commit."""
    db.session.execute(delete(MemberMute).where(
        (MemberMute.muter_id == user_id) | (MemberMute.muted_id == user_id)))


def _alert_if_many(member, now) -> None:
    """When this mute makes ``ALERT_AT`` or more people who muted ``member`` within
    ``ALERT_DAYS``, and moderators were not told of them within that time, tell the
    site's moderators (one INSERT ... SELECT) and say so in the moderation log. Nobody
    is told who muted them. Once per window even when several mute at the same moment
    (a row lock, held until the caller commits). In the caller's transaction."""
    from network.notifications.services import notify_people

    since = now - timedelta(days=ALERT_DAYS)
    recent = select(func.count()).select_from(MemberMute).where(
        MemberMute.muted_id == member.id, MemberMute.created_at >= since)
    if (db.session.scalar(recent) or 0) < ALERT_AT:
        return
    # Two mutes at once may each count themselves the third (on PostgreSQL neither
    # sees the other's row): whoever would tell moderators first holds the muted
    # person's row until they commit, and the other counts and looks again after,
    # seeing the alert. (SQLite lets one writer in at a time: nothing to wait for.)
    db.session.execute(select(User.id).where(User.id == member.id)
                       .with_for_update(key_share=True))
    count = db.session.scalar(recent) or 0
    told = db.session.scalar(select(ModerationAction.id).where(
        ModerationAction.action == ALERT_ACTION, ModerationAction.target_type == "user",
        ModerationAction.target_id == member.id, ModerationAction.created_at >= since)
        .limit(1))
    if told is not None:
        return
    staff = select(User.id).where(policy.acting_staff(User), User.deleted_at.is_(None))
    notify_people(staff, "moderation",
                  f"{count} members have muted {member.display_name} ({member.username}) "
                  f"within {ALERT_DAYS} days. Muting is private and is not a report; "
                  "you may want to look at what they have written.",
                  url=f"/moderation/members/{member.username}")
    record_action(None, ALERT_ACTION, "user", member.id,
                  f"Muted by {count} members within {ALERT_DAYS} days", detail=f"{count} mutes")

