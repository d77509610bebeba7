"""A member's recent public activity, as the viewer may see it (profile page).

Content in networks the viewer cannot read never appears, and content in
private networks never appears at all: a profile must not reveal that a
private network exists.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import or_, select

from network.articles.models import Article, Comment
from network.core import policy
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Network


def _has(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


@dataclass
class Activity:
    kind: str
    title: str
    url: str
    when: datetime


def _public_network_ids(viewer):
    return select(Network.id).where(policy.readable_networks(viewer, Network),
                                    Network.visibility != "private")


def published_articles_clause(viewer):
    now = utcnow()
    return (Article.status == "published") & (Article.published_at <= now) & or_(
        Article.network_id.is_(None), Article.network_id.in_(_public_network_ids(viewer)))


def recent_activity(member, viewer, limit: int = 10) -> list[Activity]:
    """Up to ``limit`` items, newest first, in three queries whatever the history.

    Kinds whose pages are not part of this app (yet) are left out.
    """
    if not _has("articles.article"):
        articles = comments = []
    else:
        articles = db.session.execute(
            select(Article.slug, Article.title, Article.published_at)
            .where(Article.author_id == member.id, published_articles_clause(viewer))
            .order_by(Article.published_at.desc()).limit(limit)).all()
        comments = db.session.execute(
            select(Comment.id, Article.slug, Article.title, Comment.created_at)
            .join(Article, Comment.article_id == Article.id)
            .where(Comment.author_id == member.id, Comment.status == "visible",
                   published_articles_clause(viewer))
            .order_by(Comment.created_at.desc()).limit(limit)).all()
    posts = [] if not _has("forum.thread") else db.session.execute(
        select(Post.id, Thread.id, Thread.title, Post.created_at)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Post.author_id == member.id, Post.status == "visible",
               Thread.status == "visible",
               Thread.network_id.in_(_public_network_ids(viewer)))
        .order_by(Post.created_at.desc()).limit(limit)).all()
    items = [Activity("article", title, url_for("articles.article", slug=slug), when)
             for slug, title, when in articles]
    items += [Activity("comment", f"Commented on “{title}”",
                       url_for("articles.article", slug=slug) + f"#comment-{cid}", when)
              for cid, slug, title, when in comments]
    items += [Activity("post", f"Posted in “{title}”",
                       url_for("forum.post", post_id=pid), when)
              for pid, tid, title, when in posts]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]
