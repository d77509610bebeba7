"""Articles and their comments: who may read, write, comment, edit and close."""
from datetime import timedelta

from sqlalchemy import inspect, or_, select, true

from network.core.policy.networks import (Access, can_read_network_content, can_view_network,
                                          is_network_manager, managed_network_ids,
                                          readable_networks, visible_networks)
from network.core.policy.people import (can_post, can_write_articles, is_admin, is_signed_in,
                                        is_staff)

COMMENT_EDIT_MINUTES = 15


def is_article_author(user, article) -> bool:
    return is_signed_in(user) and article is not None and article.author_id == user.id


def is_article_live(article, now) -> bool:
    """Published and its publication time has come."""
    return (article.status == "published" and article.published_at is not None
            and article.published_at <= now)


def is_article_news(article) -> bool:
    """Whether an article that goes live is told to its network's watchers: not when
    its network is archived (read-only, no activity) nor when its author is suspended
    or has deleted their account. Reading it follows ``can_read_article`` as ever."""
    author = article.author
    return (not in_archived_network(article) and author is not None
            and author.deleted_at is None and not author.is_suspended)


def can_read_article(user, article, now) -> bool:
    """Drafts, scheduled and withdrawn articles: the author and admins only.
    Published ones follow their network: open or none -> everyone; closed or
    private -> that network's members and staff. Keep in step with
    ``readable_articles``."""
    if article is None:
        return False
    if article.network is not None and not can_view_network(user, article.network):
        return False
    if is_article_author(user, article) or is_admin(user):
        return True
    if not is_article_live(article, now):
        return False
    return article.network is None or can_read_network_content(user, article.network)


def can_edit_article(user, article) -> bool:
    return (can_post(user) and is_article_author(user, article)
            and can_write_articles(user)) or (is_admin(user) and article is not None)


def can_moderate_article(user, article) -> bool:
    """Site staff everywhere; a network's managers for articles in their network."""
    return is_staff(user) or (article is not None and article.network is not None
                              and is_network_manager(user, article.network))


def in_archived_network(article) -> bool:
    return article is not None and article.network is not None and article.network.is_archived


def can_close_comments(user, article) -> bool:
    """Its author and its moderators, unless its network is archived (read-only)."""
    if in_archived_network(article):
        return False
    return (can_post(user) and is_article_author(user, article)) or can_moderate_article(
        user, article)


def can_comment(user, article, now) -> bool:
    """A live article with comments open, outside any network or in one that is not
    archived (an archived network is read-only)."""
    return (can_post(user) and can_read_article(user, article, now)
            and is_article_live(article, now) and article.comments_open
            and not in_archived_network(article))


def can_see_comment_text(user, comment) -> bool:
    """``can_see_content`` for a comment: the one rule for the text of posts and
    comments alike (the network is the article's; none for articles outside one)."""
    from network.core.policy.moderation import can_see_content  # moderation reads articles

    network = comment.article.network if comment.article is not None else None
    return can_see_content(user, network, comment.status, comment.author_id)


def can_see_comment(user, comment) -> bool:
    """Whether the comment is shown in its discussion, as its text or as a
    placeholder (hidden and deleted ones): pending comments only to those who may
    read their text. ``visible_comments`` in Python (keep the two in step)."""
    return comment.status != "pending" or can_see_comment_text(user, comment)


def comment_access(user, comment, now) -> Access:
    """The one question a view asks about a comment it acts on: its article may be
    read and its text seen, or it does not exist for this viewer. A deleted comment
    is gone for everyone here (its moderators read it through the review tools)."""
    if comment is None or comment.status == "deleted" \
            or not can_read_article(user, comment.article, now) \
            or not can_see_comment_text(user, comment):
        return Access.NOT_FOUND
    return Access.READABLE


def can_edit_comment(user, comment, now) -> bool:
    """Authors, for 15 minutes after posting, while the comment is theirs to change
    and its article's network is not archived (an archived network is read-only)."""
    return (can_post(user) and comment.author_id == user.id
            and comment.status in ("visible", "pending")
            and not in_archived_network(comment.article)
            and now - comment.created_at <= timedelta(minutes=COMMENT_EDIT_MINUTES))


def can_delete_comment(user, comment) -> bool:
    """Authors withdraw their own comments, except in an archived network (read-only)."""
    return (is_signed_in(user) and comment.author_id == user.id
            and comment.status in ("visible", "pending")
            and not in_archived_network(comment.article))


def visible_articles(viewer, article_cls, network_cls, now):
    """Clause: articles this viewer may find in lists, feeds and counts (live ones
    outside networks, or in networks whose content the viewer may read)."""
    return ((article_cls.status == "published") & (article_cls.published_at <= now)
            & or_(article_cls.network_id.is_(None),
                  article_cls.network_id.in_(select(network_cls.id).where(
                      readable_networks(viewer, network_cls)))))


def readable_articles(viewer, article_cls, network_cls, now):
    """Clause: articles whose page this viewer may open, whatever their status:
    ``can_read_article`` in SQL (keep the two in step). Admins: every article;
    authors: their own, in networks they may know exist; everyone: the live ones
    that ``visible_articles`` lists for them."""
    if is_admin(viewer):
        return true()
    live = visible_articles(viewer, article_cls, network_cls, now)
    if not is_signed_in(viewer):
        return live
    own = (article_cls.author_id == viewer.id) & or_(
        article_cls.network_id.is_(None),
        article_cls.network_id.in_(select(network_cls.id).where(
            visible_networks(viewer, network_cls))))
    return or_(live, own)


def visible_comments(viewer, comment_cls):
    """Clause: comments shown in a discussion (text or placeholder) to this viewer:
    ``can_see_comment`` in SQL (keep the two in step). Pending comments: their
    author, site staff, and the managers of the article's network."""
    if is_staff(viewer):
        return true()
    shown = comment_cls.status.in_(("visible", "hidden", "deleted"))
    if not is_signed_in(viewer):
        return shown
    pending = comment_cls.status == "pending"
    mine = pending & (comment_cls.author_id == viewer.id)
    managed = managed_network_ids(viewer)
    if not managed:
        return or_(shown, mine)
    article_cls = inspect(comment_cls).relationships["article"].mapper.class_
    in_managed = comment_cls.article_id.in_(
        select(article_cls.id).where(article_cls.network_id.in_(managed)))
    return or_(shown, mine, pending & in_managed)
