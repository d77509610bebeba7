"""verified e-mail addresses, hiding from the directory, deleted accounts (issue 14)

Accounts that exist before this revision count as confirmed (their address was
accepted under the old rules); only new registrations must confirm.

Revision ID: 0010
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (SQLite has it): a batch copy of "user" would lose the
    # expression index on lower(username).
    op.add_column("user", sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    op.add_column("user", sa.Column("hidden_from_directory", sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    op.add_column("user", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.execute(sa.text('UPDATE "user" SET email_confirmed_at = created_at'))
    op.create_table(
        "email_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_email_confirmation_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_confirmation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_confirmation_token_hash")),
    )
    with op.batch_alter_table("email_confirmation") as batch:
        batch.create_index(batch.f("ix_email_confirmation_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("email_confirmation")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("hidden_from_directory")
        batch.drop_column("email_confirmed_at")
    # A batch copy (SQLite) drops expression indexes: put the username one back.
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("uq_user_username_lower", "user", [sa.text("lower(username)")],
                        unique=True)
