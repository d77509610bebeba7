"""Rebuilding the search index from the rows (`flask search reindex`).

The same document builders as the services' incremental calls (search/index.py), so a
rebuilt index equals the one kept current (tests/search/test_index.py proves it). One
transaction: readers see the old index until the new one is committed.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import joinedload
from tqdm import tqdm

from network.accounts.models import User
from network.articles.models import Article, Comment
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Network
from network.practices.models import Practice
from network.events.models import Event
from network.library.models import Document
from network.library.services import document_text
from network.search import index
from network.search.models import SearchDocument

BATCH = 2_000


def _sources() -> list[tuple[str, object, Callable, list]]:
    """(label, model, document builder, loader options) for every kind indexed."""
    return [
        ("networks", Network, index.network_document, []),
        ("threads", Thread, index.thread_document, [joinedload(Thread.network)]),
        ("posts", Post, index.post_document,
         [joinedload(Post.thread).joinedload(Thread.network)]),
        ("articles", Article, index.article_document, [joinedload(Article.network)]),
        ("comments", Comment, index.comment_document,
         [joinedload(Comment.article).joinedload(Article.network)]),
        ("practices", Practice, index.practice_document, [joinedload(Practice.network)]),
        ("events", Event, index.event_document, [joinedload(Event.network)]),
        ("documents", Document, lambda document: index.document_document(
            document, document_text(document)), [joinedload(Document.network)]),
        ("members", User, index.member_document, []),
    ]


def _batches(model, options):
    """Every row of the model, BATCH at a time, in id order (keyset pages: no cursor
    stays open while the batch before is written)."""
    last = 0
    while True:
        batch = list(db.session.scalars(select(model).options(*options)
                                        .where(model.id > last).order_by(model.id).limit(BATCH)))
        if not batch:
            return
        yield batch
        last = batch[-1].id


def rebuild(progress: bool = False) -> int:
    """Empty the index and fill it again from every row. Commits. Returns the count."""
    db.session.execute(delete(SearchDocument))
    written = 0
    for label, model, build, options in _sources():
        total = db.session.scalar(select(func.count()).select_from(model))
        with tqdm(total=total, desc=label, unit=" rows", disable=not progress) as bar:
            for batch in _batches(model, options):
                documents = [d for d in map(build, batch) if d is not None]
                if documents:
                    db.session.execute(insert(SearchDocument), documents)
                written += len(documents)
                bar.update(len(batch))
    db.session.commit()
    return written
