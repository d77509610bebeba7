"""Telling a network's watchers that an article has arrived, exactly once.

An article published now is announced by the save that publishes it
(``services``); one scheduled for later goes live with the clock alone, so
``flask articles announce-due`` (every few minutes, from a timer) announces the
articles whose time has come. ``Article.announced_at`` records that an article
was announced: whoever sets it first, in a conditional UPDATE, is the one who
tells its watchers, in the same transaction, so several machines may run the
command at once and an article is never announced twice (nor again when it is
withdrawn and published once more).

Only the network's watchers who may read its content are told, as for a new
thread; an article outside any network is announced to nobody (it is simply
marked announced).

Nor is an article whose network was archived, or whose author was suspended or
deleted, by the time it goes live (``policy.is_article_news``): it is marked
announced all the same, so it is never told later, when the network is reopened or
the suspension ends and the article is no longer news. An archived network's
activity does not move.
"""
from datetime import datetime
from typing import Callable

from sqlalchemy import select, update

from network.accounts.models import User
from network.articles.models import Article
from network.core import policy
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Membership, Network
from network.notifications import watching
from network.notifications.services import notify_people


def tell_network_watchers(article: Article) -> None:
    """An article has gone live in a network: those watching the network who may read
    it are told (one INSERT ... SELECT, in the caller's transaction), unless it is not
    news (``policy.is_article_news``). Builds no row of the article itself, so it does
    not flush it early."""
    if not policy.is_article_news(article):
        return
    watchers = (watching.at_level("network", article.network.id)
                .join(User, User.id == watching.Watch.user_id)
                .where(watching.Watch.user_id != article.author_id,
                       policy.network_content_readers(article.network, User, Membership)))
    notify_people(watchers, "new_article",
                  f"New article in {article.network.name}: {article.title}",
                  url=f"/articles/{article.slug}", network_id=article.network.id,
                  actor_id=article.author_id)


def claim(article_id: int, now: datetime) -> bool:
    """Mark a live article announced, if nobody has yet: True when this transaction
    did (and so must tell its watchers before committing). On PostgreSQL a second
    claimant waits for the first one's commit and then finds nothing to change; on
    SQLite the write lock keeps them apart."""
    claimed = db.session.execute(
        update(Article)
        .where(Article.id == article_id, Article.announced_at.is_(None),
               Article.status == "published", Article.published_at <= now)
        .values(announced_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def due(now: datetime):
    """SELECT of the ids of articles live by ``now`` and not announced, oldest first."""
    return (select(Article.id)
            .where(Article.status == "published", Article.published_at <= now,
                   Article.announced_at.is_(None))
            .order_by(Article.published_at, Article.id))


def announce(article_id: int, now: datetime) -> bool:
    """Announce one article whose time has come, unless someone else has or it is no
    longer live: its network's watchers are told and the network moves up the
    "recent activity" sort, in one transaction with the claim. An article that is
    not news is only marked announced (and moves its network, unless archived).
    Commits; True when this call claimed it."""
    if not claim(article_id, now):
        db.session.rollback()
        return False
    article = db.session.get(Article, article_id, populate_existing=True)
    if article.network is not None and not article.network.is_archived:
        # Activity as of the article's own time, never moving the network back.
        db.session.execute(update(Network)
                           .where(Network.id == article.network_id,
                                  Network.last_activity_at < article.published_at)
                           .values(last_activity_at=article.published_at)
                           .execution_options(synchronize_session=False))
    if article.network is not None:
        tell_network_watchers(article)
    db.session.commit()
    return True


def announce_due(now: datetime | None = None, progress: Callable | None = None) -> int:
    """Announce every article live by ``now`` (default: the present) and not yet
    announced, each in its own transaction (``announce``), so a long run holds no
    lock for long and a failure keeps what was done. ``progress`` wraps the list of
    ids (a progress bar). Returns how many this run announced (counting those only
    marked announced, not being news); articles another run claimed first are skipped."""
    now = now or utcnow()
    ids = list(db.session.scalars(due(now)))
    db.session.commit()  # end the read before the first claim
    steps = progress(ids) if progress is not None else ids
    return sum(announce(article_id, now) for article_id in steps)
