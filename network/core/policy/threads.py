"""Discussion threads and their posts: who may see, start, reply, edit and watch.

``thread_access`` and ``post_access`` are the one question a view asks about a
thread or a post; they read the network's verdict once and add the item's own.
"""
from sqlalchemy import exists, true

from network.core.policy.moderation import can_see_content
from network.core.policy.networks import (Access, can_moderate_network, can_post_in_network,
                                          network_access)
from network.core.policy.people import acting_staff, can_post, is_signed_in


def _thread_shown(user, thread) -> bool:
    """The thread's own state, once its network's content is readable: visible to
    all; pending to its author and moderators; hidden to moderators only."""
    if thread.status == "visible":
        return True
    if can_moderate_network(user, thread.network):
        return True
    return thread.status == "pending" and is_signed_in(user) and thread.author_id == user.id


def thread_access(user, thread) -> Access:
    """READABLE: show the thread. MEMBERS_ONLY: its network is closed to this viewer
    (the "for members" page). NOT_FOUND: no such thread for this viewer (missing, in
    a private network they do not belong to, or pending or hidden from them)."""
    if thread is None:
        return Access.NOT_FOUND
    access = network_access(user, thread.network)
    if access is not Access.READABLE:
        return access
    return Access.READABLE if _thread_shown(user, thread) else Access.NOT_FOUND


def can_see_thread(user, thread) -> bool:
    """The thread page: its network's content is readable, and the thread is
    visible (pending: its author and moderators; hidden: moderators only). Keep
    in step with ``thread_readers``."""
    return thread_access(user, thread) is Access.READABLE


def can_see_post_text(user, post, network) -> bool:
    """``can_see_content`` for a post: the one rule for the text of posts and
    comments alike."""
    return can_see_content(user, network, post.status, post.author_id)


def post_access(user, post) -> Access:
    """The thread's verdict, then the post's own: hidden and deleted posts keep
    their place (a placeholder); a pending one exists only for those who may read
    its text."""
    if post is None:
        return Access.NOT_FOUND
    access = thread_access(user, post.thread)
    if access is Access.READABLE and post.status == "pending" \
            and not can_see_post_text(user, post, post.thread.network):
        return Access.NOT_FOUND
    return access


def can_start_thread(user, network) -> bool:
    return can_post_in_network(user, network)


def can_post_in_locked_thread(user, thread) -> bool:
    """A locked thread takes replies only from its moderators (site staff and the
    network's managers), so they can say why it was locked; they must still be
    allowed to post, and the network must not be archived."""
    return (can_post(user) and can_moderate_network(user, thread.network)
            and not thread.network.is_archived)


def can_reply_to_thread(user, thread) -> bool:
    """Members who may post there reply to visible open threads; in a locked one,
    only its moderators (``can_post_in_locked_thread``)."""
    if thread.status != "visible":
        return False
    if thread.locked:
        return can_post_in_locked_thread(user, thread)
    return can_post_in_network(user, thread.network)


def can_edit_post(user, post, thread) -> bool:
    """Authors edit their own visible or pending posts while they may post there."""
    return (is_signed_in(user) and post.author_id == user.id
            and post.status in ("visible", "pending") and not thread.locked
            and thread.status != "hidden" and can_post_in_network(user, thread.network))


def can_delete_own_post(user, post) -> bool:
    """Authors withdraw their own posts, except in an archived network (read-only)."""
    return (is_signed_in(user) and post.author_id == user.id and not user.is_suspended
            and post.status in ("visible", "pending")
            and not post.thread.network.is_archived)


def can_read_post_history(user, network) -> bool:
    return can_moderate_network(user, network)


def can_watch_thread(user, thread) -> bool:
    return is_signed_in(user) and can_see_thread(user, thread)


def thread_readers(thread, user_cls, membership_cls):
    """Clause on users: those who may see this thread now (``can_see_thread`` in
    SQL), so its watchers who have left the network, or cannot see a hidden
    thread, are told nothing. Keep in step with ``can_see_thread``."""
    staff = acting_staff(user_cls)

    def holds(*roles):
        return exists().where(membership_cls.user_id == user_cls.id,
                              membership_cls.network_id == thread.network_id,
                              membership_cls.role.in_(roles))

    moderators = staff | holds("manager")
    readers = network_content_readers(thread.network, user_cls, membership_cls)
    if thread.status == "visible":
        return readers
    if thread.status == "pending":
        return readers & (moderators | (user_cls.id == thread.author_id))
    return readers & moderators


def network_content_readers(network, user_cls, membership_cls):
    """Clause on users: those who may read this network's threads and articles now
    (``can_read_network_content`` in SQL): everyone for an open network, otherwise
    its members and site staff."""
    if network.visibility == "open":
        return true()
    staff = acting_staff(user_cls)
    return staff | exists().where(membership_cls.user_id == user_cls.id,
                                  membership_cls.network_id == network.id,
                                  membership_cls.role.in_(("member", "manager")))
