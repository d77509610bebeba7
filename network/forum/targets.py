"""Posts and threads as moderation sees them: registered with ``moderation.registry``
when this module is imported (``create_app`` does), so moderation acts on them
without importing forum."""
from sqlalchemy import String, literal, select
from sqlalchemy.orm import joinedload

from network.core import policy
from network.core.errors import NotFound
from network.core.text import excerpt
from network.core.time import utcnow
from network.forum.models import Post, Thread
from network.forum.services import (announce_post, announce_thread, delete_own_post,
                                    set_post_status, touch_network)
from network.extensions import db
from network.moderation.registry import ContentKind, register
from network.networks.models import Network
from network.notifications import watching
from network.search import index as search_index


def _post_statement():
    # Networks' topics load eagerly by default; nothing in moderation shows them.
    return select(Post).options(
        joinedload(Post.thread).joinedload(Thread.network).lazyload(Network.topics),
        joinedload(Post.author))


def _thread_readable(viewer, thread: Thread) -> bool:
    return (policy.can_read_network_content(viewer, thread.network)
            and policy.can_see_content(viewer, thread.network, thread.status, thread.author_id))


def _post_readable(viewer, post: Post) -> bool:
    return (_thread_readable(viewer, post.thread)
            and policy.can_see_content(viewer, post.thread.network, post.status, post.author_id))


def _pending_posts(viewer):
    """(kind, id, created_at) of waiting posts in networks the viewer moderates."""
    return (select(literal("post", String(10)).label("kind"), Post.id.label("id"),
                   Post.created_at.label("created_at"))
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.status == "pending", policy.moderated_content(viewer, Thread.network_id)))


def _opens_pending_thread(post: Post) -> bool:
    return post.number == 1 and post.thread.status == "pending"


def _post_approved(post: Post) -> None:
    """The thread a first post opens is shown with it; the post now counts: the
    network's activity moves and the thread's watchers are told."""
    if _opens_pending_thread(post):
        post.thread.status = "visible"
        search_index.index_thread(post.thread)
        touch_network(post.thread.network_id, utcnow())
        announce_thread(post.thread, post)  # those watching its network are told
        return
    announce_post(post, post.thread)


def _post_rejected(post: Post) -> None:
    if _opens_pending_thread(post):
        post.thread.status = "hidden"
        search_index.index_thread(post.thread)


def _withdraw(author, post: Post) -> None:
    """The author deletes their own post (NotFound once they may not see its thread)."""
    if not policy.can_see_thread(author, post.thread):
        raise NotFound()
    delete_own_post(author, post)


def _set_thread_status(thread: Thread, status: str) -> None:
    thread.status = status
    search_index.index_thread(thread)


register(ContentKind(
    name="post", model=Post, statement=_post_statement,
    network=lambda post: post.thread.network,
    set_status=set_post_status,
    text=lambda post: excerpt(post.body, 240),
    place=lambda post: f"{post.thread.title} ({post.thread.network.name})",
    url=lambda post: f"/posts/{post.id}",  # forum.post: redirects to the right page
    readable=_post_readable,
    pending=_pending_posts,
    removable=True,
    withdraw=_withdraw,
    queue_title=lambda post: (f"New thread “{post.thread.title}”"
                              if _opens_pending_thread(post) else None),
    approved=_post_approved,
    rejected=_post_rejected,
))

register(ContentKind(
    name="thread", model=Thread,
    statement=lambda: select(Thread).options(
        joinedload(Thread.network).lazyload(Network.topics), joinedload(Thread.author)),
    network=lambda thread: thread.network,
    set_status=_set_thread_status,
    text=lambda thread: thread.title,
    place=lambda thread: thread.network.name,
    url=lambda thread: f"/threads/{thread.id}",
    readable=_thread_readable,
))


def _thread_names(viewer, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Titles of the threads this viewer may still see (one query), for the list of
    what they watch; the rest stay unnamed."""
    threads = db.session.scalars(select(Thread).where(Thread.id.in_(ids))
                                 .options(joinedload(Thread.network).lazyload(Network.topics)))
    return {thread.id: (thread.title, f"/threads/{thread.id}")
            for thread in threads if policy.can_see_thread(viewer, thread)}


watching.register_names("thread", _thread_names)
