"""What moderators read: the review queue's two sections and the moderation log.

Each page loads in a fixed number of queries however many flags or entries exist:
one aggregate for the page's rows, one for their flags, one per kind of content.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, distinct, func, or_, select, true, union_all
from sqlalchemy.orm import joinedload, lazyload

from network.accounts.models import User
from network.core import policy
from network.core.time import is_indefinite
from network.extensions import db
from network.moderation import registry
from network.moderation.log import KIND_LABELS, action_label
from network.moderation.models import FLAG_REASONS, Flag, ModerationAction
from network.moderation.services import Target, load_targets
from network.networks.models import Network


# --- what a moderator sees --------------------------------------------------

def _scope(viewer, column):
    """Clause: rows in networks this viewer moderates."""
    return policy.moderated_content(viewer, column)


def _reviewable_flag_targets(viewer):
    """Clause on flags: their content is something the viewer may act on: not their
    own, and in networks they moderate, unless its kind says which (comments: where
    ``policy.reviewable_comments`` says so). Flags on content that no longer exists
    stay, so they can be closed."""
    clauses = []
    for handler in registry.kinds():
        # Never one's own content (nobody judges their own case).
        clauses.append(or_(Flag.target_type != handler.name, Flag.target_id.not_in(
            select(handler.model.id).where(policy.own_content(viewer, handler.model.author_id)))))
        if handler.reviewable_ids is None:
            continue
        clauses.append(or_(Flag.target_type != handler.name,
                           Flag.target_id.in_(handler.reviewable_ids(viewer)),
                           Flag.target_id.not_in(select(handler.model.id))))
    return and_(*clauses) if clauses else true()


@dataclass
class FlaggedItem:
    kind: str
    target_id: int
    flaggers: int
    first_flagged_at: Any
    flags: list
    target: Target | None

    @property
    def reasons(self) -> list[str]:
        seen = []
        for flag in self.flags:
            label = FLAG_REASONS.get(flag.reason, flag.reason)
            if label not in seen:
                seen.append(label)
        return seen

    @property
    def notes(self) -> list[str]:
        return [flag.note for flag in self.flags if flag.note]


def flag_groups(viewer):
    """Statement: one row per flagged item with open flags that the viewer may act on,
    oldest first (the page and its count both come from it)."""
    return (select(Flag.target_type, Flag.target_id,
                   func.count(distinct(Flag.reporter_id)).label("flaggers"),
                   func.min(Flag.created_at).label("first_at"))
            .where(Flag.status == "open", _scope(viewer, Flag.network_id),
                   _reviewable_flag_targets(viewer))
            .group_by(Flag.target_type, Flag.target_id)
            .order_by(func.min(Flag.created_at), Flag.target_type, Flag.target_id))


def queue_items(flag_rows, pending_rows) -> tuple[list[FlaggedItem], list[Target]]:
    """One page of each queue section with its flags and content, in a fixed number of
    queries (one for the flags, one per kind of content)."""
    targets = load_targets([(r.target_type, r.target_id) for r in flag_rows]
                           + [(r.kind, r.id) for r in pending_rows])
    pending = [targets[(r.kind, r.id)] for r in pending_rows if (r.kind, r.id) in targets]
    return flagged_items(flag_rows, targets), pending


def flagged_items(rows, targets) -> list[FlaggedItem]:
    """The flagged rows with their open flags (one query) and loaded content."""
    if not rows:
        return []
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row.target_type, []).append(row.target_id)
    flags = db.session.scalars(
        select(Flag).options(joinedload(Flag.reporter))
        .where(Flag.status == "open",
               or_(*[and_(Flag.target_type == kind, Flag.target_id.in_(ids))
                     for kind, ids in by_kind.items()]))
        .order_by(Flag.created_at, Flag.id)).all()
    grouped: dict[tuple[str, int], list[Flag]] = {}
    for flag in flags:
        grouped.setdefault((flag.target_type, flag.target_id), []).append(flag)
    return [FlaggedItem(row.target_type, row.target_id, row.flaggers, row.first_at,
                        grouped.get((row.target_type, row.target_id), []),
                        targets.get((row.target_type, row.target_id)))
            for row in rows]


def pending_items_statement(viewer):
    """Statement: (kind, id, created_at) of content awaiting approval that the viewer
    may act on, oldest first (each kind says which of its rows those are; never the
    viewer's own)."""
    parts = [handler.pending(viewer).where(~policy.own_content(viewer, handler.model.author_id))
             for handler in registry.kinds() if handler.pending is not None]
    both = union_all(*parts).subquery()
    return select(both.c.kind, both.c.id, both.c.created_at).order_by(
        both.c.created_at, both.c.kind, both.c.id)


# --- the log ----------------------------------------------------------------

def log_statement(viewer, network_id: int | None = None, action: str | None = None):
    """Statement: log entries this viewer may read, newest first, optionally filtered."""
    stmt = (select(ModerationAction).options(joinedload(ModerationAction.actor))
            .where(_scope(viewer, ModerationAction.network_id))
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()))
    if network_id is not None:
        stmt = stmt.where(ModerationAction.network_id == network_id)
    if action:
        stmt = stmt.where(ModerationAction.action == action)
    return stmt


def log_actions(viewer) -> list[str]:
    """The kinds of action present in the viewer's part of the log (for the filter)."""
    return list(db.session.scalars(
        select(ModerationAction.action).distinct()
        .where(_scope(viewer, ModerationAction.network_id)).order_by(ModerationAction.action)))


def log_networks(viewer) -> list[Network]:
    """Networks the viewer may filter the log by."""
    stmt = select(Network).options(lazyload(Network.topics)).order_by(Network.name)
    if not policy.is_staff(viewer):
        stmt = stmt.where(Network.id.in_(policy.managed_network_ids(viewer) or [0]))
    return list(db.session.scalars(stmt))


@dataclass
class LogEntry:
    entry: ModerationAction
    label: str
    description: str
    url: str | None
    detail: str = ""


_NETWORK_IN_DETAIL = re.compile(r"\bnetwork (\d+)\b")
_UNTIL_IN_DETAIL = re.compile(r"^until (\d{4})-(\d{2})-(\d{2})")


def _networks_named(entries) -> dict[int, Network]:
    """The networks the entries name (as their target or in their detail), one query."""
    ids = {e.target_id for e in entries if e.target_type == "network"}
    for e in entries:
        ids.update(int(found) for found in _NETWORK_IN_DETAIL.findall(e.detail or ""))
    if not ids:
        return {}
    return {n.id: n for n in db.session.scalars(
        select(Network).options(lazyload(Network.topics)).where(Network.id.in_(ids)))}


def _network_words(network: Network | None, viewer) -> str | None:
    if network is None or not policy.can_view_network(viewer, network):
        return None
    return f"network “{network.name}”"


def _detail(detail: str, networks, viewer) -> str:
    """The stored detail with networks named as this reader may see them, and an
    indefinite sanction said so (the log keeps ids and dates)."""
    until = _UNTIL_IN_DETAIL.match(detail)
    if until and is_indefinite(datetime(*(int(part) for part in until.groups()))):
        return "indefinitely"
    return _NETWORK_IN_DETAIL.sub(
        lambda m: _network_words(networks.get(int(m.group(1))), viewer) or "another network",
        detail)


def describe_log(entries, viewer, member_url) -> list[LogEntry]:
    """What each entry was about, with a link when the viewer may see it (fixed queries:
    one per kind of content, one for members, one per other subject, one for networks).
    Names and titles come from the rows as this reader may see them now."""
    targets = load_targets((e.target_type, e.target_id) for e in entries)
    user_ids = {e.target_id for e in entries if e.target_type == "user"}
    users = ({u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
             if user_ids else {})
    networks = _networks_named(entries)
    named: dict[str, dict[int, tuple[str, str | None]]] = {}
    for subject_name in {e.target_type for e in entries}:
        subject = registry.subject(subject_name)
        if subject is not None:
            named[subject_name] = subject.names(
                viewer, {e.target_id for e in entries if e.target_type == subject_name})
    described = []
    for e in entries:
        kind = KIND_LABELS.get(e.target_type, e.target_type)
        url = None
        if e.target_type == "user":
            person = users.get(e.target_id)
            text = f"member {person.display_name} ({person.username})" if person else "a removed member"
            if person is not None:
                url = member_url(person)
        elif e.target_type == "network":
            network = networks.get(e.target_id)
            text = _network_words(network, viewer) or "a network"
            if text != "a network":
                url = f"/networks/{network.slug}/"
        elif e.target_type in named:
            text, url = named[e.target_type].get(
                e.target_id, (registry.subject(e.target_type).unnamed, None))
        else:
            target = targets.get((e.target_type, e.target_id))
            if registry.kind(e.target_type) is None:
                text = f"a {kind}"
            elif target is None:
                text = f"a {kind} that no longer exists"
            elif not policy.can_moderate_content(viewer, target.network) \
                    and not target.visible_to(viewer):
                # Moved since (a thread to another network, an article placed elsewhere)
                # to where this viewer may not look: say nothing of where or what.
                text = f"a {kind} since moved out of your networks"
            elif not target.visible_to(viewer):
                # E.g. a comment on an article withdrawn since: its title is for its
                # author and admins.
                text = f"a {kind} {target.handler.unreadable}"
            else:
                text = f"{kind} by {target.author.display_name} in {target.place}"
                url = target.url
        described.append(LogEntry(e, action_label(e.action), text, url,
                                  _detail(e.detail or "", networks, viewer)))
    return described
