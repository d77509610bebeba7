"""Keeping the search index current: one function per kind of thing, called explicitly
by the services that write it (STYLE: no hidden session hooks), in their transaction.

Each function reads the object it is given (and its network, thread or article through
their relationships) and writes that one row of ``search_document``; none commits. This
module imports no domain, so every domain may call it. Changes that reach many rows
(a network turning private, a thread moving or being hidden, an article withdrawn) are
one UPDATE over the rows that copy the changed columns.
"""
from __future__ import annotations

import re

from sqlalchemy import delete, select, update

from network.core.text import plain_text
from network.extensions import db
from network.search.models import SearchDocument

# Control characters (and U+E000, a private-use character) never reach the index, so
# the marks that highlight a snippet (search/engine.py) cannot come from anything a
# person wrote.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ue000]")
TITLE_CHARS, SUMMARY_CHARS, BODY_CHARS = 400, 2_000, 100_000


def clean(text: str | None, limit: int = BODY_CHARS) -> str:
    return _CONTROL.sub(" ", text or "")[:limit]


def _network_columns(network) -> dict:
    if network is None:
        return {"network_id": None, "network_visibility": None}
    return {"network_id": network.id, "network_visibility": network.visibility}


def _document(kind: str, item_id: int, result_key: str | None = None, **values) -> dict:
    """Every column of the row for (kind, item_id), text cleaned and cut to size."""
    values = {"kind": kind, "item_id": item_id, "result_key": result_key or f"{kind}:{item_id}",
              "status": "visible", "parent_id": None, "parent_status": None, "author_id": None,
              "locked": False, "region_id": None, "sector": None, "suspended_until": None,
              "slug": "", "context": "", "network_id": None, "network_visibility": None,
              "summary": "", "body": "", **values}
    values["title"] = clean(values.get("title"), TITLE_CHARS)
    values["summary"] = clean(values["summary"], SUMMARY_CHARS)
    values["body"] = clean(values["body"])
    values["context"] = clean(values["context"], 200)
    return values


def _put(values: dict | None, kind: str, item_id: int) -> None:
    """Insert or update the one row for (kind, item_id); None removes it."""
    if values is None:
        remove(kind, item_id)
        return
    document = db.session.scalar(select(SearchDocument).where(
        SearchDocument.kind == kind, SearchDocument.item_id == item_id))
    if document is None:
        db.session.add(SearchDocument(**values))
    else:
        for name, value in values.items():
            if getattr(document, name) != value:
                setattr(document, name, value)


def remove(kind: str, item_id: int) -> None:
    """The thing is gone from search (deleted, withdrawn, unpublished)."""
    db.session.execute(delete(SearchDocument).where(
        SearchDocument.kind == kind, SearchDocument.item_id == item_id)
        .execution_options(synchronize_session=False))


def _with_id(obj) -> None:
    if obj.id is None:
        db.session.flush()


# --- what each kind of thing puts in the index (also used by search/rebuild.py) ------

def _region(network) -> int | None:
    return network.region_id if network is not None else None


def network_document(network) -> dict:
    return _document("network", network.id, title=network.name, summary=network.summary,
                     body=plain_text(network.description), region_id=network.region_id,
                     slug=network.slug, created_at=network.created_at,
                     **_network_columns(network))


def thread_document(thread) -> dict:
    network = thread.network
    return _document("thread", thread.id, result_key=f"thread:{thread.id}",
                     parent_id=thread.id, title=thread.title, status=thread.status,
                     author_id=thread.author_id, locked=thread.locked,
                     region_id=_region(network), created_at=thread.created_at,
                     **_network_columns(network))


def post_document(post) -> dict:
    """A post is found as its thread (one result per thread, its best post shown)."""
    thread = post.thread
    network = thread.network
    return _document("post", post.id, result_key=f"thread:{thread.id}", parent_id=thread.id,
                     body=plain_text(post.body), status=post.status,
                     parent_status=thread.status, author_id=post.author_id,
                     locked=thread.locked, context=thread.title, region_id=_region(network),
                     created_at=post.created_at, **_network_columns(network))


def article_document(article) -> dict | None:
    """Published articles only (a scheduled one is left out by its date until then)."""
    if article.status != "published" or article.published_at is None:
        return None
    network = article.network
    return _document("article", article.id, title=article.title, summary=article.standfirst,
                     body=plain_text(article.body), status=article.status,
                     author_id=article.author_id, slug=article.slug,
                     region_id=_region(network), created_at=article.published_at,
                     **_network_columns(network))


def comment_document(comment) -> dict:
    article = comment.article
    return _document("comment", comment.id, parent_id=article.id, body=comment.body,
                     status=comment.status, parent_status=article.status,
                     author_id=comment.author_id, slug=article.slug, context=article.title,
                     created_at=comment.created_at, **_network_columns(article.network))


def practice_document(practice) -> dict | None:
    """Published practices only."""
    if practice.status != "published":
        return None
    body = " ".join(plain_text(text) for text in (
        practice.problem, practice.approach, practice.results, practice.key_learning))
    return _document("practice", practice.id, title=practice.title, summary=practice.summary,
                     body=f"{body} {practice.organisation}".strip(), status="published",
                     author_id=practice.author_id, region_id=practice.origin_region_id,
                     slug=practice.slug,
                     created_at=practice.published_at or practice.created_at,
                     **_network_columns(practice.network))


def document_document(document, text: str) -> dict | None:
    """A live library document: its title, description and the text read from its
    latest version (``text``, given by the library, which knows how it was read)."""
    if document.status != "live":
        return None
    return _document("document", document.id, title=document.title,
                     summary=document.description, body=text, status="live",
                     author_id=document.uploader_id, slug=document.network.slug,
                     context=clean(document.network.name, 200),
                     created_at=document.updated_at or document.created_at,
                     **_network_columns(document.network))


def event_document(event) -> dict | None:
    """An event (past ones stay findable, as they stay listed); a cancelled one leaves."""
    if event.status == "cancelled":
        return None
    return _document("event", event.id, title=event.title,
                     body=f"{plain_text(event.description)} {event.place}".strip(),
                     status="visible", author_id=event.created_by_id,
                     context=clean(event.network.name, 200), created_at=event.starts_at,
                     **_network_columns(event.network))


def member_document(user) -> dict | None:
    """Name, username, job, organisation and bio; never the e-mail address. Those who
    hide from the member directory are kept as 'hidden' (found by nobody); deleted
    accounts are not in the index."""
    if user.deleted_at is not None:
        return None
    return _document(
        "member", user.id, title=user.display_name,
        summary=" ".join(filter(None, (user.username, user.job_title, user.organisation))),
        body=plain_text(user.bio), status="hidden" if user.hidden_from_directory else "visible",
        author_id=user.id, region_id=user.region_id, sector=user.sector,
        suspended_until=user.suspended_until, slug=user.username, created_at=user.created_at)


# --- keeping it current (called by the services that write) -------------------------

def _copy_to_children(kind: str, parent_id: int, **values) -> None:
    db.session.execute(update(SearchDocument).where(
        SearchDocument.kind == kind, SearchDocument.parent_id == parent_id)
        .values(**values).execution_options(synchronize_session=False))


def index_network(network) -> None:
    """The network's own row, and its visibility copied onto everything inside it (a
    network made private is private in search at once)."""
    _with_id(network)
    _put(network_document(network), "network", network.id)
    db.session.execute(update(SearchDocument).where(
        SearchDocument.network_id == network.id,
        SearchDocument.network_visibility != network.visibility)
        .values(network_visibility=network.visibility)
        .execution_options(synchronize_session=False))


def index_thread(thread) -> None:
    """The thread's row (its title), and its network, status, lock and title copied
    onto its posts' rows (moved, hidden, locked or retitled: at once)."""
    _with_id(thread)
    _put(thread_document(thread), "thread", thread.id)
    network = thread.network
    _copy_to_children("post", thread.id, parent_status=thread.status, locked=thread.locked,
                      context=clean(thread.title, 200), region_id=_region(network),
                      **_network_columns(network))


def index_post(post) -> None:
    _with_id(post)
    _put(post_document(post), "post", post.id)


def index_article(article) -> None:
    """Drafts and withdrawn articles leave the index; its comments follow its status,
    title and network."""
    _with_id(article)
    _put(article_document(article), "article", article.id)
    _copy_to_children("comment", article.id, parent_status=article.status,
                      context=clean(article.title, 200), slug=article.slug,
                      **_network_columns(article.network))


def index_comment(comment) -> None:
    _with_id(comment)
    _put(comment_document(comment), "comment", comment.id)


def index_practice(practice) -> None:
    """Drafts, pending and withdrawn practices leave the index."""
    _with_id(practice)
    _put(practice_document(practice), "practice", practice.id)


def index_document(document, text: str) -> None:
    """A removed document leaves the index."""
    _with_id(document)
    _put(document_document(document, text), "document", document.id)


def index_event(event) -> None:
    """A cancelled event leaves the index."""
    _with_id(event)
    _put(event_document(event), "event", event.id)


def index_member(user) -> None:
    _with_id(user)
    _put(member_document(user), "member", user.id)
