"""watching levels in one table for threads, networks, practices and events (issue 12)

Today's thread watches become rows of kind "thread" at level "watching" (the
table is changed in place). Downgrading keeps only the thread rows at "watching".

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _new_table(name: str, pk: str = "pk_watch", fk: str = "fk_watch_user_id_user"):
    op.create_table(
        name,
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=fk, ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "target_type", "target_id", name=pk),
    )


def _old_table(name: str, pk: str = "pk_watch"):
    op.create_table(
        name,
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["thread.id"], name="fk_watch_thread_id_thread",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_watch_user_id_user",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=pk),
    )


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite names constraints per table: build the new table beside the old one.
        _new_table("watch_new")
        op.execute("INSERT INTO watch_new (user_id, target_type, target_id, level, created_at) "
                   "SELECT user_id, 'thread', thread_id, 'watching', created_at FROM watch")
        op.drop_index("ix_watch_thread_id", table_name="watch")
        op.drop_table("watch")
        op.rename_table("watch_new", "watch")
    else:
        # PostgreSQL names constraints per schema: change the table in place.
        op.drop_constraint("fk_watch_thread_id_thread", "watch", type_="foreignkey")
        op.drop_index("ix_watch_thread_id", table_name="watch")
        op.add_column("watch", sa.Column("target_type", sa.String(length=20), nullable=False,
                                         server_default="thread"))
        op.add_column("watch", sa.Column("level", sa.String(length=10), nullable=False,
                                         server_default="watching"))
        op.alter_column("watch", "target_type", server_default=None)
        op.alter_column("watch", "level", server_default=None)
        op.alter_column("watch", "thread_id", new_column_name="target_id")
        op.drop_constraint("pk_watch", "watch", type_="primary")
        op.create_primary_key("pk_watch", "watch", ["user_id", "target_type", "target_id"])
    op.create_index("ix_watch_target", "watch", ["target_type", "target_id", "level"])


def downgrade():
    # Only threads were watched before: other kinds' rows and lower levels go.
    op.execute("DELETE FROM watch WHERE target_type <> 'thread' OR level <> 'watching' "
               "OR target_id NOT IN (SELECT id FROM thread)")
    op.drop_index("ix_watch_target", table_name="watch")
    if op.get_bind().dialect.name == "sqlite":
        _old_table("watch_old")
        op.execute("INSERT INTO watch_old (user_id, thread_id, created_at) "
                   "SELECT user_id, target_id, created_at FROM watch")
        op.drop_table("watch")
        op.rename_table("watch_old", "watch")
    else:
        op.drop_constraint("pk_watch", "watch", type_="primary")
        op.alter_column("watch", "target_id", new_column_name="thread_id")
        op.drop_column("watch", "level")
        op.drop_column("watch", "target_type")
        op.create_primary_key("pk_watch", "watch", ["user_id", "thread_id"])
        op.create_foreign_key("fk_watch_thread_id_thread", "watch", "thread", ["thread_id"],
                              ["id"], ondelete="CASCADE")
    op.create_index("ix_watch_thread_id", "watch", ["thread_id"])
