"""The search index: one row per searchable thing, with what permission filtering needs.

Each row copies the columns the viewer's filter reads (its network's visibility, the
item's status, its parent's status, author, dates), so the filter runs inside the search
query itself and counts and pages are right. The engine's own full-text index is built
beside this table by migration 0014, per dialect, and is not a model:

- SQLite: ``search_fts``, an FTS5 table over (title, summary, body) with this table as
  its external content, kept in step by three triggers (its shadow tables are
  ``search_fts_*``).
- PostgreSQL: ``search_vector``, a generated tsvector column (title weight A, summary B,
  body C) with a GIN index.
"""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db

KINDS = ("network", "article", "comment", "thread", "post", "practice", "document", "event", "member")
FTS_TABLE = "search_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_search_document_vector"


class SearchDocument(db.Model):
    __tablename__ = "search_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(Integer)
    # One result per key: a thread and its posts share "thread:<id>".
    result_key: Mapped[str] = mapped_column(String(24))
    network_id: Mapped[int | None] = mapped_column(Integer)
    network_visibility: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="visible")
    parent_id: Mapped[int | None] = mapped_column(Integer)  # a post's thread, a comment's article
    # The parent's status: a post's thread's, a comment's article's.
    parent_status: Mapped[str | None] = mapped_column(String(12))
    author_id: Mapped[int | None] = mapped_column(Integer)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    region_id: Mapped[int | None] = mapped_column(Integer)
    sector: Mapped[str | None] = mapped_column(String(30))
    suspended_until: Mapped[datetime | None] = mapped_column(DateTime)  # members only
    slug: Mapped[str] = mapped_column(String(120), default="")  # the address part
    context: Mapped[str] = mapped_column(String(200), default="")  # its thread's or article's title
    created_at: Mapped[datetime] = mapped_column(DateTime)
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("kind", "item_id"),
        Index("ix_search_document_parent", "kind", "parent_id"),
        Index("ix_search_document_network_id", "network_id"),
    )


def is_engine_index(name: str | None, type_: str) -> bool:
    """The engine's own index, which the models do not declare: FTS5's virtual table and
    its shadow tables, PostgreSQL's tsvector column and GIN index. Schema comparisons
    (tests/test_migrations.py, autogenerate) leave these out."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    if type_ == "column":
        return name == VECTOR_COLUMN
    if type_ == "index":
        return name == VECTOR_INDEX
    return False
