"""Invitations to a network (usually a private one), by username or email address.

Only a token's SHA-256 is stored; a link works once and expires. Joining through
one follows the membership rules (network/networks/membership.py).
"""
import hashlib
import re
import secrets
from datetime import timedelta

from flask import url_for
from sqlalchemy import select, update

from network.accounts.models import User
from network.accounts.services import get_by_username
from network.core import policy
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.time import utcnow
from network.extensions import db
from network.networks.membership import add_member, commit_membership_change, membership_of
from network.networks.models import Invitation, JoinRequest, Network
from network.notifications.mail import absolute_url, queue_mail
from network.notifications.services import notify

INVITATION_DAYS = 14
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    if user is not None and membership_of(network.id, user.id) is not None:
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
               f"{actor.display_name} invited you to join {what}.", url=path,
               actor_id=actor.id)
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
    if membership_of(network.id, user.id) is not None:
        raise Conflict("You are already a member of this network.")
    # Claim the link in SQL, so two requests with the same link cannot both join.
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())).rowcount
    if claimed != 1:
        raise NotFound()
    add_member(network, user)
    db.session.execute(update(JoinRequest).where(
        JoinRequest.network_id == network.id, JoinRequest.user_id == user.id,
        JoinRequest.status == "pending").values(status="approved", decided_at=utcnow()))
    commit_membership_change(user)
