"""members can mute other members (issue 14)

One row per (muter, muted) pair; both go with either account. The index on
(muted_id, created_at) counts how many people muted someone lately.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "member_mute",
        sa.Column("muter_id", sa.Integer(), nullable=False),
        sa.Column("muted_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["muter_id"], ["user.id"],
                                name=op.f("fk_member_mute_muter_id_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["muted_id"], ["user.id"],
                                name=op.f("fk_member_mute_muted_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("muter_id", "muted_id", name=op.f("pk_member_mute")),
    )
    op.create_index("ix_member_mute_muted_created", "member_mute", ["muted_id", "created_at"])


def downgrade():
    op.drop_index("ix_member_mute_muted_created", table_name="member_mute")
    op.drop_table("member_mute")
