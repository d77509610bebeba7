"""event pages: a cancellation's reason, a personal calendar key, a member's time zone (issue 13)

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (SQLite has it): a batch copy of "user" would lose the
    # expression index on lower(username).
    op.add_column("user", sa.Column("timezone", sa.String(length=64), nullable=False,
                                    server_default=""))
    op.add_column("event", sa.Column("cancel_reason", sa.Text(), nullable=False,
                                     server_default=""))
    op.create_table(
        "event_calendar_key",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("reset_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_event_calendar_key_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_event_calendar_key")),
    )


def downgrade():
    op.drop_table("event_calendar_key")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("cancel_reason")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("timezone")
    # A batch copy (SQLite) drops expression indexes: put the username one back.
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("uq_user_username_lower", "user", [sa.text("lower(username)")],
                        unique=True)
