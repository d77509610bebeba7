"""Articles and comments in bulk, and reading back what was stored (single articles
and comments come from tests/factories.py)."""
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from network.articles.models import Article, Comment
from network.core.time import utcnow
from network.extensions import db


@pytest.fixture
def bulk_comments(app):
    """bulk_comments(article, author, n): insert n visible comments in one statement."""

    def factory(article, author, n):
        now = utcnow()
        with app.app_context():
            db.session.execute(insert(Comment), [
                {"article_id": article.id, "author_id": author.id, "body": f"Bulk {i}",
                 "body_html": f"<p>Bulk {i}</p>", "status": "visible",
                 "created_at": now - timedelta(minutes=n - i)} for i in range(n)])
            db.session.get(Article, article.id).comment_count += n
            db.session.commit()

    return factory


@pytest.fixture
def bulk_articles(app):
    """bulk_articles(author, n, prefix, network=None): insert n published articles in one
    statement (every other one in the network, when one is given)."""

    def factory(author, n, prefix="bulk", network=None):
        now = utcnow()
        with app.app_context():
            db.session.execute(insert(Article), [
                {"slug": f"{prefix}-{i}", "title": f"Bulk article {i}", "standfirst": "Bulk.",
                 "body": "Bulk.", "body_html": "<p>Bulk.</p>", "author_id": author.id,
                 "status": "published", "published_at": now - timedelta(minutes=i + 1),
                 "network_id": network.id if network is not None and i % 2 else None,
                 "created_at": now, "comments_open": True, "comment_count": i % 7}
                for i in range(n)])
            db.session.commit()

    return factory


def stored(app, model, **where):
    """All rows of model matching the column values given."""
    with app.app_context():
        stmt = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        rows = list(db.session.scalars(stmt))
        for row in rows:
            db.session.expunge(row)
        return rows
