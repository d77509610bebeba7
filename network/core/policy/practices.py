"""Who may see and do what with practices and adoptions (issue 10).

Pure questions, as in the rest of ``core/policy/``, built on its network rules: a practice in
a network is readable exactly as that network's content is (private: members and
staff only, and a 404 for everyone else).
"""
from datetime import timedelta

from sqlalchemy import or_, select

from network.core.policy.networks import (can_read_network_content, can_view_network,
                                          readable_networks)
from network.core.policy.people import can_post, is_signed_in, is_staff, needs_premoderation

REVIEW_AFTER = timedelta(days=730)  # "not reviewed for 24 months"


def is_practice_author(user, practice) -> bool:
    return is_signed_in(user) and practice is not None and practice.author_id == user.id


def is_practice_published(practice) -> bool:
    return practice is not None and practice.status == "published"


def can_read_practice(user, practice) -> bool:
    """Published practices follow their network (none or open: everyone; closed or
    private: its members and staff). Drafts, pending and withdrawn ones: their
    author and site staff (moderators review pending ones). A practice in a network
    the viewer may not know exists is never readable, even by its former author."""
    if practice is None:
        return False
    if practice.network is not None and not can_view_network(user, practice.network):
        return False
    if is_practice_author(user, practice) or is_staff(user):
        return True
    if not is_practice_published(practice):
        return False
    return practice.network is None or can_read_network_content(user, practice.network)


def can_submit_practice(user) -> bool:
    """Any member who may post; untrusted members' practices wait for a moderator."""
    return can_post(user)


def practice_needs_approval(user) -> bool:
    """The same pre-moderation rule as posts and comments."""
    return needs_premoderation(user)


def can_edit_practice(user, practice) -> bool:
    """Its author (while they may post) and site staff, never in an archived network."""
    if practice is None or (practice.network is not None and practice.network.is_archived):
        return False
    return (can_post(user) and is_practice_author(user, practice)) or (
        is_staff(user) and can_read_practice(user, practice))


def can_review_practice(user, practice) -> bool:
    """Saying "still true" on a published practice: its author or a moderator."""
    return is_practice_published(practice) and can_edit_practice(user, practice)


def can_read_practice_history(user, practice) -> bool:
    """Earlier versions: the author and moderators (DESIGN: revision history)."""
    return can_read_practice(user, practice) and (
        is_practice_author(user, practice) or is_staff(user))


def can_adopt_practice(user, practice) -> bool:
    """Signed-in members who may post record take-up of a published practice they may read."""
    return (can_post(user) and is_practice_published(practice)
            and can_read_practice(user, practice)
            and not (practice.network is not None and practice.network.is_archived))


def can_update_adoption(user, adoption) -> bool:
    """The adopter who recorded it, and site staff; only while the practice is readable."""
    if adoption is None or not can_read_practice(user, adoption.practice):
        return False
    return can_post(user) and (adoption.adopter_id == user.id or is_staff(user))


def needs_review(practice, now) -> bool:
    return practice.last_reviewed_at is not None and now - practice.last_reviewed_at > REVIEW_AFTER


def visible_practices(viewer, practice_cls, network_cls):
    """Clause: practices this viewer may find in lists, counts, maps, feeds and CSV
    (published, outside networks or in networks whose content the viewer may read)."""
    return (practice_cls.status == "published") & or_(
        practice_cls.network_id.is_(None),
        practice_cls.network_id.in_(select(network_cls.id).where(
            readable_networks(viewer, network_cls))))



def can_watch_practice(user, practice) -> bool:
    """Choosing how closely to follow a published practice one may read."""
    return is_signed_in(user) and is_practice_published(practice) and can_read_practice(
        user, practice)
