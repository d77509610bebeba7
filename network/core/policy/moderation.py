"""Moderation: the review queue and log, who moderates what, flagging, sanctions,
and the one rule for whether a post's, comment's or thread's text may be seen."""
from datetime import timedelta

from sqlalchemy import exists, false, true

from network.core.policy.articles import readable_articles
from network.core.policy.networks import can_moderate_network, managed_network_ids
from network.core.policy.people import (acting_staff, can_moderate_site, holds_staff_role,
                                        is_signed_in, is_staff)


def can_see_review_queue(user) -> bool:
    """Site moderators, and managers of at least one network (their networks only)."""
    return is_staff(user) or bool(managed_network_ids(user))


def can_view_moderation_log(user) -> bool:
    return can_see_review_queue(user)


def can_moderate_content(user, network) -> bool:
    """Content outside any network: site moderators only; inside one: its managers too."""
    if network is None:
        return is_staff(user)
    return can_moderate_network(user, network)


def moderated_content(viewer, network_column):
    """Clause on content by its network id: ``can_moderate_content`` in SQL (everything
    for site moderators; their own networks for managers; content outside networks
    for site moderators only)."""
    if is_staff(viewer):
        return true()
    managed = managed_network_ids(viewer)
    return network_column.in_(managed) if managed else false()


def reviewable_comments(viewer, comment_cls, article_cls, network_cls, now):
    """Clause on comments joined to their articles: those the review queue lists,
    counts and lets this viewer act on. The queue's actions refuse a comment unless
    the viewer may read its article (``can_read_article``: drafts, scheduled and
    withdrawn articles are for their author and admins) and moderates where it is
    (``can_moderate_content``); this is those two rules in SQL, so nothing waits in
    the queue that the viewer could never act on, and no text leaks through it."""
    return (moderated_content(viewer, article_cls.network_id)
            & readable_articles(viewer, article_cls, network_cls, now))


def can_see_content(user, network, status: str, author_id: int | None) -> bool:
    """May this viewer see one post, comment or thread (already inside something they
    may read)? Visible content: yes. Pending: its author and moderators. Hidden or
    deleted: its moderators only (they review flags on it); everyone else gets a 404.
    The one rule for posts and comments alike: ``can_see_post_text`` and
    ``can_see_comment_text`` ask it, so a network's managers read pending and hidden
    items in their own network whichever kind they are."""
    if status == "visible":
        return True
    if status == "pending" and is_signed_in(user) and user.id == author_id:
        return True
    return can_moderate_content(user, network)


def can_decide_on(user, author_id: int | None) -> bool:
    """Nobody judges their own case: approving, rejecting, upholding or dismissing flags
    is for someone other than the content's author."""
    return is_signed_in(user) and user.id != author_id


def own_content(viewer, author_column):
    """Clause on content by its author column: this viewer wrote it (the SQL twin of
    ``not can_decide_on``; the review queue leaves these rows out)."""
    return author_column == viewer.id if is_signed_in(viewer) else false()


def approval_counts_for_trust(actor, author_id: int | None, network) -> bool:
    """Trust is earned from other people's decisions: an approval counts towards the
    author's ``trusted`` only when made by site staff, or by a manager of a network
    the author did not create (a founder's own co-managers do not vouch for them)."""
    if not can_decide_on(actor, author_id):
        return False
    if is_staff(actor):
        return True
    return (network is not None and network.created_by_id != author_id
            and can_moderate_network(actor, network))


ESTABLISHED_AFTER = timedelta(days=7)


def can_be_hidden_by_flags(author) -> bool:
    """Flags alone never hide the words of staff or trusted members: their moderators
    are told instead, and a person decides."""
    return author is not None and not holds_staff_role(author) and not author.trusted


def established_flaggers(user_cls, membership_cls, network_id: int | None, now):
    """Clause on users: those whose flags count towards hiding content automatically.
    Trusted members and staff; for content in a network, its members of at least
    ESTABLISHED_AFTER; for content outside any network (article comments), accounts at
    least ESTABLISHED_AFTER old. A handful of new accounts cannot hide anyone's words."""
    settled = now - ESTABLISHED_AFTER
    staff = acting_staff(user_cls)
    if network_id is None:
        standing = user_cls.created_at <= settled
    else:
        standing = exists().where(membership_cls.user_id == user_cls.id,
                                  membership_cls.network_id == network_id,
                                  membership_cls.created_at <= settled)
    speaking = user_cls.silenced_until.is_(None) | (user_cls.silenced_until <= now)
    return (user_cls.trusted | staff | standing) & speaking


def can_flag_content(user, author_id: int | None) -> bool:
    """Signed-in people may flag what they can see, except their own words."""
    return is_signed_in(user) and not user.is_suspended and user.id != author_id


def can_sanction_member(actor, member) -> bool:
    """Silence, suspend, trust: site moderators, over members and associates, never staff
    (admins change staff in /admin) and never themselves."""
    return (can_moderate_site(actor) and member is not None and not holds_staff_role(member)
            and actor.id != member.id)
