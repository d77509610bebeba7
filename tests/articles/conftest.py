"""Factories for articles and comments."""
from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import insert, select

from network.articles.models import Article, Comment
from network.articles.services import tags_from_text
from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db

_seq = count(1)


@pytest.fixture
def make_article(app):
    """make_article(author, title=None, status="published", network=None, tags="", **fields)
    -> a committed, detached Article (published an hour ago unless told otherwise)."""

    def factory(author, title=None, status="published", network=None, tags="", **fields):
        n = next(_seq)
        title = title or f"Article {n}"
        body = fields.pop("body", f"Body of {title}.")
        with app.app_context():
            article = Article(
                slug=fields.pop("slug", f"article-{n}"), title=title,
                standfirst=fields.pop("standfirst", f"Standfirst of {title}."), body=body,
                body_html=render_markdown(body), author_id=author.id,
                network_id=network.id if network is not None else None, status=status,
                published_at=fields.pop("published_at", utcnow() - timedelta(hours=1)
                                        if status == "published" else None),
                comments_open=fields.pop("comments_open", True), comment_count=0, **fields)
            article.tags = tags_from_text(tags)
            db.session.add(article)
            db.session.commit()
            db.session.refresh(article)
            db.session.expunge(article)
        return article

    return factory


@pytest.fixture
def make_comment(app):
    """make_comment(article, author, body=None, status="visible", **fields) -> Comment,
    keeping the article's stored comment_count right."""

    def factory(article, author, body=None, status="visible", **fields):
        body = body or f"Comment {next(_seq)}"
        with app.app_context():
            comment = Comment(article_id=article.id, author_id=author.id, body=body,
                              body_html=render_plain(body), status=status, **fields)
            db.session.add(comment)
            if status == "visible":
                db.session.get(Article, article.id).comment_count += 1
            db.session.commit()
            db.session.refresh(comment)
            db.session.expunge(comment)
        return comment

    return factory


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
