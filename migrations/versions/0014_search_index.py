"""full-text search: one search_document table and the engine's index over it (issue 11)

SQLite: an FTS5 table (porter stemming over unicode61 with diacritics removed) with
search_document as its external content, kept in step by triggers on that table.
PostgreSQL: a generated, weighted tsvector column (title A, summary B, body C) with a
GIN index. The index starts empty: `flask search reindex` fills it.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, summary, body, "
    "content='search_document', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, title, summary, body) "
    "VALUES (new.id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE OF title, summary, body "
    "ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.id, old.title, old.summary, old.body); "
    "INSERT INTO search_fts(rowid, title, summary, body) "
    "VALUES (new.id, new.title, new.summary, new.body); END",
]

_POSTGRESQL = [
    "ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX ix_search_document_vector ON search_document USING gin (search_vector)",
]


def upgrade():
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("result_key", sa.String(length=24), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("network_visibility", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("parent_status", sa.String(length=12), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("sector", sa.String(length=30), nullable=True),
        sa.Column("suspended_until", sa.DateTime(), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("context", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("kind", "item_id", name=op.f("uq_search_document_kind")),
    )
    with op.batch_alter_table("search_document") as batch:
        batch.create_index("ix_search_document_parent", ["kind", "parent_id"], unique=False)
        batch.create_index("ix_search_document_network_id", ["network_id"], unique=False)
    statements = _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_document_ai", "search_document_ad", "search_document_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_document")
