"""one article per part number in a series (unique series_id, series_part)

Two articles could both be "part 1" of one series. A unique constraint on
(series_id, series_part) refuses the second; articles outside a series have no
series_id, and NULLs never clash.

A database that already holds clashes keeps, for each part number, the article
that took it first (lowest id); each later one is renumbered after the series'
highest part, in id order, so the series keeps every article. Downgrading drops
the constraint and leaves the new numbers.

Revision ID: 0007
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

article = sa.table("article", sa.column("id", sa.Integer), sa.column("series_id", sa.Integer),
                   sa.column("series_part", sa.Integer))


def _renumber_clashes(conn) -> None:
    rows = conn.execute(sa.select(article.c.id, article.c.series_id, article.c.series_part)
                        .where(article.c.series_id.is_not(None))
                        .order_by(article.c.series_id, article.c.id)).all()
    taken: dict[int, set[int]] = {}
    later: list[tuple[int, int]] = []  # (article id, series id) that must move
    for row in rows:
        parts = taken.setdefault(row.series_id, set())
        if row.series_part is None:
            continue
        if row.series_part in parts:
            later.append((row.id, row.series_id))
        else:
            parts.add(row.series_part)
    for article_id, series_id in later:
        part = max(taken[series_id]) + 1
        taken[series_id].add(part)
        conn.execute(sa.update(article).where(article.c.id == article_id)
                     .values(series_part=part))


def upgrade():
    _renumber_clashes(op.get_bind())
    with op.batch_alter_table("article") as batch:
        batch.create_unique_constraint("uq_article_series_part", ["series_id", "series_part"])


def downgrade():
    with op.batch_alter_table("article") as batch:
        batch.drop_constraint("uq_article_series_part", type_="unique")
