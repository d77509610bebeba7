"""What one domain's pages show of the others, wired here because the site is
the level that knows every domain (create_app calls ``register``):

- a network's home page lists its latest discussions and articles and its next
  events (network/networks/contents.py);
- a profile lists the member's recent articles, comments and posts
  (network/accounts/activity.py);
- a post, article or comment that links to a practice shows its card
  (network/core/cards.py, answered by network/practices/mentions.py).

Activity shows only content the viewer may read, and never content in a private
network: a profile must not reveal that a private network exists. Kinds whose
pages are not part of this app are left out.
"""
from flask import Flask, url_for
from sqlalchemy import or_, select

from network.accounts.activity import Activity, register_source
from network.articles.models import Article, Comment
from network.articles.services import latest_network_articles
from network.core import cards, policy
from network.core.time import utcnow
from network.events.queries import upcoming_in_network
from network.extensions import db
from network.forum.models import Post, Thread
from network.forum.services import latest_threads
from network.networks.contents import register_latest
from network.networks.models import Network
from network.practices import mentions


def register(app: Flask) -> None:
    """Call after the blueprints are registered."""
    if "articles.article" in app.view_functions:
        register_latest(app, "articles", latest_network_articles)
        register_source(app, article_activity)
    if "forum.thread" in app.view_functions:
        register_latest(app, "threads", latest_threads)
        register_source(app, post_activity)
    if "events.event" in app.view_functions:
        register_latest(app, "events", upcoming_in_network)
    if "practices.practice" in app.view_functions:
        cards.register(app, mentions.CARD_KIND)
    from network.site import people_data

    people_data.register(app)  # the data export and account deletion (issue 14)


def _public_network_ids(viewer):
    return select(Network.id).where(policy.readable_networks(viewer, Network),
                                    Network.visibility != "private")


def published_articles_clause(viewer):
    now = utcnow()
    return (Article.status == "published") & (Article.published_at <= now) & or_(
        Article.network_id.is_(None), Article.network_id.in_(_public_network_ids(viewer)))


def article_activity(member, viewer, limit: int) -> list[Activity]:
    """The member's published articles and visible comments on them (two queries)."""
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
    return ([Activity("article", title, url_for("articles.article", slug=slug), when)
             for slug, title, when in articles]
            + [Activity("comment", f"Commented on “{title}”",
                        url_for("articles.comment", comment_id=cid), when)
               for cid, slug, title, when in comments])


def post_activity(member, viewer, limit: int) -> list[Activity]:
    """The member's visible posts in visible threads of public networks (one query)."""
    posts = db.session.execute(
        select(Post.id, Thread.title, Post.created_at)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Post.author_id == member.id, Post.status == "visible",
               Thread.status == "visible",
               Thread.network_id.in_(_public_network_ids(viewer)))
        .order_by(Post.created_at.desc()).limit(limit)).all()
    return [Activity("post", f"Posted in “{title}”", url_for("forum.post", post_id=pid), when)
            for pid, title, when in posts]
