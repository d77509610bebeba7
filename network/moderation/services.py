"""Moderation of content: flags, decisions on them, pre-moderation and hiding.

The log has one writer (``record_action``) and nothing ever updates or deletes
it. Every other function here checks who may act (``core.policy``), changes
content status only through the owning domain's ``set_*_status`` (so stored
counters stay right), writes its log entry and commits once. What moderators
read is in ``listings``; actions on people are in ``people``.
"""
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, or_, select, update
from sqlalchemy.orm import joinedload

from network.accounts.models import User
from network.core import policy
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.text import excerpt
from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import FLAG_REASONS, Flag, ModerationAction
from network.networks.models import Network

TARGET_TYPES = ("post", "comment", "thread")
AUTO_HIDE_FLAGS = 3
AUTO_HIDE_REASON = f"Hidden after {AUTO_HIDE_FLAGS} flags"
TRUST_AFTER_APPROVALS = 3
NOTE_MAX = 1000
REASON_MAX = 500

ACTION_LABELS = {
    "auto_hide": "Hidden automatically",
    "uphold_flags": "Flags upheld",
    "dismiss_flags": "Flags dismissed",
    "approve": "Approved",
    "reject": "Rejected",
    "hide": "Hidden",
    "restore": "Restored",
    "silence": "Silenced",
    "unsilence": "Silence lifted",
    "suspend": "Suspended",
    "reinstate": "Reinstated",
    "trust": "Marked trusted",
    "untrust": "Marked untrusted",
    "change_role": "Role changed",
}
KIND_LABELS = {"post": "post", "comment": "comment", "thread": "thread", "user": "member"}


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


# --- content, whatever its kind ---------------------------------------------

@dataclass
class Target:
    """A post, comment or thread seen through one interface."""

    kind: str
    obj: Any

    @property
    def id(self) -> int:
        return self.obj.id

    @property
    def network(self) -> Network | None:
        if self.kind == "post":
            return self.obj.thread.network
        if self.kind == "comment":
            return self.obj.article.network
        return self.obj.network

    @property
    def network_id(self) -> int | None:
        network = self.network
        return network.id if network is not None else None

    @property
    def author_id(self) -> int:
        return self.obj.author_id

    @property
    def author(self) -> User:
        return self.obj.author

    @property
    def status(self) -> str:
        return self.obj.status

    @property
    def text(self) -> str:
        """A short plain-text excerpt (never HTML)."""
        if self.kind == "thread":
            return self.obj.title
        return excerpt(self.obj.body, 240)

    @property
    def place(self) -> str:
        """Where it is, in words."""
        if self.kind == "post":
            thread = self.obj.thread
            return f"{thread.title} ({thread.network.name})"
        if self.kind == "comment":
            article = self.obj.article
            return article.title + (f" ({article.network.name})" if article.network else "")
        return self.obj.network.name

    @property
    def url(self) -> str:
        """Its place on the site (DESIGN section 5 paths)."""
        # Plain paths (services also run outside a request, e.g. the CLI).
        if self.kind == "post":
            return f"/posts/{self.obj.id}"  # forum.post: redirects to the right page
        if self.kind == "comment":
            return f"/comments/{self.obj.id}"  # articles.comment: the right page
        return f"/threads/{self.obj.id}"

    @property
    def starts_thread(self) -> bool:
        """A pending post that opens a pending thread (approved or rejected together)."""
        return self.kind == "post" and self.obj.number == 1 and self.obj.thread.status == "pending"

    def visible_to(self, viewer) -> bool:
        network = self.network
        if self.kind == "comment":
            return (policy.can_read_article(viewer, self.obj.article, utcnow())
                    and policy.can_see_content(viewer, network, self.status, self.author_id))
        if not policy.can_read_network_content(viewer, network):
            return False
        thread = self.obj.thread if self.kind == "post" else self.obj
        if not policy.can_see_content(viewer, network, thread.status, thread.author_id):
            return False
        return self.kind == "thread" or policy.can_see_content(viewer, network, self.status,
                                                                self.author_id)

    def set_status(self, status: str) -> None:
        """Through the owning domain, so its counters move in the same transaction."""
        if self.kind == "post":
            from network.forum.services import set_post_status

            set_post_status(self.obj, status)
        elif self.kind == "comment":
            from network.articles.services import set_comment_status

            set_comment_status(self.obj, status)
        else:
            self.obj.status = status


def content_models():
    from network.articles.models import Article, Comment
    from network.forum.models import Post, Thread

    return Post, Thread, Comment, Article


def _load_statement(kind: str):
    Post, Thread, Comment, Article = content_models()
    # Networks' topics and articles' tags load eagerly by default; nothing here shows them.
    if kind == "post":
        return select(Post).options(
            joinedload(Post.thread).joinedload(Thread.network).lazyload(Network.topics),
            joinedload(Post.author))
    if kind == "comment":
        return select(Comment).options(
            joinedload(Comment.article).lazyload(Article.tags),
            joinedload(Comment.article).joinedload(Article.network).lazyload(Network.topics),
            joinedload(Comment.author))
    if kind == "thread":
        return select(Thread).options(joinedload(Thread.network).lazyload(Network.topics),
                                      joinedload(Thread.author))
    raise NotFound()


def load_targets(pairs, lock: bool = False) -> dict[tuple[str, int], Target]:
    """{(kind, id): Target} for many items: one query per kind present. ``lock`` takes
    the content rows FOR UPDATE (PostgreSQL), so two moderators deciding at once, or
    flags arriving together, are applied one after the other and see each other."""
    wanted: dict[str, set[int]] = {}
    for kind, target_id in pairs:
        if kind in TARGET_TYPES:
            wanted.setdefault(kind, set()).add(target_id)
    found = {}
    for kind, ids in wanted.items():
        stmt = _load_statement(kind)
        model = stmt.column_descriptions[0]["entity"]
        stmt = stmt.where(model.id.in_(ids))
        if lock:
            stmt = stmt.with_for_update(of=model)
        for obj in db.session.scalars(stmt).unique():
            found[(kind, obj.id)] = Target(kind, obj)
    return found


def get_target(kind: str, target_id: int, viewer, lock: bool = False) -> Target:
    """The content, or NotFound when it does not exist or the viewer may not see it."""
    target = load_targets([(kind, target_id)], lock=lock).get((kind, target_id))
    if target is None or not target.visible_to(viewer):
        raise NotFound()
    return target


def _require_moderator(actor, target: Target) -> None:
    if not policy.can_moderate_content(actor, target.network):
        raise PermissionDenied()


def clean_reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Give a reason; it is kept in the moderation log.", field=field)
    if len(reason) > REASON_MAX:
        raise Invalid(f"Use {REASON_MAX} characters or fewer.", field=field)
    return reason


def _notify_author(target: Target, actor, text: str) -> None:
    from network.notifications.services import notify

    if target.author_id != getattr(actor, "id", None):
        notify(target.author_id, "moderation", text, url=target.url,
               network_id=target.network_id)


# --- flags ------------------------------------------------------------------

def _open_flags(target: Target):
    return select(Flag).where(Flag.target_type == target.kind, Flag.target_id == target.id,
                              Flag.status == "open")


def open_flag_by(reporter, target: Target) -> Flag | None:
    return db.session.scalar(_open_flags(target).where(Flag.reporter_id == reporter.id).limit(1))


def flag_content(reporter, target: Target, reason: str, note: str = "") -> Flag:
    """Record a member's flag. Content flagged by AUTO_HIDE_FLAGS different members is
    hidden at once (logged as an automatic action) until a moderator reviews it."""
    if reason not in FLAG_REASONS:
        raise Invalid("Choose a reason from the list.", field="reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise Invalid("Say what is wrong, so a moderator can judge it.", field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(f"Use {NOTE_MAX:,} characters or fewer.", field="note")
    if not policy.can_flag_content(reporter, target.author_id):
        raise Invalid("You cannot flag your own words. Edit or delete them instead.",
                      field="reason")
    if target.status != "visible":
        raise Conflict("This is not on show, so it cannot be flagged.", field="reason")
    if open_flag_by(reporter, target) is not None:
        raise Conflict("You have already flagged this. A moderator will review it.",
                       field="reason")
    flag = Flag(target_type=target.kind, target_id=target.id, network_id=target.network_id,
                reporter_id=reporter.id, reason=reason, note=note)
    db.session.add(flag)
    db.session.flush()
    flaggers = db.session.scalar(
        select(func.count(distinct(Flag.reporter_id))).where(
            Flag.target_type == target.kind, Flag.target_id == target.id,
            Flag.status == "open")) or 0
    if flaggers >= AUTO_HIDE_FLAGS:
        target.set_status("hidden")
        record_action(None, "auto_hide", target.kind, target.id, AUTO_HIDE_REASON,
                      network_id=target.network_id, detail=f"{flaggers} flags")
    db.session.commit()
    return flag


def move_flags(target_type: str, target_ids, network_id: int | None) -> None:
    """Flags follow their content to another network (a moved thread and its posts,
    the comments of an article placed elsewhere), so only the moderators of the
    network it is in now review them. ``target_ids``: ids or a select of them.
    Does not commit: the move and this change commit together."""
    db.session.execute(update(Flag).where(Flag.target_type == target_type,
                                          Flag.target_id.in_(target_ids))
                       .values(network_id=network_id))


def _last_action(target: Target) -> str | None:
    return db.session.scalar(
        select(ModerationAction.action)
        .where(ModerationAction.target_type == target.kind,
               ModerationAction.target_id == target.id)
        .order_by(ModerationAction.id.desc()).limit(1))


def _resolve_flags(actor, target: Target, status: str) -> int:
    result = db.session.execute(
        update(Flag)
        .where(Flag.target_type == target.kind, Flag.target_id == target.id,
               Flag.status == "open")
        .values(status=status, resolved_at=utcnow(), resolved_by_id=actor.id))
    if not result.rowcount:
        raise Conflict("These flags have already been reviewed.")
    return result.rowcount


def uphold_flags(actor, target: Target, reason: str) -> None:
    """The content is hidden, its author told why, and every open flag on it upheld."""
    _require_moderator(actor, target)
    reason = clean_reason(reason)
    count = _resolve_flags(actor, target, "upheld")
    if target.status in ("visible", "pending"):
        target.set_status("hidden")
    _notify_author(target, actor,
                   f"A moderator hid your {target.kind} after it was flagged. Reason: {reason}")
    record_action(actor, "uphold_flags", target.kind, target.id, reason,
                  network_id=target.network_id, detail=f"{count} flags")
    db.session.commit()


def dismiss_flags(actor, target: Target, reason: str) -> None:
    """Every open flag on the content is dismissed; content hidden automatically by
    flags (and not touched by a moderator since) is shown again."""
    _require_moderator(actor, target)
    reason = clean_reason(reason)
    restore = target.status == "hidden" and _last_action(target) == "auto_hide"
    count = _resolve_flags(actor, target, "dismissed")
    if restore:
        target.set_status("visible")
    record_action(actor, "dismiss_flags", target.kind, target.id, reason,
                  network_id=target.network_id,
                  detail=f"{count} flags" + ("; shown again" if restore else ""))
    db.session.commit()


def orphan_flags_network(actor, kind: str, target_id: int) -> int | None:
    """The network id of open flags on content that no longer exists; NotFound when
    there are none or the actor does not moderate where they were raised."""
    if kind not in TARGET_TYPES:
        raise NotFound()
    row = db.session.execute(
        select(Flag.network_id).where(Flag.target_type == kind, Flag.target_id == target_id,
                                      Flag.status == "open").limit(1)).first()
    if row is None:
        raise NotFound()
    network = db.session.get(Network, row.network_id) if row.network_id is not None else None
    if not policy.can_moderate_content(actor, network):
        raise NotFound()
    return row.network_id


def resolve_orphan_flags(actor, kind: str, target_id: int, status: str, reason: str) -> None:
    """Close open flags on content that was removed for good, so they never stay in
    the queue. Moderators of the flags' network only."""
    if status not in ("upheld", "dismissed"):
        raise NotFound()
    network_id = orphan_flags_network(actor, kind, target_id)
    reason = clean_reason(reason)
    result = db.session.execute(
        update(Flag).where(Flag.target_type == kind, Flag.target_id == target_id,
                           Flag.status == "open")
        .values(status=status, resolved_at=utcnow(), resolved_by_id=actor.id))
    record_action(actor, "uphold_flags" if status == "upheld" else "dismiss_flags", kind,
                  target_id, reason, network_id=network_id,
                  detail=f"{result.rowcount} flags; the {kind} no longer exists")
    db.session.commit()


# --- pre-moderation ---------------------------------------------------------

def _require_pending(target: Target) -> None:
    if target.kind not in ("post", "comment"):
        raise NotFound()
    if target.status != "pending":
        raise Conflict("This has already been reviewed.")


def approve_content(actor, target: Target, reason: str) -> None:
    """Show a waiting post or comment (and the new thread it opens); the author's
    approved_count moves in SQL and the third approval makes them trusted."""
    _require_moderator(actor, target)
    reason = clean_reason(reason)
    _require_pending(target)
    opens_thread = target.starts_thread
    target.set_status("visible")
    if opens_thread:
        target.obj.thread.status = "visible"
    if target.kind == "post":
        from network.forum.services import announce_post

        # The post now counts: move the network's activity, tell the watchers.
        announce_post(target.obj, target.obj.thread)
    elif target.kind == "comment":
        from network.articles.services import announce_comment

        announce_comment(target.obj)  # the article's author, the replied-to, the mentioned
    new_count = User.approved_count + 1
    db.session.execute(
        update(User).where(User.id == target.author_id)
        .values(approved_count=new_count,
                trusted=or_(User.trusted, new_count >= TRUST_AFTER_APPROVALS)))
    _notify_author(target, actor, f"Your {target.kind} has been approved and is now shown.")
    record_action(actor, "approve", target.kind, target.id, reason,
                  network_id=target.network_id)
    db.session.commit()


def reject_content(actor, target: Target, reason: str) -> None:
    """A waiting post or comment (and the new thread it opens) stays hidden; the author
    is told why."""
    _require_moderator(actor, target)
    reason = clean_reason(reason)
    _require_pending(target)
    opens_thread = target.starts_thread
    target.set_status("hidden")
    if opens_thread:
        target.obj.thread.status = "hidden"
    _notify_author(target, actor, f"A moderator did not approve your {target.kind}. "
                                  f"Reason: {reason}")
    record_action(actor, "reject", target.kind, target.id, reason,
                  network_id=target.network_id)
    db.session.commit()


def set_hidden(actor, target: Target, hidden: bool, reason: str) -> None:
    """Hide content that is on show (its author is told why), or show hidden content
    again; logged with the reason. Asking for the state it is already in is a
    Conflict that changes nothing."""
    _require_moderator(actor, target)
    reason = clean_reason(reason)
    wanted = "hidden" if hidden else "visible"
    if target.status not in ("visible", "hidden"):
        raise Conflict("Only content that is shown or hidden can be hidden or restored.")
    if target.status == wanted:
        raise Conflict(already_message(target, wanted))
    target.set_status(wanted)
    if hidden:
        _notify_author(target, actor, f"A moderator hid your {target.kind}. Reason: {reason}")
    record_action(actor, "hide" if hidden else "restore", target.kind, target.id, reason,
                  network_id=target.network_id)
    db.session.commit()


def remove_content(actor, target: Target, reason: str) -> None:
    """A moderator removes a post or comment for good (status 'deleted'; pages say a
    moderator removed it), its author is told why, and the log keeps the reason.
    Counters move in the same transaction. Removing it twice is a Conflict."""
    _require_moderator(actor, target)
    reason = clean_reason(reason)
    if target.kind not in ("post", "comment"):
        raise NotFound()
    if target.status == "deleted":
        raise Conflict(already_message(target, "deleted"))
    target.set_status("deleted")
    _notify_author(target, actor, f"A moderator removed your {target.kind}. Reason: {reason}")
    record_action(actor, f"delete_{target.kind}", target.kind, target.id, reason,
                  network_id=target.network_id)
    db.session.commit()


def deleted_by_moderators(kind: str, target_ids) -> set[int]:
    """Of these deleted posts or comments, those a moderator removed (one query;
    none when there are no ids)."""
    target_ids = list(target_ids)
    if not target_ids:
        return set()
    return set(db.session.scalars(select(ModerationAction.target_id).where(
        ModerationAction.target_type == kind, ModerationAction.action == f"delete_{kind}",
        ModerationAction.target_id.in_(target_ids))))


ALREADY = {"hidden": "hidden", "visible": "on show", "deleted": "deleted"}


def already_message(target: Target, status: str) -> str:
    """What to say when a moderator asks for the state the content is already in."""
    return f"This {target.kind} is already {ALREADY[status]}."
