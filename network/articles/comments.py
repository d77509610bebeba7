"""Comments on articles: posting, editing, deleting, and the reading a discussion
needs (which comments a viewer sees, which page shows one).

Counter rule: ``Article.comment_count`` is the number of the article's comments
whose status is ``visible``. Every change of a comment's status goes through
``set_comment_status`` so the counter moves in SQL, in the same transaction.
"""
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import joinedload

from network.articles.models import COMMENT_STATUSES, Article, Comment
from network.articles.queries import reply_target
from network.core import cards, policy
from network.core.cache import remembered, writes_only
from network.core.errors import Invalid, NotFound, PermissionDenied
from network.core.text import render_plain
from network.core.time import utcnow
from network.extensions import db
from network.moderation.log import deleted_by_moderators, record_action
from network.notifications.mentions import notify_mentioned
from network.notifications.services import notify
from network.search import index as search_index

COMMENT_MAX = 10_000
COMMENTS_PER_PAGE = 50


def set_comment_status(comment: Comment, status: str) -> None:
    """Change a comment's status and keep the article's comment_count right.
    Does not commit: the caller's action and this change commit together."""
    if status not in COMMENT_STATUSES:
        raise Invalid(f"Unknown comment status {status!r}.")
    old = comment.status
    if old == status:
        return
    delta = (status == "visible") - (old == "visible")
    comment.status = status
    search_index.index_comment(comment)
    if delta:
        db.session.execute(update(Article).where(Article.id == comment.article_id)
                           .values(comment_count=Article.comment_count + delta))


def comments_statement(viewer, article: Article):
    return (select(Comment).where(Comment.article_id == article.id,
                                  policy.visible_comments(viewer, Comment))
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id))


def removed_by_moderators(comments) -> set[int]:
    """Ids of these comments that a moderator removed (one query, none when no
    comment among them is deleted); the others marked deleted, their authors did."""
    return deleted_by_moderators("comment", [c.id for c in comments if c.status == "deleted"])


def has_commented(viewer, article: Article) -> bool:
    """Whether the viewer has commented on this article: one indexed lookup, so a
    page need not load its comments to know whether any carry their own buttons."""
    if not policy.is_signed_in(viewer):
        return False
    return remembered(("has_commented", viewer.id, article.id), lambda: db.session.scalar(
        select(Comment.id).where(Comment.author_id == viewer.id,
                                 Comment.article_id == article.id).limit(1)) is not None)


def shown_comment(viewer, comment_id: int) -> Comment | None:
    """The comment if this viewer's view of its discussion includes it (text or placeholder)."""
    return db.session.scalar(select(Comment).where(
        Comment.id == comment_id, policy.visible_comments(viewer, Comment)))


def comment_page_number(viewer, comment: Comment) -> int:
    """Which page of the discussion shows this comment (oldest first)."""
    before = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == comment.article_id, policy.visible_comments(viewer, Comment),
            (Comment.created_at < comment.created_at)
            | and_(Comment.created_at == comment.created_at, Comment.id < comment.id))) or 0
    return before // COMMENTS_PER_PAGE + 1


# --- comments ----------------------------------------------------------------

def _clean_body(body: str) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise Invalid("Write your comment before posting it.", field="body")
    if len(text) > COMMENT_MAX:
        raise Invalid("Comments must be 10,000 characters or fewer.", field="body")
    return text


def quote_for_reply(comment: Comment) -> str:
    """A plain-text quote of a comment to start a reply with."""
    text = " ".join(comment.body.split())
    if len(text) > 300:
        text = text[:299].rsplit(" ", 1)[0] + "…"
    return f"{comment.author.display_name} wrote:\n> {text}\n\n"


REPLY_REFUSED = ("The comment you were replying to is not on show any more, so your reply "
                 "cannot answer it. Post your text as a new comment, or choose another "
                 "comment to reply to.")


def add_comment(author, article: Article, body: str, reply_to_id: int | None = None) -> Comment:
    """Post a comment, optionally in reply to a comment of the article that is on show
    (anything else is refused, beside ``reply_to``). Members still on pre-moderation
    get a 'pending' comment (not counted); others a visible one, counted in the same
    transaction. Commits."""
    now = utcnow()
    if not policy.can_read_article(author, article, now):
        raise NotFound()
    if not policy.can_comment(author, article, now):
        raise PermissionDenied("Comments are closed on this article.")
    text = _clean_body(body)
    if reply_to_id is not None and reply_target(article, reply_to_id) is None:
        # Only a comment on show may be answered: not a pending, hidden or deleted
        # one (nor one on another article), whoever can see it.
        raise Invalid(REPLY_REFUSED, field="reply_to")
    comment = Comment(article_id=article.id, author_id=author.id, body=text,
                      body_html=render_plain(text), reply_to_id=reply_to_id,
                      status="pending", created_at=now)
    db.session.add(comment)
    db.session.flush()
    if not policy.needs_premoderation(author):
        set_comment_status(comment, "visible")
        announce_comment(comment, article)
    search_index.index_comment(comment)
    cards.record("comment", comment.id, comment.body_html)
    # Its article, and lists and counts elsewhere: other articles' pages stay cached.
    writes_only(f"article:{article.slug}")
    db.session.commit()
    return comment


def announce_comment(comment: Comment, article: Article | None = None) -> None:
    """A comment is on show (posted, or approved from the queue through the comment
    kind registered with moderation): tell the article's author, the author of the
    comment it replies to, and the people it mentions who may read the article, each
    with a link to the comment's own address, which finds its page. Does not commit."""
    article, author, now = article or comment.article, comment.author, utcnow()
    url = f"/comments/{comment.id}"  # articles.comment: the right page and anchor
    replied = db.session.get(Comment, comment.reply_to_id) if comment.reply_to_id else None
    if replied is not None and replied.author_id != author.id:
        notify(replied.author_id, "reply_to_you",
               f"{author.display_name} replied to your comment on “{article.title}”.",
               url=url, network_id=article.network_id, actor_id=author.id)
    if article.author_id != author.id and (replied is None
                                           or replied.author_id != article.author_id):
        notify(article.author_id, "comment",
               f"{author.display_name} commented on your article “{article.title}”.",
               url=url, network_id=article.network_id, actor_id=author.id)
    notify_mentioned(author, comment.body_html,
                     lambda person: policy.can_read_article(person, article, now),
                     f"in a comment on “{article.title}”", url=url,
                     network_id=article.network_id)


def edit_comment(author, comment: Comment, body: str) -> Comment:
    """Change a comment's text within the edit window; marks it edited. Commits."""
    now = utcnow()
    if not policy.can_edit_comment(author, comment, now):
        raise PermissionDenied("Comments can be changed only by their author, for 15 minutes.")
    text = _clean_body(body)
    comment.body = text
    comment.body_html = render_plain(text)
    comment.edited_at = now
    search_index.index_comment(comment)
    cards.record("comment", comment.id, comment.body_html)
    db.session.commit()
    return comment


def delete_comment(author, comment: Comment) -> None:
    """The author removes their comment: a placeholder stays. Commits."""
    if not policy.can_delete_comment(author, comment):
        raise PermissionDenied("You can delete only your own comments.")
    set_comment_status(comment, "deleted")
    db.session.commit()


# --- closing a discussion -----------------------------------------------------

COMMENTS_READ_ONLY = ("This article's network is archived, so it is read-only: its "
                      "comments cannot be closed or reopened.")


def comments_refusal(article: Article) -> str:
    """Why someone may not close or reopen this article's comments."""
    if policy.in_archived_network(article):
        return COMMENTS_READ_ONLY
    return "You cannot close comments on this article."


def set_comments_open(actor, article: Article, is_open: bool) -> None:
    """Close or reopen an article's comments (never in an archived network). Commits."""
    if not policy.can_close_comments(actor, article):
        raise PermissionDenied(comments_refusal(article))
    if article.comments_open == is_open:
        return
    article.comments_open = is_open
    if actor.id != article.author_id:
        record_action(actor, "comments_opened" if is_open else "comments_closed", "article",
                      article.id, network_id=article.network_id)
    db.session.commit()
