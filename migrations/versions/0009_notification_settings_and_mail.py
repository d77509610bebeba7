"""notification settings, digests, and notification mail in the outbox

- ``notification_setting``: one row per person and group of notifications they
  changed from its default (off, in-app, e-mail at once, daily or weekly digest).
- ``notification.digested_at``: when it went out in a digest; an index on
  (user_id, read_at) for the unread count in the header.
- ``user.unread_notifications``: the header's count, kept with each notification
  added or read (existing rows start from their unread notifications).
- ``outbox_mail``: ``user_id`` and ``group`` (the unsubscribe headers are built
  from them when the mail is sent), ``html_body``, ``next_try_at`` (retries back
  off).

Revision ID: 0009
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
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
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("unread_notifications", sa.Integer, nullable=False,
                                   server_default="0"))
    user = sa.table("user", sa.column("id", sa.Integer),
                    sa.column("unread_notifications", sa.Integer))
    notification = sa.table("notification", sa.column("user_id", sa.Integer),
                            sa.column("read_at", sa.DateTime))
    op.execute(user.update().values(unread_notifications=sa.select(sa.func.count())
               .where(notification.c.user_id == user.c.id, notification.c.read_at.is_(None))
               .scalar_subquery()))
    with op.batch_alter_table("outbox_mail") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("group", sa.String(30), nullable=False, server_default=""))
        batch.add_column(sa.Column("html_body", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("next_try_at", sa.DateTime, nullable=True))
        batch.create_foreign_key("fk_outbox_mail_user_id_user", "user", ["user_id"], ["id"],
                                 ondelete="CASCADE")


def downgrade():
    # Plain SQL on both databases: a batch copy of "user" would lose its
    # expression index on lower(username) (SQLite 3.35+ drops a column in place).
    op.execute('ALTER TABLE "user" DROP COLUMN unread_notifications')
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
