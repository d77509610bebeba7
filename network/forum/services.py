"""Threads and posts: the operations other domains may call.

Counter rule: ``Thread.post_count`` is the number of the thread's posts whose
status is ``visible``, and ``last_post_at``/``last_poster_id`` describe the
latest visible post (with none on show, ``last_poster_id`` is empty). Every
change of a post's status goes through ``set_post_status`` so they move in SQL,
in the same transaction.

Post numbers: ``Post.number`` is the post's 1-based position in its thread,
given at insert while the thread row is locked (the counter UPDATE takes the
row lock on PostgreSQL; SQLite write transactions begin IMMEDIATE), so two
replies at the same moment never share a number and no counter loses an update.
``Network.last_activity_at`` moves, in the same transaction, when a visible
thread or reply is posted.
"""
from sqlalchemy import case, exists, false, func, select, true, update

from network.core import cards, policy
from network.core.cache import remembered, writes_only
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import POST_STATUSES, Post, PostRevision, Thread
from network.moderation.log import deleted_by_moderators
from network.networks.models import Network
from network.notifications.mentions import notify_mentioned
from network.notifications import watching
from network.notifications.services import notify_people
from network.search import index as search_index

MAX_TITLE = 200
MAX_BODY = 20_000
POSTS_PER_PAGE = 25
THREADS_PER_PAGE = 30


def refresh_last_post(thread_id: int) -> None:
    """Point the thread's last-post fields at its latest visible post."""
    latest = db.session.execute(
        select(Post.created_at, Post.author_id).where(Post.thread_id == thread_id,
                                                      Post.status == "visible")
        .order_by(Post.number.desc()).limit(1)).first()
    if latest is not None:
        db.session.execute(update(Thread).where(Thread.id == thread_id)
                           .values(last_post_at=latest.created_at, last_poster_id=latest.author_id))
    else:
        # No post on show: name no one (a hidden post's author is not the last poster).
        db.session.execute(update(Thread).where(Thread.id == thread_id)
                           .values(last_poster_id=None))


def set_post_status(post: Post, status: str) -> None:
    """Change a post's status and keep the thread's counters right.
    Does not commit: the caller's action and this change commit together."""
    if status not in POST_STATUSES:
        raise Invalid(f"Unknown post status {status!r}.")
    old = post.status
    if old == status:
        return
    delta = (status == "visible") - (old == "visible")
    post.status = status
    search_index.index_post(post)
    if delta:
        db.session.execute(update(Thread).where(Thread.id == post.thread_id)
                           .values(post_count=Thread.post_count + delta))
        db.session.flush()
        refresh_last_post(post.thread_id)


# --- reading ----------------------------------------------------------------

def page_of(number: int) -> int:
    """The thread page (1-based) that shows post ``number``."""
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


def threads_clause(viewer, network):
    """Which of a network's threads this viewer sees in its list: visible ones,
    their own pending ones, and everything for the network's moderators."""
    if policy.can_moderate_network(viewer, network):
        return Thread.network_id == network.id
    own = (Thread.author_id == viewer.id) & (Thread.status == "pending") \
        if policy.is_signed_in(viewer) else false()
    return (Thread.network_id == network.id) & ((Thread.status == "visible") | own)


def has_pending_threads(viewer, network) -> bool:
    """Whether this viewer has threads in the network awaiting approval (which
    only they and moderators see in its list)."""
    if not policy.is_signed_in(viewer):
        return False
    return db.session.scalar(select(Thread.id).where(
        Thread.network_id == network.id, Thread.author_id == viewer.id,
        Thread.status == "pending").limit(1)) is not None


def thread_list(viewer, network):
    """Statement: the network's threads for this viewer, pinned first, then by
    last activity; authors and last posters loaded in the same query."""
    from sqlalchemy.orm import joinedload

    return (select(Thread).where(threads_clause(viewer, network))
            .options(joinedload(Thread.author), joinedload(Thread.last_poster))
            .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc()))


def last_number(thread_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.max(Post.number), 0))
                             .where(Post.thread_id == thread_id)) or 0


def last_shown_number(thread_id: int, viewer, moderating: bool) -> int:
    """The highest post number this viewer is shown. Others' pending posts are not
    shown, so they must not add a page: an empty last page would tell that one
    exists. One query, kept per content version (``core.cache.remembered``) and
    shared by every viewer: the viewer's own pending posts are picked out of it."""
    def load():
        pending_author = case((Post.status == "pending", Post.author_id))
        rows = db.session.execute(
            select(pending_author, func.max(Post.number)).where(Post.thread_id == thread_id)
            .group_by(pending_author)).all()
        return tuple((author_id, number) for author_id, number in rows)

    shown = [number for author_id, number in remembered(("post_numbers", thread_id), load)
             if moderating or author_id is None
             or (policy.is_signed_in(viewer) and author_id == viewer.id)]
    return max(shown, default=0)


def _on_page(thread_id: int, page: int):
    """Clause: the posts of one page of a thread, by post number (an index range,
    not an OFFSET)."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return (Post.thread_id == thread_id) & (Post.number >= first) & (
        Post.number < first + POSTS_PER_PAGE)


def posts_on_page(thread_id: int, page: int) -> list[Post]:
    """One page of a thread, with the authors in the same query."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Post).where(_on_page(thread_id, page))
        .options(joinedload(Post.author)).order_by(Post.number)))


def authors_on_page(thread_id: int, page: int) -> frozenset[int]:
    """Who wrote the posts on one page of a thread (one small query, no rows loaded,
    kept per content version)."""
    return remembered(("authors_on_page", thread_id, page), lambda: frozenset(db.session.scalars(
        select(Post.author_id).where(_on_page(thread_id, page)).distinct())))


def deleted_by_moderator(post_ids: list[int]) -> set[int]:
    """Of these deleted posts, those a moderator removed (one query)."""
    return deleted_by_moderators("post", post_ids)


def watch_level(user, thread_id: int) -> str:
    """watching, normal or muted (``notifications.watching``)."""
    return watching.level_of(user, "thread", thread_id)


def revisions(post_id: int) -> list[PostRevision]:
    return list(db.session.scalars(select(PostRevision).where(PostRevision.post_id == post_id)
                                   .order_by(PostRevision.created_at.desc(),
                                             PostRevision.id.desc())))


def quote_text(post: Post) -> str:
    """A Markdown blockquote of the post's source, with its author."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"{post.author.display_name} wrote:\n\n{quoted}\n\n"


def active_threads(viewer, limit: int = 5) -> list[Thread]:
    """The latest-active visible threads in networks the viewer may read (one query)."""
    from sqlalchemy.orm import contains_eager, joinedload

    return list(db.session.scalars(
        select(Thread).join(Network, Thread.network_id == Network.id)
        .where(policy.readable_networks(viewer, Network), Thread.status == "visible",
               Network.archived_at.is_(None))
        .options(contains_eager(Thread.network), joinedload(Thread.last_poster),
                 joinedload(Thread.author))  # named when folded for one who muted them
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(limit)).unique())


def latest_threads(network: Network, limit: int = 5) -> list[Thread]:
    """A network's visible threads, latest activity first (its home page), with their
    authors (named when folded away for one who muted them). Call only when the
    viewer may read them."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Thread).options(joinedload(Thread.author))
        .where(Thread.network_id == network.id, Thread.status == "visible")
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(limit)))


# --- writing ----------------------------------------------------------------

def _clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid("Enter a title.", field="title")
    if len(title) > MAX_TITLE:
        raise Invalid(f"Titles are {MAX_TITLE} characters or fewer.", field="title")
    return title


def _clean_body(body: str | None) -> str:
    body = (body or "").replace("\r\n", "\n")
    if not body.strip():
        raise Invalid("Write something before posting.", field="body")
    if len(body) > MAX_BODY:
        raise Invalid(f"Posts are {MAX_BODY:,} characters or fewer.", field="body")
    return body.strip("\n")


def _watch(user_id: int, thread_id: int) -> None:
    """Writing in a thread watches it, unless the person chose a level for it."""
    watching.watch_unless_chosen(user_id, "thread", thread_id, "watching")


def touch_network(network_id: int, when) -> None:
    db.session.execute(update(Network).where(Network.id == network_id)
                       .values(last_activity_at=when))


def create_thread(author, network, title: str, body: str) -> Thread:
    """Start a thread whose first post is number 1. Held for approval (thread
    and post 'pending', not counted) when the author needs pre-moderation.
    The author watches it. One commit."""
    if not policy.can_start_thread(author, network):
        raise PermissionDenied("You cannot start a thread in this network.")
    title, body = _clean_title(title), _clean_body(body)
    pending = policy.needs_premoderation(author)
    now = utcnow()
    thread = Thread(network_id=network.id, title=title, author_id=author.id, pinned=False,
                    locked=False, status="pending" if pending else "visible",
                    post_count=0 if pending else 1, last_post_at=now,
                    last_poster_id=None if pending else author.id, created_at=now)
    db.session.add(thread)
    db.session.flush()
    first = Post(thread_id=thread.id, number=1, author_id=author.id, body=body,
                 body_html=render_markdown(body),
                 status="pending" if pending else "visible", created_at=now)
    db.session.add(first)
    _watch(author.id, thread.id)
    search_index.index_thread(thread)
    search_index.index_post(first)
    cards.record("post", first.id, first.body_html)
    if not pending:
        touch_network(network.id, now)
        db.session.flush()
        announce_thread(thread, first)
    db.session.commit()
    return thread


def announce_thread(thread: Thread, first: Post) -> None:
    """A thread has become visible (started, or approved from the queue): tell those
    watching its network, who may read it, and anyone its first post mentions. Does
    not commit."""
    from network.accounts.models import User
    from network.networks.models import Membership

    watchers = (watching.at_level("network", thread.network_id)
                .join(User, User.id == watching.Watch.user_id)
                .where(watching.Watch.user_id != thread.author_id,
                       policy.thread_readers(thread, User, Membership)))
    notify_people(watchers, "new_thread", f"New thread in {thread.network.name}: {thread.title}",
                  url=f"/threads/{thread.id}", network_id=thread.network_id,
                  actor_id=thread.author_id)
    _notify_mentioned(first, thread)


def reply(author, thread: Thread, body: str) -> Post:
    """Add a post at the end of the thread: numbered while the thread row is
    locked, counted (when visible) in the same UPDATE, watchers notified, the
    author made a watcher. One commit."""
    if not policy.can_see_thread(author, thread):
        raise NotFound()
    may_post_if_locked = policy.can_post_in_locked_thread(author, thread)
    if thread.locked and not may_post_if_locked:
        raise PermissionDenied("This thread is locked: it takes no more replies.")
    if not policy.can_reply_to_thread(author, thread):
        raise PermissionDenied("You cannot reply in this thread.")
    body = _clean_body(body)
    pending = policy.needs_premoderation(author)
    now = utcnow()
    values = {"post_count": Thread.post_count + (0 if pending else 1)}
    if not pending:
        values.update(last_post_at=now, last_poster_id=author.id)
    # The UPDATE locks the row (PostgreSQL) and re-checks the state a moderator
    # may have changed since the page was loaded.
    locked = db.session.execute(
        update(Thread).where(Thread.id == thread.id, Thread.status == "visible",
                             true() if may_post_if_locked else Thread.locked == false())
        .values(**values).execution_options(synchronize_session=False))
    if locked.rowcount != 1:
        db.session.rollback()
        raise PermissionDenied("This thread is locked or was removed: it takes no more replies.")
    number = last_number(thread.id) + 1
    post = Post(thread_id=thread.id, number=number, author_id=author.id, body=body,
                body_html=render_markdown(body), status="pending" if pending else "visible",
                created_at=now)
    db.session.add(post)
    _watch(author.id, thread.id)
    search_index.index_post(post)
    cards.record("post", post.id, post.body_html)
    if not pending:
        db.session.flush()
        announce_post(post, thread, when=now)
    # Its thread, and lists and counts elsewhere (the network's, the home page's,
    # the watchers' notifications): other threads' pages stay cached.
    writes_only(f"thread:{thread.id}")
    db.session.commit()
    return post


def announce_post(post: Post, thread: Thread, when=None) -> None:
    """A post has become visible: move the network's last activity and tell the
    thread's watchers (except its author). Called by ``reply`` and, for posts
    approved from the moderation queue, after ``set_post_status(post, 'visible')``.
    Does not commit."""
    touch_network(thread.network_id, when or utcnow())
    if post.number > 1:
        _notify_watchers(thread, post)
    _notify_mentioned(post, thread)


def _notify_watchers(thread: Thread, post: Post) -> None:
    """Watchers who may still see the thread (not those who left its network since
    they began watching, nor members while a moderator has it hidden): one
    INSERT ... SELECT however many watch."""
    from network.accounts.models import User
    from network.networks.models import Membership

    watchers = (watching.at_level("thread", thread.id)
                .join(User, User.id == watching.Watch.user_id)
                .where(watching.Watch.user_id != post.author_id,
                       policy.thread_readers(thread, User, Membership)))
    notify_people(watchers, "reply", f"New reply in {thread.title}",
                  url=f"/posts/{post.id}",  # forum.post; built without a request
                  network_id=thread.network_id, actor_id=post.author_id)


def _notify_mentioned(post: Post, thread: Thread) -> None:
    """Those mentioned who may see the thread and have not muted it or its network."""
    notify_mentioned(post.author, post.body_html,
                     lambda person: policy.can_see_thread(person, thread),
                     f"in {thread.title}", url=f"/posts/{post.id}", network_id=thread.network_id,
                     muted=lambda ids: (watching.muted_by(ids, "thread", thread.id)
                                        | watching.muted_by(ids, "network", thread.network_id)))


def edit_post(editor, post: Post, body: str) -> Post:
    """Replace a post's text, keeping the previous text as a PostRevision. One commit."""
    if not policy.can_edit_post(editor, post, post.thread):
        raise PermissionDenied("You cannot edit this post.")
    body = _clean_body(body)
    if body == post.body:
        return post
    db.session.add(PostRevision(post_id=post.id, body=post.body, editor_id=editor.id,
                                created_at=utcnow()))
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = utcnow()
    search_index.index_post(post)
    cards.record("post", post.id, post.body_html)
    db.session.commit()
    return post


def delete_own_post(author, post: Post) -> None:
    """The author withdraws a post: status 'deleted', counters moved. One commit."""
    if post.status == "deleted":
        raise Conflict("That post was already deleted.")
    if not policy.can_delete_own_post(author, post):
        raise PermissionDenied("You cannot delete this post.")
    set_post_status(post, "deleted")
    db.session.commit()


def set_watch_level(user, thread: Thread, level: str) -> None:
    """Choose watching, normal or muted for a thread. Commits."""
    if not policy.can_watch_thread(user, thread):
        raise PermissionDenied()
    # Take the thread row lock, as a reply does, so a reply by the same person
    # at the same moment cannot insert the same watch.
    db.session.execute(select(Thread.id).where(Thread.id == thread.id).with_for_update())
    watching.set_level(user.id, "thread", thread.id, level)
    db.session.commit()
