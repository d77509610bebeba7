"""Every stored counter, recomputed from the rows (``flask recount``).

Counters are kept by the services in the same transaction as the change they
summarise (DESIGN section 7); this is the check that they were, and the repair
when they were not. Each counter is one UPDATE of the rows whose stored value
differs from the value computed from the rows, so the drift is the number of
rows that were wrong.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, or_, select, update

from network.extensions import db


@dataclass
class Counter:
    name: str
    model: type
    wrong: Callable  # () -> clause selecting rows whose stored value is wrong
    values: Callable  # () -> {column: computed expression}


def _counters() -> list[Counter]:
    from network.articles.models import Article, Comment
    from network.forum.models import Post, Thread
    from network.networks.models import Membership, Network
    from network.practices.models import Adoption, Practice

    def visible_posts():
        return (select(func.count(Post.id))
                .where(Post.thread_id == Thread.id, Post.status == "visible").scalar_subquery())

    def latest_visible(column):
        return (select(column).where(Post.thread_id == Thread.id, Post.status == "visible")
                .order_by(Post.number.desc()).limit(1).scalar_subquery())

    def has_visible_post():
        return select(Post.id).where(Post.thread_id == Thread.id,
                                     Post.status == "visible").exists()

    def visible_comments():
        return (select(func.count(Comment.id))
                .where(Comment.article_id == Article.id, Comment.status == "visible")
                .scalar_subquery())

    def members():
        return (select(func.count(Membership.id))
                .where(Membership.network_id == Network.id).scalar_subquery())

    def adoptions():
        return (select(func.count(Adoption.id))
                .where(Adoption.practice_id == Practice.id).scalar_subquery())

    return [
        Counter("thread.post_count", Thread,
                lambda: Thread.post_count != visible_posts(),
                lambda: {"post_count": visible_posts()}),
        # Threads with no visible post keep their last-post time and name no one:
        # the author of a hidden or pending post is never shown as the last poster.
        Counter("thread.last_post", Thread,
                lambda: or_(has_visible_post() & or_(
                    Thread.last_post_at != latest_visible(Post.created_at),
                    Thread.last_poster_id.is_(None),
                    Thread.last_poster_id != latest_visible(Post.author_id)),
                    ~has_visible_post() & Thread.last_poster_id.is_not(None)),
                lambda: {"last_post_at": func.coalesce(latest_visible(Post.created_at),
                                                       Thread.last_post_at),
                         "last_poster_id": latest_visible(Post.author_id)}),
        Counter("article.comment_count", Article,
                lambda: Article.comment_count != visible_comments(),
                lambda: {"comment_count": visible_comments()}),
        Counter("network.member_count", Network,
                lambda: Network.member_count != members(),
                lambda: {"member_count": members()}),
        Counter("practice.adoption_count", Practice,
                lambda: Practice.adoption_count != adoptions(),
                lambda: {"adoption_count": adoptions()}),
    ]


def recount(progress: Callable | None = None) -> dict[str, int]:
    """Correct every stored counter; returns {counter name: rows that were wrong}.
    ``progress`` wraps the list of counters (for example with tqdm). One commit."""
    counters = _counters()
    drift: dict[str, int] = {}
    for counter in (progress(counters) if progress else counters):
        result = db.session.execute(update(counter.model).where(counter.wrong())
                                    .values(**counter.values())
                                    .execution_options(synchronize_session=False))
        drift[counter.name] = result.rowcount or 0
    db.session.commit()
    return drift
