"""A thread's own moderation: pinning, locking and moving it to another network,
each logged with its reason (hiding and deleting are moderation's, through the
kinds forum registers in ``forum/targets.py``)."""
from sqlalchemy import String, cast, literal, select, update

from network.core import policy
from network.core.errors import Conflict, Invalid, PermissionDenied
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.forum.services import touch_network
from network.moderation.log import clean_reason, move_flags, record_action
from network.networks.models import Network
from network.notifications.models import Notification
from network.search import index as search_index


def _require_moderator(actor, network) -> None:
    if not policy.can_moderate_network(actor, network):
        raise PermissionDenied("Only this network's moderators can do that.")


def _set_flag(actor, thread: Thread, column: str, value: bool, reason: str,
              actions: tuple[str, str], already: tuple[str, str]) -> None:
    """Set ``thread.<column>`` to ``value``, logged as ``actions[0]`` (set) or
    ``actions[1]`` (cleared) with the reason; refused if it is already so. One commit."""
    _require_moderator(actor, thread.network)
    reason = clean_reason(reason)
    if getattr(thread, column) == value:
        raise Conflict("This thread is already " + (already[0] if value else already[1]))
    setattr(thread, column, value)
    search_index.index_thread(thread)
    record_action(actor, actions[0] if value else actions[1], "thread", thread.id,
                  reason, network_id=thread.network_id)
    db.session.commit()


def set_pinned(actor, thread: Thread, pinned: bool, reason: str) -> None:
    """Pin or unpin, logged with the reason. One commit."""
    _set_flag(actor, thread, "pinned", pinned, reason, ("pin_thread", "unpin_thread"),
              ("pinned.", "not pinned."))


def set_locked(actor, thread: Thread, locked: bool, reason: str) -> None:
    """Lock (no more replies) or unlock, logged with the reason. One commit."""
    _set_flag(actor, thread, "locked", locked, reason, ("lock_thread", "unlock_thread"),
              ("locked.", "unlocked."))


def _move_notifications(thread_id: int, source_id: int, target_id: int) -> None:
    """Notifications about the thread's posts follow it to its new network, so they
    are listed only to people who may see it there (a thread moved into a private
    network must not stay visible through old "New reply in <title>" notices)."""
    post_urls = select(literal("/posts/") + cast(Post.id, String)).where(
        Post.thread_id == thread_id)
    db.session.execute(update(Notification).where(
        Notification.network_id == source_id, Notification.url.in_(post_urls))
        .values(network_id=target_id))


def move_thread(actor, thread: Thread, target: Network, reason: str) -> None:
    """Move a thread to another network the actor also moderates; both
    networks' last activity moves to now. One commit."""
    _require_moderator(actor, thread.network)
    reason = clean_reason(reason)
    if target is None or not policy.can_moderate_network(actor, target):
        raise Invalid("Choose a network you moderate.", field="network")
    if target.id == thread.network_id:
        raise Invalid("The thread is already in that network.", field="network")
    source_id = thread.network_id
    now = utcnow()
    thread.network_id = target.id
    thread.network = target
    move_flags("thread", [thread.id], target.id)
    move_flags("post", select(Post.id).where(Post.thread_id == thread.id), target.id)
    _move_notifications(thread.id, source_id, target.id)
    touch_network(source_id, now)
    touch_network(target.id, now)
    record_action(actor, "move_thread", "thread", thread.id, reason, network_id=source_id,
                  detail=f"to network {target.id}")
    search_index.index_thread(thread)
    db.session.commit()
