"""Membership of networks: joining and leaving, requests to join, managers and members.

Counter rule: ``Network.member_count`` is the number of the network's Membership
rows. Every service that adds or removes a membership moves it in SQL
(``member_count + 1``), in the same transaction, and commits once.

Whenever someone's memberships change, their cached network roles for this
request are forgotten (``User.forget_network_roles``), so the rest of the
request sees the change.
"""
from flask import url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from network.accounts.models import User
from network.accounts.services import get_by_username
from network.core import policy
from network.core.cache import remembered
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.query import like_pattern
from network.core.time import utcnow
from network.extensions import db
from network.moderation.log import record_action
from network.networks.models import JoinRequest, Membership, Network
from network.notifications import watching
from network.notifications.services import notify


def membership_of(network_id: int, user_id: int) -> Membership | None:
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


def add_member(network: Network, user: User, role: str = "member") -> Membership:
    """Add a member (counted); joining sets the network to *normal* watching unless
    they chose a level before. Does not commit."""
    membership = Membership(user_id=user.id, network_id=network.id, role=role)
    db.session.add(membership)
    _count(network.id, +1)
    watching.watch_unless_chosen(user.id, "network", network.id, "normal")
    return membership


def _forget_watches(user_id: int, network_id: int) -> None:
    """A member who goes stops watching the network (its threads' notifications are
    filtered by who may read them in any case)."""
    watching.forget(user_id, "network", network_id)


def commit_membership_change(*users) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("That person is already a member.") from None
    for user in users:
        user.forget_network_roles()



# --- members, managers and requests ----------------------------------------

def manager_count(network: Network) -> int:
    return remembered(("manager_count", network.id), lambda: db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.network_id == network.id, Membership.role == "manager")) or 0)


def managers(network: Network) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == network.id, Membership.role == "manager")
        .order_by(func.lower(User.display_name), User.id)))


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


# --- joining and leaving --------------------------------------------------

def join(user: User, network: Network) -> None:
    """Join an open network at once (member_count + 1 in the same transaction)."""
    if policy.is_network_member(user, network):
        raise Conflict("You are already a member of this network.")
    if network.is_archived:
        raise Conflict("This network is archived: no one can join it.")
    if not policy.can_join_network(user, network):
        raise PermissionDenied("This network does not take members directly.")
    add_member(network, user)
    commit_membership_change(user)


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
               network_id=network.id, actor_id=user.id)
    db.session.commit()
    return join_request


def decide_request(actor: User, network: Network, request_id: int, approve: bool) -> JoinRequest:
    """Approve (the person becomes a member) or decline a pending request; the person
    who asked is told either way. A request already decided changes nothing. Refused
    unless ``policy.can_decide_join_requests`` (so never in an archived network)."""
    if not policy.can_manage_network(actor, network):
        raise PermissionDenied()
    if not policy.can_decide_join_requests(actor, network):
        raise PermissionDenied("This network is archived, so it is read-only: requests to "
                               "join it cannot be approved or declined.")
    join_request = db.session.scalar(select(JoinRequest).where(
        JoinRequest.id == request_id, JoinRequest.network_id == network.id))
    if join_request is None:
        raise NotFound()
    if join_request.status != "pending":
        raise Conflict(f"That request has already been {join_request.status}.")
    requester = join_request.user
    if approve:
        if membership_of(network.id, requester.id) is None:
            add_member(network, requester)
        text = f"Your request to join {network.name} was approved. Welcome!"
    else:
        text = f"Your request to join {network.name} was declined."
    join_request.status = "approved" if approve else "declined"
    join_request.decided_at = utcnow()
    join_request.decided_by_id = actor.id
    notify(requester.id, "join_decision", text,
           url=url_for("networks.network", slug=network.slug), network_id=network.id)
    commit_membership_change(requester)
    return join_request


def leave(user: User, network: Network, successor_username: str = "") -> None:
    """Leave a network. The last manager names a member who becomes manager first
    (managers are counted under the network's row lock)."""
    _lock_network(network.id)
    membership = membership_of(network.id, user.id)
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
        other = successor and successor.id != user.id and membership_of(network.id, successor.id)
        if not other:
            raise Invalid("That person is not a member of this network. Enter the username "
                          "of a member.", field="successor")
        other.role = "manager"
        record_action(user, "promote_manager", "user", successor.id,
                      "Named as manager by the last manager on leaving", network_id=network.id)
        notify(successor.id, "network_manager", f"You are now a manager of {network.name}.",
               url=url_for("networks.network", slug=network.slug), network_id=network.id)
    db.session.delete(membership)
    _forget_watches(user.id, network.id)
    _count(network.id, -1)
    commit_membership_change(user)


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
        _forget_watches(person.id, network.id)
        _count(network.id, -1)
        if network.visibility != "private":
            # With the network's id, so the notice goes if the network turns private.
            notify(person.id, "network_removed", f"You were removed from {network.name}.",
                   network_id=network.id)
        done = f"{person.display_name} has been removed from the network."
    record_action(actor, {"promote": "promote_manager", "demote": "demote_manager",
                          "remove": "remove_member"}[action], "user", person.id, reason,
                  network_id=network.id)
    commit_membership_change(person)
    return done
