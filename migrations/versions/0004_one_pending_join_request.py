"""one pending join request per person and network (partial unique index)

Two requests to join sent at the same moment both passed the service's "already
asked?" check on PostgreSQL and were both stored. A partial unique index on
(user_id, network_id) where status = 'pending' makes the second one fail.

A database that already holds duplicates keeps each person's oldest pending
request per network (the one its managers were told about first); the later
ones are marked cancelled, as if withdrawn. Downgrading drops the index and
leaves those requests cancelled.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    op.execute(
        "UPDATE join_request SET status = 'cancelled' "
        "WHERE status = 'pending' AND EXISTS ("
        "SELECT 1 FROM join_request AS earlier "
        "WHERE earlier.user_id = join_request.user_id "
        "AND earlier.network_id = join_request.network_id "
        "AND earlier.status = 'pending' AND earlier.id < join_request.id)")
    op.create_index("uq_join_request_pending", "join_request", ["user_id", "network_id"],
                    unique=True, sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade():
    op.drop_index("uq_join_request_pending", table_name="join_request")
