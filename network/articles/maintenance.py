"""What ``flask render-all`` re-renders and ``flask recount`` checks in articles
(network/commands.py)."""
from sqlalchemy import func, select

from network.articles.models import Article, Comment
from network.core.counters import Counter
from network.core.rendering import RenderedField
from network.core.text import render_markdown, render_plain

RENDERED_FIELDS = [
    RenderedField(Article, "body", "body_html", render_markdown),
    RenderedField(Article, "author_bio", "author_bio_html", render_markdown),
    RenderedField(Comment, "body", "body_html", render_plain),
]


def _visible_comments():
    return (select(func.count(Comment.id))
            .where(Comment.article_id == Article.id, Comment.status == "visible")
            .scalar_subquery())


COUNTERS = [
    Counter("article.comment_count", Article,
            lambda: Article.comment_count != _visible_comments(),
            lambda: {"comment_count": _visible_comments()}),
]
