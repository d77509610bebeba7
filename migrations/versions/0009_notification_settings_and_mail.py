"""notification settings, digests, and notification mail in the outbox

- ``notification_setting``: one row per person and group of notifications they
  changed from its default (off, in-app, e-mail at once, daily or weekly digest).
- ``notification.digested_at``: when it went out in a digest; an index on
  (user_id, read_at) for the unread count in the header.
- ``outbox_mail``: ``user_id`` and ``group`` (the unsubscribe headers are built
  from them when the mail is sent), ``html_body``, ``next_try_at`` (retries back
  off).

Revision ID: 0009
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_setting",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE",
                                                       name="fk_notification_setting_user_id_user"),
                  nullable=False),
        sa.Column("group", sa.String(30), nullable=False),
        sa.Column("delivery", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notification_setting"),
        sa.UniqueConstraint("user_id", "group", name="uq_notification_setting"),
    )
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("digested_at", sa.DateTime, nullable=True))
        batch.create_index("ix_notification_user_read", ["user_id", "read_at"])
    with op.batch_alter_table("outbox_mail") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("group", sa.String(30), nullable=False, server_default=""))
        batch.add_column(sa.Column("html_body", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("next_try_at", sa.DateTime, nullable=True))
        batch.create_foreign_key("fk_outbox_mail_user_id_user", "user", ["user_id"], ["id"],
                                 ondelete="CASCADE")


def downgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.drop_constraint("fk_outbox_mail_user_id_user", type_="foreignkey")
        batch.drop_column("next_try_at")
        batch.drop_column("html_body")
        batch.drop_column("group")
        batch.drop_column("user_id")
    with op.batch_alter_table("notification") as batch:
        batch.drop_index("ix_notification_user_read")
        batch.drop_column("digested_at")
    op.drop_table("notification_setting")
