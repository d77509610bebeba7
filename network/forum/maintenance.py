"""What ``flask render-all`` re-renders and ``flask recount`` checks in the forum
(network/commands.py)."""
from sqlalchemy import func, or_, select

from network.core.counters import Counter
from network.core.rendering import RenderedField
from network.core.text import render_markdown
from network.forum.models import Post, Thread

RENDERED_FIELDS = [RenderedField(Post, "body", "body_html", render_markdown)]


def _visible_posts():
    return (select(func.count(Post.id))
            .where(Post.thread_id == Thread.id, Post.status == "visible").scalar_subquery())


def _latest_visible(column):
    return (select(column).where(Post.thread_id == Thread.id, Post.status == "visible")
            .order_by(Post.number.desc()).limit(1).scalar_subquery())


def _has_visible_post():
    return select(Post.id).where(Post.thread_id == Thread.id, Post.status == "visible").exists()


COUNTERS = [
    Counter("thread.post_count", Thread,
            lambda: Thread.post_count != _visible_posts(),
            lambda: {"post_count": _visible_posts()}),
    # Threads with no visible post keep their last-post time and name no one:
    # the author of a hidden or pending post is never shown as the last poster.
    Counter("thread.last_post", Thread,
            lambda: or_(_has_visible_post() & or_(
                Thread.last_post_at != _latest_visible(Post.created_at),
                Thread.last_poster_id.is_(None),
                Thread.last_poster_id != _latest_visible(Post.author_id)),
                ~_has_visible_post() & Thread.last_poster_id.is_not(None)),
            lambda: {"last_post_at": func.coalesce(_latest_visible(Post.created_at),
                                                   Thread.last_post_at),
                     "last_poster_id": _latest_visible(Post.author_id)}),
]
