"""network names need not be unique (slugs still are)

The unique index on lower(name) made creating a network with the name of a
private one answer "already exists", which told an outsider that the private
network exists. The service now refuses a name only when the creator may see
the network that has it, so the index becomes an ordinary one (it still serves
that check and the directory's sort by name).

Downgrading restores the unique index; it fails while two networks share a name.

Revision ID: 0006
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("uq_network_name_lower", table_name="network")
    op.create_index("ix_network_name_lower", "network", [sa.text("lower(name)")])


def downgrade():
    op.drop_index("ix_network_name_lower", table_name="network")
    op.create_index("uq_network_name_lower", "network", [sa.text("lower(name)")], unique=True)
