"""network libraries: folders, documents, their topics and versions (issue 13)

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "library_folder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"],
                                name=op.f("fk_library_folder_network_id_network"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_folder")),
        sa.UniqueConstraint("network_id", "name", name=op.f("uq_library_folder_network_id")),
    )
    with op.batch_alter_table("library_folder") as batch:
        batch.create_index(batch.f("ix_library_folder_network_id"), ["network_id"], unique=False)
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("folder_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"],
                                name=op.f("fk_document_network_id_network"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["folder_id"], ["library_folder.id"],
                                name=op.f("fk_document_folder_id_library_folder"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["uploader_id"], ["user.id"],
                                name=op.f("fk_document_uploader_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document") as batch:
        batch.create_index(batch.f("ix_document_network_id"), ["network_id"], unique=False)
        batch.create_index(batch.f("ix_document_folder_id"), ["folder_id"], unique=False)
        batch.create_index(batch.f("ix_document_uploader_id"), ["uploader_id"], unique=False)
        batch.create_index(batch.f("ix_document_updated_at"), ["updated_at"], unique=False)
    op.create_table(
        "document_topic",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_topic_document_id_document"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"],
                                name=op.f("fk_document_topic_topic_id_topic"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "topic_id", name=op.f("pk_document_topic")),
    )
    op.create_table(
        "document_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_version_document_id_document"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploader_id"], ["user.id"],
                                name=op.f("fk_document_version_uploader_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_version")),
        sa.UniqueConstraint("document_id", "number", name=op.f("uq_document_version_document_id")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_document_version_stored_name")),
    )
    with op.batch_alter_table("document_version") as batch:
        batch.create_index(batch.f("ix_document_version_document_id"), ["document_id"], unique=False)


def downgrade():
    op.drop_table("document_version")
    op.drop_table("document_topic")
    op.drop_table("document")
    op.drop_table("library_folder")
