"""Comments as moderation sees them: registered with ``moderation.registry`` when
this module is imported (``create_app`` does), so moderation acts on them without
importing articles."""
from sqlalchemy import String, literal, select
from sqlalchemy.orm import joinedload, lazyload

from network.articles.models import Article, Comment
from network.articles.comments import announce_comment, set_comment_status
from network.core import policy
from network.core.text import excerpt
from network.core.time import utcnow
from network.extensions import db
from network.moderation.registry import ContentKind, Subject, register, register_subject
from network.networks.models import Network


def _statement():
    # Networks' topics and articles' tags load eagerly by default; nothing here shows them.
    return select(Comment).options(
        joinedload(Comment.article).lazyload(Article.tags),
        joinedload(Comment.article).joinedload(Article.network).lazyload(Network.topics),
        joinedload(Comment.author))


def _readable(viewer, comment: Comment) -> bool:
    return (policy.can_read_article(viewer, comment.article, utcnow())
            and policy.can_see_content(viewer, comment.article.network, comment.status,
                                       comment.author_id))


def _reviewable(viewer):
    """Clause: comments the viewer may act on (``policy.reviewable_comments``)."""
    return policy.reviewable_comments(viewer, Comment, Article, Network, utcnow())


def _pending(viewer):
    return (select(literal("comment", String(10)).label("kind"), Comment.id.label("id"),
                   Comment.created_at.label("created_at"))
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.status == "pending", _reviewable(viewer)))


def _place(comment: Comment) -> str:
    article = comment.article
    return article.title + (f" ({article.network.name})" if article.network else "")


register(ContentKind(
    name="comment", model=Comment, statement=_statement,
    network=lambda comment: comment.article.network,
    set_status=set_comment_status,
    text=lambda comment: excerpt(comment.body, 240),
    place=_place,
    url=lambda comment: f"/comments/{comment.id}",  # articles.comment: the right page
    readable=_readable,
    pending=_pending,
    reviewable_ids=lambda viewer: (select(Comment.id)
                                   .join(Article, Article.id == Comment.article_id)
                                   .where(_reviewable(viewer))),
    unreadable="on an article that is not published",
    removable=True,
    approved=announce_comment,
))


def _article_names(viewer, ids: set[int]) -> dict[int, tuple[str, str | None]]:
    """Titles of the articles this reader may read (one query); the rest stay unnamed."""
    now = utcnow()
    articles = db.session.scalars(
        select(Article).where(Article.id.in_(ids))
        .options(lazyload(Article.tags),
                 joinedload(Article.network).lazyload(Network.topics))).unique()
    return {article.id: (f"article “{article.title}”", f"/articles/{article.slug}")
            for article in articles if policy.can_read_article(viewer, article, now)}


register_subject(Subject(name="article", names=_article_names, unnamed="an article"))
