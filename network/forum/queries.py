"""What the forum's pages load: one thread, one post, a post to quote, the networks a
thread may move to. Each is one query; access is checked by the caller (views ask
``core.policy`` before showing anything)."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from network.core import policy
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Network


def thread_with_network(thread_id: int) -> Thread | None:
    """The thread with its network and author (the network's topics are not shown on
    thread pages: they are never loaded)."""
    return db.session.scalar(
        select(Thread).where(Thread.id == thread_id)
        .options(joinedload(Thread.network).raiseload(Network.topics),
                 joinedload(Thread.author)))


def post_with_thread(post_id: int) -> Post | None:
    """The post with its thread, the thread's network and the post's author."""
    return db.session.scalar(
        select(Post).where(Post.id == post_id)
        .options(joinedload(Post.thread).joinedload(Thread.network), joinedload(Post.author)))


def quotable_post(thread_id: int, post_id: int) -> Post | None:
    """A visible post of this thread, with its author, or None."""
    return db.session.scalar(select(Post).where(
        Post.id == post_id, Post.thread_id == thread_id,
        Post.status == "visible").options(joinedload(Post.author)))


def move_choices(viewer, thread: Thread) -> list[tuple[int, str]]:
    """(id, name) of the open networks the viewer moderates, other than the thread's own
    (one query)."""
    stmt = select(Network.id, Network.name).where(Network.id != thread.network_id,
                                                  Network.archived_at.is_(None))
    if not policy.is_staff(viewer):
        stmt = stmt.where(Network.id.in_(policy.managed_network_ids(viewer)))
    return [(row.id, row.name) for row in db.session.execute(stmt.order_by(Network.name))]


def network_by_id(network_id) -> Network | None:
    """The network with this id, or None (for a choice a form sent back)."""
    return db.session.get(Network, network_id) if network_id is not None else None
