"""announcing scheduled articles (issue 12); user.session_token goes (issue 14)

- ``article.announced_at``: when the article's network watchers were told it had
  arrived. Articles already live (published_at in the past, whatever their status
  now) count as announced at their publication time, so the first run of
  ``flask articles announce-due`` tells nobody about old news; scheduled ones stay
  unannounced until their time comes. An index on (announced_at, published_at)
  keeps the command's search to the few unannounced rows.
- ``user.session_token``: unused since sessions have rows of their own
  (``user_session``, 0013). Downgrading gives every person a new random token.

Revision ID: 0019
Revises: 0018
"""
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

article = sa.table("article", sa.column("published_at", sa.DateTime),
                   sa.column("announced_at", sa.DateTime))
user = sa.table("user", sa.column("id", sa.Integer), sa.column("session_token", sa.String))


def _username_index_back() -> None:
    """A batch copy of "user" (SQLite) drops expression indexes: put the username one back."""
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("uq_user_username_lower", "user", [sa.text("lower(username)")],
                        unique=True)


def upgrade():
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("announced_at", sa.DateTime(), nullable=True))
    # Naive UTC, as the app stores times (network.core.time.utcnow), bound as a value:
    # the same on both databases, whatever the server's time zone.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.execute(article.update()
               .where(article.c.published_at.is_not(None), article.c.published_at <= now)
               .values(announced_at=article.c.published_at))
    op.create_index("ix_article_unannounced", "article", ["announced_at", "published_at"])
    with op.batch_alter_table("user") as batch:
        batch.drop_column("session_token")
    _username_index_back()


def downgrade():
    # Plain ADD COLUMN first (no copy of "user"), filled, then made NOT NULL.
    op.add_column("user", sa.Column("session_token", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    ids = connection.scalars(sa.select(user.c.id)).all()
    if ids:
        connection.execute(user.update().where(user.c.id == sa.bindparam("person"))
                           .values(session_token=sa.bindparam("token")),
                           [{"person": person, "token": secrets.token_hex(16)} for person in ids])
    with op.batch_alter_table("user") as batch:
        batch.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)
    _username_index_back()
    op.drop_index("ix_article_unannounced", table_name="article")
    with op.batch_alter_table("article") as batch:
        batch.drop_column("announced_at")
