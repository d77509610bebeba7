"""events and who is going to them (issue 13)

Revision ID: 0012
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("going_count", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], name=op.f("fk_event_network_id_network"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_event_created_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event") as batch:
        batch.create_index(batch.f("ix_event_network_id"), ["network_id"], unique=False)
        batch.create_index(batch.f("ix_event_starts_at"), ["starts_at"], unique=False)
    op.create_table(
        "event_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_event_attendance_event_id_event"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_event_attendance_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_attendance")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_attendance_event_id")),
    )
    with op.batch_alter_table("event_attendance") as batch:
        batch.create_index(batch.f("ix_event_attendance_event_id"), ["event_id"], unique=False)
        batch.create_index(batch.f("ix_event_attendance_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("event_attendance")
    op.drop_table("event")
