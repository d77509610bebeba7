"""Networks: creating and changing them, joining and leaving, managers, invitations.

Counter rule: ``Network.member_count`` is the number of the network's Membership
rows. Every service that adds or removes a membership moves it in SQL
(``member_count + 1``), in the same transaction, and commits once.

Whenever someone's memberships change, their cached network roles for this
request are forgotten (``User.forget_network_roles``), so the rest of the
request sees the change.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import raiseload

from network.accounts.models import User
from network.accounts.services import get_by_username, regions, topics  # noqa: F401 (reference data)
from network.articles.models import Article
from network.core import policy, slugs
from network.core.cache import remembered, remembered_rows
from network.core.converters import parse_id
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.query import like_pattern
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Thread
from network.moderation.services import record_action
from network.networks.models import VISIBILITIES, Invitation, JoinRequest, Membership, Network
from network.networks.taxonomy import Region, Topic
from network.notifications.mail import absolute_url, queue_mail
from network.notifications.services import notify

NATIONAL = "national"
INVITATION_DAYS = 14
SLUG_MAX = 80
RESERVED_SLUGS = frozenset({"new"})  # /networks/new is the create page
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- reference data -------------------------------------------------------

def _region_id(value: str | None) -> int | None:
    """'national' (or empty) -> None; a region id as text -> the id; anything else: Invalid."""
    if value in (None, "", NATIONAL):
        return None
    region_id = parse_id(value)
    if region_id is None or db.session.get(Region, region_id) is None:
        raise Invalid("Choose a region from the list, or national.", field="region")
    return region_id


def _topics(values) -> list[Topic]:
    ids = []
    for value in values or []:
        topic_id = parse_id(value)
        if topic_id is None:
            raise Invalid("Choose topics from the list.", field="topics")
        ids.append(topic_id)
    if not ids:
        return []
    found = list(db.session.scalars(select(Topic).where(Topic.id.in_(set(ids)))))
    if len(found) != len(set(ids)):
        raise Invalid("Choose topics from the list.", field="topics")
    return found


def _visibility(value: str) -> str:
    if value not in VISIBILITIES:
        raise Invalid("Choose open, closed or private.", field="visibility")
    return value


# --- slugs ----------------------------------------------------------------

def unique_slug(name: str) -> str:
    """The name's slug, with a random suffix when it is taken (core.slugs); room is
    left for the suffix within the column."""
    return slugs.unique_slug(Network.slug, name, fallback="network", max_length=SLUG_MAX - 6,
                             reserved=RESERVED_SLUGS)


# --- lookups --------------------------------------------------------------

def get_network(slug: str) -> Network | None:
    if not slug or len(slug) > SLUG_MAX:
        return None
    return remembered_rows(("network", slug), lambda: db.session.scalar(
        select(Network).where(Network.slug == slug)))


def _name_taken(viewer, name: str, except_id: int | None = None) -> bool:
    """Whether a network the viewer may know exists has this name (any case).
    Networks hidden from the viewer do not count: refusing their name would
    tell that they exist (names need not be unique; slugs are)."""
    stmt = select(Network.id).where(func.lower(Network.name) == func.lower(name),
                                    policy.visible_networks(viewer, Network))
    if except_id is not None:
        stmt = stmt.where(Network.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


def _membership(network_id: int, user_id: int) -> Membership | None:
    """The membership as stored now, even when this session loaded it before."""
    return db.session.scalar(select(Membership).where(Membership.network_id == network_id,
                                                      Membership.user_id == user_id)
                             .execution_options(populate_existing=True))


def _lock_network(network_id: int) -> None:
    """Take the network's row lock (PostgreSQL; SQLite write transactions begin
    IMMEDIATE anyway), so changes to who manages a network are made one at a time
    and each sees the one before: two managers demoting each other, or leaving, at
    the same moment cannot leave the network with none."""
    db.session.execute(select(Network.id).where(Network.id == network_id).with_for_update())


def _manager_ids(network_id: int) -> list[int]:
    return list(db.session.scalars(select(Membership.user_id).where(
        Membership.network_id == network_id, Membership.role == "manager")))


def _count(network_id: int, delta: int) -> None:
    db.session.execute(update(Network).where(Network.id == network_id)
                       .values(member_count=Network.member_count + delta))


def _add_member(network: Network, user: User, role: str = "member") -> Membership:
    membership = Membership(user_id=user.id, network_id=network.id, role=role)
    db.session.add(membership)
    _count(network.id, +1)
    return membership


def _commit_membership_change(*users) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("That person is already a member.") from None
    for user in users:
        user.forget_network_roles()


# --- directory, home page and network home ---------------------------------

@dataclass
class DirectoryFilter:
    q: str = ""
    region: str = ""
    topic: str = ""
    sort: str = "recent"


def directory(viewer, filters: DirectoryFilter):
    """Statement: networks the viewer may see, not archived, filtered and sorted.
    Unknown region or topic slugs raise Invalid (with the field)."""
    stmt = select(Network).where(policy.visible_networks(viewer, Network),
                                 Network.archived_at.is_(None))
    if filters.region == NATIONAL:
        stmt = stmt.where(Network.region_id.is_(None))
    elif filters.region:
        region_id = db.session.scalar(select(Region.id).where(Region.slug == filters.region))
        if region_id is None:
            raise Invalid("We do not know that region. Choose one from the list.", field="region")
        stmt = stmt.where(Network.region_id == region_id)
    if filters.topic:
        topic_id = db.session.scalar(select(Topic.id).where(Topic.slug == filters.topic))
        if topic_id is None:
            raise Invalid("We do not know that topic. Choose one from the list.", field="topic")
        stmt = stmt.where(Network.topics.any(Topic.id == topic_id))
    if filters.q.strip():
        like = like_pattern(filters.q)
        stmt = stmt.where(or_(func.lower(Network.name).like(like, escape="\\"),
                              func.lower(Network.summary).like(like, escape="\\")))
    if filters.sort == "name":
        return stmt.order_by(func.lower(Network.name), Network.id)
    return stmt.order_by(Network.last_activity_at.desc(), Network.id.desc())


def most_active(viewer, limit: int = 4) -> list[Network]:
    """A few networks the viewer may see, most recently active first (one query)."""
    return list(db.session.scalars(
        select(Network).options(raiseload(Network.topics))
        .where(policy.visible_networks(viewer, Network), Network.archived_at.is_(None))
        .order_by(Network.last_activity_at.desc(), Network.id.desc()).limit(limit)))


def manager_count(network: Network) -> int:
    return remembered(("manager_count", network.id), lambda: db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.network_id == network.id, Membership.role == "manager")) or 0)


def managers(network: Network) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == network.id, Membership.role == "manager")
        .order_by(func.lower(User.display_name), User.id)))


def latest_threads(network: Network, limit: int = 5) -> list[Thread]:
    """Visible threads, latest activity first. Call only when the viewer may read them."""
    return list(db.session.scalars(
        select(Thread).where(Thread.network_id == network.id, Thread.status == "visible")
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(limit)))


def latest_articles(network: Network, limit: int = 5) -> list[Article]:
    """Published articles of the network (not scheduled ones), newest first."""
    return list(db.session.scalars(
        select(Article).options(raiseload(Article.tags))
        .where(Article.network_id == network.id, Article.status == "published",
               Article.published_at <= utcnow())
        .order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)))


def pending_request(network: Network, user) -> JoinRequest | None:
    if not policy.is_signed_in(user):
        return None
    return db.session.scalar(select(JoinRequest).where(
        JoinRequest.network_id == network.id, JoinRequest.user_id == user.id,
        JoinRequest.status == "pending"))


def members(network: Network, q: str = ""):
    """Statement: (Membership, User) rows, managers first, then by name."""
    stmt = (select(Membership, User).join(User, Membership.user_id == User.id)
            .where(Membership.network_id == network.id))
    if q and q.strip():
        like = like_pattern(q)
        stmt = stmt.where(or_(func.lower(User.username).like(like, escape="\\"),
                              func.lower(User.display_name).like(like, escape="\\"),
                              func.lower(User.organisation).like(like, escape="\\")))
    return stmt.order_by((Membership.role == "manager").desc(), func.lower(User.display_name),
                         User.id)


def get_member(network: Network, user_id: int) -> tuple[Membership, User]:
    """The membership as stored now, even when this session loaded it before."""
    row = db.session.execute(
        select(Membership, User).join(User, Membership.user_id == User.id)
        .where(Membership.network_id == network.id, Membership.user_id == user_id)
        .execution_options(populate_existing=True)).first()
    if row is None:
        raise NotFound()
    return row[0], row[1]


def pending_requests(network: Network):
    """Statement: pending join requests, oldest first, with the people who asked."""
    return (select(JoinRequest, User).join(User, JoinRequest.user_id == User.id)
            .where(JoinRequest.network_id == network.id, JoinRequest.status == "pending")
            .order_by(JoinRequest.created_at, JoinRequest.id))


# --- creating and changing networks ---------------------------------------

def create_network(actor: User, *, name: str, summary: str, description: str = "",
                   region, topic_ids=(), visibility: str = "open") -> Network:
    """Create a network with the actor as its first manager (member_count 1)."""
    if not policy.can_create_network(actor):
        raise PermissionDenied()
    name, summary = (name or "").strip(), (summary or "").strip()
    _check_text(name, summary)
    visibility = _visibility(visibility)
    region_id = _region_id(region)
    chosen = _topics(topic_ids)
    if _name_taken(actor, name):
        raise Conflict("A network with that name already exists. Choose another name.",
                       field="name")
    for _attempt in range(3):
        now = utcnow()
        network = Network(slug=unique_slug(name), name=name, summary=summary,
                          description=description or "",
                          description_html=render_markdown(description or ""),
                          visibility=visibility, region_id=region_id, topics=chosen,
                          created_by_id=actor.id, created_at=now, last_activity_at=now,
                          member_count=0)
        db.session.add(network)
        try:
            db.session.flush()
        except IntegrityError:
            # The slug was taken in the meantime: choose another.
            db.session.rollback()
            continue
        _add_member(network, actor, role="manager")
        _commit_membership_change(actor)
        return network
    raise Conflict("The network could not be created just now. Try again.")


def _check_text(name: str, summary: str) -> None:
    if not name:
        raise Invalid("Enter a name for the network.", field="name")
    if len(name) > 120:
        raise Invalid("Use 120 characters or fewer.", field="name")
    if not summary:
        raise Invalid("Enter a one-line summary.", field="summary")
    if len(summary) > 300:
        raise Invalid("Use 300 characters or fewer.", field="summary")


def update_network(actor: User, network: Network, *, name: str, summary: str,
                   description: str, region, topic_ids, visibility: str) -> None:
    """Save settings. The slug stays as it was, so links keep working after a rename.
    A change of visibility is logged; every query filters by the current value.
    An archived network's settings do not change."""
    if not policy.can_change_network_settings(actor, network):
        raise PermissionDenied("This network is archived: its settings cannot be changed.")
    name, summary = (name or "").strip(), (summary or "").strip()
    _check_text(name, summary)
    visibility = _visibility(visibility)
    region_id = _region_id(region)
    chosen = _topics(topic_ids)
    if _name_taken(actor, name, except_id=network.id):
        raise Conflict("A network with that name already exists. Choose another name.",
                       field="name")
    old_visibility = network.visibility
    network.name, network.summary = name, summary
    network.description = description or ""
    network.description_html = render_markdown(network.description)
    network.region_id, network.topics, network.visibility = region_id, chosen, visibility
    if visibility != old_visibility:
        record_action(actor, "change_visibility", "network", network.id,
                      network_id=network.id, detail=f"{old_visibility} -> {visibility}")
    db.session.commit()


def set_archived(actor: User, network: Network, archived: bool, reason: str) -> None:
    """Archive (read-only, out of the directory) or unarchive; logged with the reason."""
    if not policy.can_archive_network(actor, network):
        raise PermissionDenied()
    if archived == network.is_archived:
        raise Conflict("This network is already archived." if archived
                       else "This network is not archived.")
    network.archived_at = utcnow() if archived else None
    record_action(actor, "archive_network" if archived else "unarchive_network", "network",
                  network.id, reason, network_id=network.id)
    db.session.commit()


# --- joining and leaving --------------------------------------------------

def join(user: User, network: Network) -> None:
    """Join an open network at once (member_count + 1 in the same transaction)."""
    if policy.is_network_member(user, network):
        raise Conflict("You are already a member of this network.")
    if network.is_archived:
        raise Conflict("This network is archived: no one can join it.")
    if not policy.can_join_network(user, network):
        raise PermissionDenied("This network does not take members directly.")
    _add_member(network, user)
    _commit_membership_change(user)


ALREADY_ASKED = "You have already asked to join. The managers will decide soon."


def request_to_join(user: User, network: Network, message: str = "") -> JoinRequest:
    """Ask to join a closed network; its managers are notified."""
    if policy.is_network_member(user, network):
        raise Conflict("You are already a member of this network.")
    if network.is_archived:
        raise Conflict("This network is archived: no one can join it.")
    if not policy.can_request_to_join(user, network):
        raise PermissionDenied("This network does not take requests to join.")
    if pending_request(network, user) is not None:
        raise Conflict(ALREADY_ASKED)
    join_request = JoinRequest(network_id=network.id, user_id=user.id,
                               message=(message or "").strip())
    db.session.add(join_request)
    try:
        # One pending request per person and network (a partial unique index): a
        # second request sent at the same moment fails here, not as a duplicate.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(ALREADY_ASKED) from None
    link = url_for("networks.requests", slug=network.slug)
    for manager_id in _manager_ids(network.id):
        notify(manager_id, "join_request",
               f"{user.display_name} asked to join {network.name}.", url=link,
               network_id=network.id)
    db.session.commit()
    return join_request


def decide_request(actor: User, network: Network, request_id: int, approve: bool) -> JoinRequest:
    """Approve (the person becomes a member) or decline a pending request; the person
    who asked is told either way. A request already decided changes nothing."""
    if not policy.can_manage_network(actor, network):
        raise PermissionDenied()
    join_request = db.session.scalar(select(JoinRequest).where(
        JoinRequest.id == request_id, JoinRequest.network_id == network.id))
    if join_request is None:
        raise NotFound()
    if join_request.status != "pending":
        raise Conflict(f"That request has already been {join_request.status}.")
    requester = join_request.user
    if approve:
        if network.is_archived:
            raise Conflict("This network is archived: no one can join it.")
        if _membership(network.id, requester.id) is None:
            _add_member(network, requester)
        text = f"Your request to join {network.name} was approved. Welcome!"
    else:
        text = f"Your request to join {network.name} was declined."
    join_request.status = "approved" if approve else "declined"
    join_request.decided_at = utcnow()
    join_request.decided_by_id = actor.id
    notify(requester.id, "join_decision", text,
           url=url_for("networks.network", slug=network.slug), network_id=network.id)
    _commit_membership_change(requester)
    return join_request


def leave(user: User, network: Network, successor_username: str = "") -> None:
    """Leave a network. The last manager names a member who becomes manager first
    (managers are counted under the network's row lock)."""
    _lock_network(network.id)
    membership = _membership(network.id, user.id)
    if membership is None:
        raise Conflict("You are not a member of this network.")
    if membership.role == "manager" and _manager_ids(network.id) == [user.id]:
        if network.member_count <= 1:
            raise Conflict("You are the only member, so there is no one to hand over to. "
                           "Ask an administrator to archive the network instead.")
        successor_username = (successor_username or "").strip()
        if not successor_username:
            raise Invalid("You are the only manager. Name a member who will take over.",
                          field="successor")
        successor = get_by_username(successor_username)
        other = successor and successor.id != user.id and _membership(network.id, successor.id)
        if not other:
            raise Invalid("That person is not a member of this network. Enter the username "
                          "of a member.", field="successor")
        other.role = "manager"
        record_action(user, "promote_manager", "user", successor.id,
                      "Named as manager by the last manager on leaving", network_id=network.id)
        notify(successor.id, "network_manager", f"You are now a manager of {network.name}.",
               url=url_for("networks.network", slug=network.slug), network_id=network.id)
    db.session.delete(membership)
    _count(network.id, -1)
    _commit_membership_change(user)


# --- managing members -----------------------------------------------------

MEMBER_ACTIONS = ("promote", "demote", "remove")
MEMBERS_READ_ONLY = ("This network is archived, so it is read-only: its members cannot be "
                     "promoted, demoted or removed.")


def change_member(actor: User, network: Network, user_id: int, action: str, reason: str) -> str:
    """Promote, demote or remove a member; each is logged with its reason.
    The last manager is never demoted or removed, even by two managers acting at once
    (managers are counted under the network's row lock). An archived network's members
    do not change. Returns a sentence for the actor."""
    if not policy.can_manage_network(actor, network):
        raise PermissionDenied()
    if not policy.can_change_members(actor, network):
        raise PermissionDenied(MEMBERS_READ_ONLY)
    if action not in MEMBER_ACTIONS:
        raise Invalid("Choose promote, demote or remove.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Give a reason; it is kept in the moderation log.", field="reason")
    _lock_network(network.id)
    membership, person = get_member(network, user_id)
    manager_ids = _manager_ids(network.id)
    last_manager = membership.role == "manager" and len(manager_ids) == 1
    if action == "promote":
        if membership.role == "manager":
            raise Conflict(f"{person.display_name} is already a manager.")
        membership.role = "manager"
        notify(person.id, "network_manager", f"You are now a manager of {network.name}.",
               url=url_for("networks.network", slug=network.slug), network_id=network.id)
        done = f"{person.display_name} is now a manager."
    elif action == "demote":
        if membership.role != "manager":
            raise Conflict(f"{person.display_name} is not a manager.")
        if last_manager:
            raise Conflict(f"{person.display_name} is the only manager. Make someone else a "
                           "manager first.")
        membership.role = "member"
        done = f"{person.display_name} is no longer a manager."
    else:
        if person.id == actor.id:
            raise Invalid("To leave the network yourself, use Leave on the network's page.")
        if last_manager:
            raise Conflict(f"{person.display_name} is the only manager. Make someone else a "
                           "manager first.")
        db.session.delete(membership)
        _count(network.id, -1)
        if network.visibility != "private":
            # With the network's id, so the notice goes if the network turns private.
            notify(person.id, "network_removed", f"You were removed from {network.name}.",
                   network_id=network.id)
        done = f"{person.display_name} has been removed from the network."
    record_action(actor, {"promote": "promote_manager", "demote": "demote_manager",
                          "remove": "remove_member"}[action], "user", person.id, reason,
                  network_id=network.id)
    _commit_membership_change(person)
    return done


# --- invitations ----------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(actor: User, network: Network, invitee: str) -> str:
    """Invite a member by username (notified) or anyone by email (mailed a link).
    Only the token's SHA-256 is stored; the link works once and expires.
    Mail and notifications about a private network do not name it."""
    if not policy.can_invite_to_network(actor, network):
        raise PermissionDenied()
    invitee = (invitee or "").strip()
    user = get_by_username(invitee) if "@" not in invitee else None
    email = ""
    if user is None:
        if not _EMAIL.match(invitee):
            raise Invalid("There is no member with that username. Check it, or enter an "
                          "email address.", field="invitee")
        email = invitee.lower()
        user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and _membership(network.id, user.id) is not None:
        raise Conflict(f"{user.display_name} is already a member.", field="invitee")
    token = secrets.token_urlsafe(32)
    db.session.add(Invitation(network_id=network.id, token_hash=_token_hash(token),
                              user_id=user.id if user and not email else None, email=email,
                              invited_by_id=actor.id,
                              expires_at=utcnow() + timedelta(days=INVITATION_DAYS)))
    path = url_for("networks.invitation", slug=network.slug, token=token)
    what = "a private network" if network.visibility == "private" else network.name
    if email:
        queue_mail(email, "You are invited to a network on What Works Network",
                   f"Hello,\n\n{actor.display_name} has invited you to join {what} on What "
                   f"Works Network.\nTo accept, open this link within {INVITATION_DAYS} days "
                   f"(you will need to sign in or register):\n\n{absolute_url(path)}\n\n"
                   "If you were not expecting this, you can ignore this message.\n")
    else:
        # No network_id: the invitee cannot see a private network yet, and the text
        # does not name it.
        notify(user.id, "network_invitation",
               f"{actor.display_name} invited you to join {what}.", url=path)
    db.session.commit()
    return user.display_name if user and not email else email


def find_invitation(network: Network, token: str) -> Invitation | None:
    """The unused, unexpired invitation to this network for this token, or None."""
    if not token or len(token) > 200:
        return None
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == _token_hash(token), Invitation.network_id == network.id))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def invitation_is_for(invitation: Invitation, user) -> bool:
    """An invitation by username is for that person only; one by email is for whoever
    holds the link (they may register with another address)."""
    return invitation.user_id is None or (policy.is_signed_in(user)
                                          and invitation.user_id == user.id)


def accept_invitation(user: User, network: Network, token: str) -> None:
    """Join through an invitation; the link is used up in the same transaction."""
    invitation = find_invitation(network, token)
    if invitation is None or not invitation_is_for(invitation, user):
        raise NotFound()
    if network.is_archived:
        raise Conflict("This network is archived: no one can join it.")
    if not policy.can_post(user):
        raise PermissionDenied()
    if _membership(network.id, user.id) is not None:
        raise Conflict("You are already a member of this network.")
    # Claim the link in SQL, so two requests with the same link cannot both join.
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())).rowcount
    if claimed != 1:
        raise NotFound()
    _add_member(network, user)
    db.session.execute(update(JoinRequest).where(
        JoinRequest.network_id == network.id, JoinRequest.user_id == user.id,
        JoinRequest.status == "pending").values(status="approved", decided_at=utcnow()))
    _commit_membership_change(user)
