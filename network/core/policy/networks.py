"""Networks: who may know one exists, read what is inside, post, manage and join.

``network_access`` is the one question a view asks about a network; the
``can_*`` functions below answer the narrower questions templates ask.
"""
import enum

from sqlalchemy import false, or_, true

from network.core.policy.people import can_post, is_admin, is_signed_in, is_staff


class Access(enum.Enum):
    """The verdict on one object for one viewer, as a view answers it: show it,
    show the "for members" page (the object exists, its content is for members),
    or answer 404 (it does not exist for this viewer)."""
    READABLE = "readable"
    MEMBERS_ONLY = "members only"
    NOT_FOUND = "not found"


def network_role(user, network) -> str | None:
    """'member', 'manager' or None for this user in this network."""
    if not is_signed_in(user) or network is None:
        return None
    return user.network_roles.get(network.id)


def is_network_member(user, network) -> bool:
    return network_role(user, network) is not None


def is_network_manager(user, network) -> bool:
    return network_role(user, network) == "manager"


def managed_network_ids(user) -> list[int]:
    """Ids of the networks this person manages (moderates)."""
    if not is_signed_in(user):
        return []
    return sorted(nid for nid, role in user.network_roles.items() if role == "manager")


def network_access(user, network) -> Access:
    """Open networks: readable by all. Closed: a public page whose content is for
    members and staff. Private: exists only for its members and site staff."""
    if network is None:
        return Access.NOT_FOUND
    if network.visibility == "open" or is_staff(user) or is_network_member(user, network):
        return Access.READABLE
    if network.visibility == "private":
        return Access.NOT_FOUND
    return Access.MEMBERS_ONLY


def can_view_network(user, network) -> bool:
    """Open and closed networks are public pages; private ones exist only for
    their members and site staff (everyone else gets a 404). Keep in step with
    ``visible_networks``."""
    return network_access(user, network) is not Access.NOT_FOUND


def can_read_network_content(user, network) -> bool:
    """Threads and member-only content: open to all, otherwise members and staff.
    Keep in step with ``readable_networks``."""
    return network_access(user, network) is Access.READABLE


def can_post_in_network(user, network) -> bool:
    return (can_post(user) and is_network_member(user, network)
            and not network.is_archived)


def can_moderate_network(user, network) -> bool:
    """Site staff everywhere; a network's managers in their own network."""
    return is_staff(user) or (network is not None and is_network_manager(user, network))


def can_manage_network(user, network) -> bool:
    """Settings, members and requests: the network's managers and admins."""
    return is_admin(user) or is_network_manager(user, network)


def can_change_network_settings(user, network) -> bool:
    """Name, summary, region, topics, visibility: its managers and admins, while the
    network is not archived (an archived network is read-only)."""
    return can_manage_network(user, network) and network is not None and not network.is_archived


def can_change_members(user, network) -> bool:
    """Promote, demote, remove: the same people and the same archive rule as settings
    (an archived network is read-only; an admin unarchives it first)."""
    return can_change_network_settings(user, network)


def can_decide_join_requests(user, network) -> bool:
    """Approve or decline a request to join: the same people and the same archive
    rule as members (an archived network is read-only, declining included)."""
    return can_change_network_settings(user, network)


def can_create_network(user) -> bool:
    return can_post(user)


def can_archive_network(user, network) -> bool:
    return is_admin(user)


def visible_networks(viewer, network_cls):
    """Clause: networks this viewer may know exist (private only to members/staff):
    ``can_view_network`` in SQL (keep the two in step)."""
    if is_staff(viewer):
        return true()
    member_of = list(viewer.network_roles) if is_signed_in(viewer) else []
    if member_of:
        return or_(network_cls.visibility != "private", network_cls.id.in_(member_of))
    return network_cls.visibility != "private"


def readable_networks(viewer, network_cls):
    """Clause: networks whose content (threads, member-only articles) the viewer may
    read: ``can_read_network_content`` in SQL (keep the two in step)."""
    if is_staff(viewer):
        return true()
    member_of = list(viewer.network_roles) if is_signed_in(viewer) else []
    if member_of:
        return or_(network_cls.visibility == "open", network_cls.id.in_(member_of))
    return network_cls.visibility == "open"


def reach_key(viewer) -> tuple:
    """What ``visible_networks``, ``readable_networks`` and ``visible_articles``
    depend on for this viewer: viewers with equal keys are shown the same lists,
    so a rendered list may be shared between them (core/fragments.py). Keep in
    step with those three functions (tests/core/test_policy_agreement.py)."""
    if is_staff(viewer):
        return ("staff",)
    if not is_signed_in(viewer):
        return ("anonymous",)
    return ("member", tuple(sorted(viewer.network_roles)))


def no_rows():
    return false()


# --- joining, leaving, members (issue 3) -----------------------------------------

def can_join_network(user, network) -> bool:
    """Open networks: any signed-in person who is not yet a member joins at once."""
    return (can_post(user) and network is not None and network.visibility == "open"
            and not network.is_archived and not is_network_member(user, network))


def can_request_to_join(user, network) -> bool:
    """Closed networks: a signed-in non-member asks, and a manager decides."""
    return (can_post(user) and network is not None and network.visibility == "closed"
            and not network.is_archived and not is_network_member(user, network))


def can_leave_network(user, network) -> bool:
    return is_network_member(user, network)


def can_view_network_members(user, network) -> bool:
    """The members list is member-only content, like threads."""
    return can_read_network_content(user, network)


def can_invite_to_network(user, network) -> bool:
    return can_change_network_settings(user, network)


def can_watch_network(user, network) -> bool:
    """Choosing how closely to follow a network: signed-in people who may read its
    threads (members of closed and private ones; anyone for an open one)."""
    return is_signed_in(user) and can_read_network_content(user, network)
