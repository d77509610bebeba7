"""Moderation of content: flags, decisions on them, pre-moderation and hiding.

Each action exists once, here, for every kind of content (posts, comments,
threads): the domains register their kinds in ``registry`` and moderation acts
through it, never importing them. Every function here checks who may act
(``core.policy``), changes content status only through the kind's
``set_status`` (so stored counters stay right), writes its log entry
(``log.record_action``) and commits once. What moderators read is in
``listings``; actions on people are in ``people``.
"""
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, or_, select, update

from network.accounts.models import User
from network.core import policy
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.time import utcnow
from network.extensions import db
from network.moderation import registry
from network.moderation.log import clean_reason, record_action  # networks.services: record_action
from network.moderation.models import FLAG_REASONS, Flag, ModerationAction
from network.networks.models import Membership, Network
from network.notifications.services import notify

AUTO_HIDE_FLAGS = 3
AUTO_HIDE_REASON = f"Hidden after {AUTO_HIDE_FLAGS} flags"
AUTO_ALERT_REASON = (f"Flagged by {AUTO_HIDE_FLAGS} people; by staff or a trusted member, "
                     "so not hidden automatically")
TRUST_AFTER_APPROVALS = 3
NOTE_MAX = 1000


# --- content, whatever its kind ---------------------------------------------

@dataclass
class Target:
    """A post, comment or thread seen through its registered ``ContentKind``."""

    kind: str
    obj: Any

    @property
    def handler(self) -> registry.ContentKind:
        return registry.kind(self.kind)

    @property
    def id(self) -> int:
        return self.obj.id

    @property
    def network(self) -> Network | None:
        return self.handler.network(self.obj)

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
    def status(self) -> str:  # in moderation's words: visible, pending, hidden, deleted
        return self.handler.status(self.obj) if self.handler.status else self.obj.status

    @property
    def text(self) -> str:
        """A short plain-text excerpt (never HTML)."""
        return self.handler.text(self.obj)

    @property
    def place(self) -> str:
        """Where it is, in words."""
        return self.handler.place(self.obj)

    @property
    def url(self) -> str:
        """Its own address on the site (a plain path: services also run outside a request)."""
        return self.handler.url(self.obj)

    @property
    def queue_title(self) -> str:
        """What the review queue calls it ("New thread “…”" for a thread's first post)."""
        title = self.handler.queue_title(self.obj) if self.handler.queue_title else None
        return title or self.kind.capitalize()

    def visible_to(self, viewer) -> bool:
        return self.handler.readable(viewer, self.obj)

    def set_status(self, status: str) -> None:
        """Through the owning domain, so its counters move in the same transaction."""
        self.handler.set_status(self.obj, status)


def load_targets(pairs, lock: bool = False) -> dict[tuple[str, int], Target]:
    """{(kind, id): Target} for many items: one query per kind present. ``lock`` takes
    the content rows FOR UPDATE (PostgreSQL), so two moderators deciding at once, or
    flags arriving together, are applied one after the other and see each other."""
    wanted: dict[str, set[int]] = {}
    for name, target_id in pairs:
        if registry.kind(name) is not None:
            wanted.setdefault(name, set()).add(target_id)
    found = {}
    for name, ids in wanted.items():
        handler = registry.kind(name)
        stmt = handler.statement().where(handler.model.id.in_(ids))
        if lock:
            stmt = stmt.with_for_update(of=handler.model)
        for obj in db.session.scalars(stmt).unique():
            found[(name, obj.id)] = Target(name, obj)
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


def _notify_author(target: Target, actor, text: str) -> None:
    if target.author_id != getattr(actor, "id", None):
        notify(target.author_id, "moderation", text, url=target.url,
               network_id=target.network_id)


# --- flags ------------------------------------------------------------------

def _open_flags(target: Target):
    return select(Flag).where(Flag.target_type == target.kind, Flag.target_id == target.id,
                              Flag.status == "open")


def open_flag_by(reporter, target: Target) -> Flag | None:
    return db.session.scalar(_open_flags(target).where(Flag.reporter_id == reporter.id).limit(1))


def _established_flaggers(target: Target, besides: int | None = None) -> int:
    """How many different established people (``policy.established_flaggers``) have
    open flags on the content, leaving out ``besides``."""
    stmt = (select(func.count(distinct(Flag.reporter_id)))
            .join(User, User.id == Flag.reporter_id)
            .where(Flag.target_type == target.kind, Flag.target_id == target.id,
                   Flag.status == "open",
                   policy.established_flaggers(User, Membership, target.network_id, utcnow())))
    if besides is not None:
        stmt = stmt.where(Flag.reporter_id != besides)
    return db.session.scalar(stmt) or 0


def _alert_moderators(target: Target, flaggers: int) -> None:
    """Content that flags may not hide (by staff or a trusted member): its moderators
    (the network's managers and site moderators) are told once, and the log says so."""
    network_id = target.network_id
    staff = policy.acting_staff(User)
    if network_id is not None:
        managers = select(Membership.user_id).where(Membership.network_id == network_id,
                                                    Membership.role == "manager")
        staff = staff | User.id.in_(managers)
    for user_id in db.session.scalars(select(User.id).where(staff,
                                                            User.id != target.author_id)):
        notify(user_id, "moderation",
               f"A {target.kind} by {target.author.display_name} has {flaggers} flags. "
               "It stays on show until a moderator reviews it.",
               url="/moderation/", network_id=network_id)
    record_action(None, "flags_alert", target.kind, target.id, AUTO_ALERT_REASON,
                  network_id=network_id, detail=f"{flaggers} flags")


def flag_content(reporter, target: Target, reason: str, note: str = "") -> Flag:
    """Record a member's flag. When AUTO_HIDE_FLAGS different established people
    (``policy.established_flaggers``) have flagged it, the content is hidden at once
    (logged as an automatic action) until a moderator reviews it; content by staff
    or trusted members is never hidden so: its moderators are told instead."""
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
    counted = _established_flaggers(target)
    if counted >= AUTO_HIDE_FLAGS > _established_flaggers(target, besides=reporter.id):
        # This flag reached the threshold.
        if policy.can_be_hidden_by_flags(target.author):
            target.set_status("hidden")
            record_action(None, "auto_hide", target.kind, target.id, AUTO_HIDE_REASON,
                          network_id=target.network_id, detail=f"{counted} flags")
        else:
            _alert_moderators(target, counted)
    db.session.commit()
    return flag


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
    _require_not_own(actor, target)
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
    _require_not_own(actor, target)
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
    if registry.kind(kind) is None:
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
    if target.handler.pending is None:
        raise NotFound()
    if target.status != "pending":
        raise Conflict("This has already been reviewed.")


def _require_not_own(actor, target: Target) -> None:
    """Nobody judges their own case (approve, reject, uphold, dismiss)."""
    if not policy.can_decide_on(actor, target.author_id):
        raise PermissionDenied("You cannot decide on your own content; another moderator will.")


def approve_content(actor, target: Target, reason: str) -> None:
    """Show a waiting post or comment (and what its kind shows with it: the new
    thread a post opens; watchers or the article's author are told). The author's
    approved_count moves in SQL and the third approval that counts
    (``policy.approval_counts_for_trust``) makes them trusted."""
    _require_moderator(actor, target)
    _require_not_own(actor, target)
    reason = clean_reason(reason)
    _require_pending(target)
    target.set_status("visible")
    if target.handler.approved is not None:
        target.handler.approved(target.obj)
    if policy.approval_counts_for_trust(actor, target.author_id, target.network):
        new_count = User.approved_count + 1
        db.session.execute(
            update(User).where(User.id == target.author_id)
            .values(approved_count=new_count,
                    trusted=or_(User.trusted, new_count >= TRUST_AFTER_APPROVALS)))
    _notify_author(target, actor, f"Your {target.kind} is approved and shown. Note: {reason}")
    record_action(actor, "approve", target.kind, target.id, reason,
                  network_id=target.network_id)
    db.session.commit()


def reject_content(actor, target: Target, reason: str) -> None:
    """A waiting post or comment (and the new thread it opens) stays hidden; the author
    is told why."""
    _require_moderator(actor, target)
    _require_not_own(actor, target)
    reason = clean_reason(reason)
    _require_pending(target)
    target.set_status("hidden")
    if target.handler.rejected is not None:
        target.handler.rejected(target.obj)
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
    if not target.handler.removable:
        raise NotFound()
    if target.status == "deleted":
        raise Conflict(already_message(target, "deleted"))
    target.set_status("deleted")
    _notify_author(target, actor, f"A moderator removed your {target.kind}. Reason: {reason}")
    record_action(actor, f"delete_{target.kind}", target.kind, target.id, reason,
                  network_id=target.network_id)
    db.session.commit()


ALREADY = {"hidden": "hidden", "visible": "on show", "deleted": "deleted"}


def already_message(target: Target, status: str) -> str:
    """What to say when a moderator asks for the state the content is already in."""
    return f"This {target.kind} is already {ALREADY[status]}."
