"""People and their site roles: who is signed in, staff, writers, the silenced."""
from flask import current_app, has_app_context
from flask_login import AnonymousUserMixin

ROLE_RANK = {"member": 1, "associate": 2, "moderator": 3, "admin": 4}


class Anonymous(AnonymousUserMixin):
    role = None
    id = None
    trusted = False
    is_suspended = False
    is_silenced = False
    is_confirmed = False
    has_two_factor = False
    network_roles: dict[int, str] = {}


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


STAFF_ROLES = tuple(role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK["moderator"])


def staff_need_two_factor() -> bool:
    """``STAFF_TWO_FACTOR`` (on unless configured off): moderators and admins act as
    such only once their own two-factor sign-in is on."""
    # Outside an app (the policy's own unit tests) there is no setting to read.
    return has_app_context() and bool(current_app.config.get("STAFF_TWO_FACTOR", True))


def holds_staff_role(user) -> bool:
    """A moderator or admin by role, whether or not they may act as one yet."""
    return is_signed_in(user) and user.role in STAFF_ROLES


def staff_waiting_for_two_factor(user) -> bool:
    """Staff by role who must turn two-factor sign-in on before acting as staff."""
    return (holds_staff_role(user) and not getattr(user, "has_two_factor", False)
            and staff_need_two_factor())


def has_role(user, role: str) -> bool:
    """True when the user's site role is ``role`` or above. Staff without two-factor
    sign-in (``staff_waiting_for_two_factor``) count as associates until it is on."""
    if not is_signed_in(user):
        return False
    rank = ROLE_RANK.get(user.role, 0)
    if rank >= ROLE_RANK["moderator"] and staff_waiting_for_two_factor(user):
        rank = ROLE_RANK["associate"]
    return rank >= ROLE_RANK[role]


def is_staff(user) -> bool:
    """Site-wide moderators and admins: they act everywhere."""
    return has_role(user, "moderator")


def acting_staff(user_cls):
    """Clause on users: the ``is_staff`` of SQL (staff by role, with two-factor sign-in
    on where it is required), for those told of or reading what only staff may."""
    clause = user_cls.role.in_(STAFF_ROLES)
    if staff_need_two_factor():
        clause = clause & user_cls.two_factor_at.isnot(None)
    return clause


def is_admin(user) -> bool:
    return has_role(user, "admin")


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_moderate_site(user) -> bool:
    return is_staff(user)


def can_post(user) -> bool:
    """Signed in, not suspended, not silenced: may write anything at all."""
    return is_signed_in(user) and not user.is_suspended and not user.is_silenced


def needs_premoderation(user) -> bool:
    """A member's first posts and comments wait for a moderator until they are trusted."""
    return is_signed_in(user) and not user.trusted and not has_role(user, "associate")


def can_write_articles(user) -> bool:
    return can_post(user) and has_role(user, "associate")


def can_view_profile(viewer, member) -> bool:
    return member is not None


def can_mute_member(viewer, member) -> bool:
    """A signed-in, confirmed person may mute another member (issue 14): never
    themselves, and never a moderator or admin, who must stay reachable."""
    return (is_signed_in(viewer) and viewer.is_confirmed and member is not None
            and member.id != viewer.id and not holds_staff_role(member) and member.deleted_at is None)


def is_silenced_member(user) -> bool:
    """Show the "You cannot post until ..." notice where this person would post."""
    return is_signed_in(user) and bool(user.is_silenced)


# What a person whose address is not yet confirmed may still send (issue 14): sign
# in and out, their profile and password, changing or confirming their address, and
# leaving with their data. Everything else that changes something (posting,
# commenting, joining, creating a network, flagging, adopting, uploading, the contact
# form, and any route added later) is refused until they confirm. An allowlist, so a
# new route is refused by default rather than forgotten.
UNCONFIRMED_MAY_SEND = frozenset({
    "accounts.login", "accounts.logout", "accounts.register", "accounts.request_reset",
    "accounts.reset_password", "accounts.edit_profile", "accounts.change_password",
    "accounts.change_email", "accounts.confirm_email", "accounts.resend_confirmation",
    "accounts.export_account", "accounts.delete_account", "accounts.end_session",
    "accounts.sign_out_everywhere",
})


def must_confirm_first(user, endpoint: str | None) -> bool:
    """True when this signed-in person may not send a change to ``endpoint``
    before confirming their address. Unknown endpoints (404, 405) pass through."""
    return (is_signed_in(user) and not user.is_confirmed and endpoint is not None
            and endpoint not in UNCONFIRMED_MAY_SEND)


def may_receive_notification_mail(user) -> bool:
    """Notification mail (replies, digests) goes only to confirmed addresses, so an
    address typed by someone else is never mailed more than its confirmation link."""
    return is_signed_in(user) and user.is_confirmed and user.deleted_at is None
