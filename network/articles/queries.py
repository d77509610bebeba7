"""What the article pages load besides the article itself: the author or network a
list is filtered by, a comment by id, the comment a reply starts from. Each is one
query; access is checked by the caller (views ask ``core.policy``)."""
from sqlalchemy import func, select

from network.accounts.models import User
from network.articles.models import Comment
from network.extensions import db
from network.networks.models import Network


def author_named(username: str) -> User | None:
    """The person with this username (any case), or None."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def network_with_slug(slug: str) -> Network | None:
    return db.session.scalar(select(Network).where(Network.slug == slug))


def comment(comment_id: int) -> Comment | None:
    return db.session.get(Comment, comment_id)


def reply_target(article, comment_id: int | None) -> Comment | None:
    """The comment of this article a reply may start from: one on show, or None."""
    if comment_id is None:
        return None
    target = db.session.get(Comment, comment_id)
    if target is None or target.article_id != article.id or target.status != "visible":
        return None
    return target
