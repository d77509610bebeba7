"""The moderation log's writer and the small helpers other domains call.

Low level on purpose: it imports only moderation's models (and the database
handle), so forum and articles record their actions here without importing
moderation's services, and moderation never needs to import them back. The log
has one writer (``record_action``) and nothing ever updates or deletes it.
"""
from sqlalchemy import select, update

from network.core.errors import Invalid
from network.extensions import db
from network.moderation.models import Flag, ModerationAction

ACTION_LABELS = {
    "auto_hide": "Hidden automatically",
    "flags_alert": "Moderators alerted",
    "mutes_alert": "Moderators alerted: muted by several members",
    "uphold_flags": "Flags upheld",
    "dismiss_flags": "Flags dismissed",
    "approve": "Approved",
    "reject": "Rejected",
    "hide": "Hidden",
    "restore": "Restored",
    "delete_post": "Removed",
    "delete_comment": "Removed",
    # Names written before each action had one implementation (older rows keep them).
    "hide_post": "Hidden",
    "restore_post": "Restored",
    "hide_thread": "Hidden",
    "restore_thread": "Restored",
    "pin_thread": "Pinned",
    "unpin_thread": "Unpinned",
    "lock_thread": "Locked",
    "unlock_thread": "Unlocked",
    "move_thread": "Moved",
    "silence": "Silenced",
    "unsilence": "Silence lifted",
    "suspend": "Suspended",
    "reinstate": "Reinstated",
    "trust": "Marked trusted",
    "untrust": "Marked untrusted",
    "change_role": "Role changed",
    "remove_document": "Removed",
}
REASON_MAX = 500
KIND_LABELS = {"post": "post", "comment": "comment", "thread": "thread", "user": "member",
               "article": "article", "network": "network",
               "document": "document"}


def record_action(actor, action: str, target_type: str, target_id: int, reason: str = "",
                  network_id: int | None = None, detail: str = "") -> ModerationAction:
    """Append an entry in the caller's transaction (the action and its record commit together)."""
    entry = ModerationAction(
        actor_id=getattr(actor, "id", None), action=action, target_type=target_type,
        target_id=target_id, network_id=network_id, reason=reason or "", detail=detail or "",
    )
    db.session.add(entry)
    return entry


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def deleted_by_moderators(kind: str, target_ids) -> set[int]:
    """Of these deleted posts or comments, those a moderator removed (one query;
    none when there are no ids)."""
    target_ids = list(target_ids)
    if not target_ids:
        return set()
    return set(db.session.scalars(select(ModerationAction.target_id).where(
        ModerationAction.target_type == kind, ModerationAction.action == f"delete_{kind}",
        ModerationAction.target_id.in_(target_ids))))


def move_flags(target_type: str, target_ids, network_id: int | None) -> None:
    """Flags follow their content to another network (a moved thread and its posts,
    the comments of an article placed elsewhere), so only the moderators of the
    network it is in now review them. ``target_ids``: ids or a select of them.
    Does not commit: the move and this change commit together."""
    db.session.execute(update(Flag).where(Flag.target_type == target_type,
                                          Flag.target_id.in_(target_ids))
                       .values(network_id=network_id))


def clean_reason(reason: str | None, field: str = "reason") -> str:
    """The reason every moderation action needs, stripped; Invalid when it is empty
    or longer than REASON_MAX (never cut short: the log keeps what was written)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Give a reason; it is kept in the moderation log.", field=field)
    if len(reason) > REASON_MAX:
        raise Invalid(f"Use {REASON_MAX} characters or fewer.", field=field)
    return reason
