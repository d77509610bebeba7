"""Factories for moderation tests: content is made with the models directly (the
forum and article pages are built elsewhere), flags in bulk for speed tests."""
from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import insert

from network.articles.models import Article, Comment
from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import Flag

_seq = count(1)


@pytest.fixture
def make_thread(app):
    """make_thread(network, author, status="visible", posts=1, post_status="visible") -> Thread
    (detached) whose posts are numbered from 1; post_count counts the visible ones."""

    def factory(network, author, status="visible", posts=1, post_status="visible", title=None):
        n = next(_seq)
        with app.app_context():
            thread = Thread(network_id=network.id, title=title or f"Thread {n}",
                            author_id=author.id, status=status,
                            post_count=posts if post_status == "visible" else 0)
            db.session.add(thread)
            db.session.flush()
            for number in range(1, posts + 1):
                body = f"Post {number} of thread {n}"
                db.session.add(Post(thread_id=thread.id, number=number, author_id=author.id,
                                    body=body, body_html=render_markdown(body),
                                    status=post_status))
            db.session.commit()
            db.session.refresh(thread)
            db.session.expunge(thread)
        return thread

    return factory


@pytest.fixture
def make_post(app):
    """make_post(thread, author, status="visible", body=None) -> Post id (keeps post_count right)."""

    def factory(thread, author, status="visible", body=None):
        with app.app_context():
            number = (db.session.scalar(db.select(db.func.max(Post.number))
                                        .where(Post.thread_id == thread.id)) or 0) + 1
            body = body or f"Reply {number} in thread {thread.id}"
            post = Post(thread_id=thread.id, number=number, author_id=author.id, body=body,
                        body_html=render_markdown(body), status=status)
            db.session.add(post)
            if status == "visible":
                db.session.execute(db.update(Thread).where(Thread.id == thread.id)
                                   .values(post_count=Thread.post_count + 1))
            db.session.commit()
            return post.id

    return factory


@pytest.fixture
def make_article(app):
    """make_article(author, network=None) -> Article (detached, published)."""

    def factory(author, network=None, title=None):
        n = next(_seq)
        with app.app_context():
            article = Article(slug=f"article-{n}", title=title or f"Article {n}", body="Body",
                              body_html="<p>Body</p>", author_id=author.id,
                              network_id=network.id if network else None, status="published",
                              published_at=utcnow() - timedelta(hours=1))
            db.session.add(article)
            db.session.commit()
            db.session.refresh(article)
            db.session.expunge(article)
        return article

    return factory


@pytest.fixture
def make_comment(app):
    """make_comment(article, author, status="visible", body=None) -> Comment id."""

    def factory(article, author, status="visible", body=None):
        with app.app_context():
            body = body or f"A comment on {article.title}"
            comment = Comment(article_id=article.id, author_id=author.id, body=body,
                              body_html=render_plain(body), status=status)
            db.session.add(comment)
            if status == "visible":
                db.session.execute(db.update(Article).where(Article.id == article.id)
                                   .values(comment_count=Article.comment_count + 1))
            db.session.commit()
            return comment.id

    return factory


@pytest.fixture
def bulk_flags(app):
    """bulk_flags([(target_type, target_id, network_id), ...], reporter_ids) inserts one
    open flag per target per reporter in a single statement."""

    def factory(targets, reporter_ids, reason="spam"):
        now = utcnow()
        rows = [dict(target_type=kind, target_id=target_id, network_id=network_id,
                     reporter_id=reporter, reason=reason, note="", status="open",
                     created_at=now - timedelta(minutes=i))
                for i, (kind, target_id, network_id) in enumerate(targets)
                for reporter in reporter_ids]
        with app.app_context():
            db.session.execute(insert(Flag), rows)
            db.session.commit()

    return factory


def get(app, model, ident):
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
        return obj
