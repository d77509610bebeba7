"""practice mentions: which posts, articles and comments link to which practice (issue 10)

A new table, empty on upgrade: ``flask render-all`` notes the links of the texts
already stored (network/practices/mentions.py ``rebuild``).

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ONE_SOURCE = ("(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN article_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END) = 1")


def upgrade():
    op.create_table(
        "practice_mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(ONE_SOURCE, name="ck_practice_mention_one_source"),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"],
                                name="fk_practice_mention_practice_id_practice",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"],
                                name="fk_practice_mention_post_id_post", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"],
                                name="fk_practice_mention_article_id_article", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"],
                                name="fk_practice_mention_comment_id_comment", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_practice_mention"),
        sa.UniqueConstraint("post_id", "practice_id",
                            name="uq_practice_mention_post_id"),
        sa.UniqueConstraint("article_id", "practice_id",
                            name="uq_practice_mention_article_id"),
        sa.UniqueConstraint("comment_id", "practice_id",
                            name="uq_practice_mention_comment_id"),
    )
    op.create_index("ix_practice_mention_practice", "practice_mention",
                    ["practice_id", "created_at"])


def downgrade():
    op.drop_index("ix_practice_mention_practice", table_name="practice_mention")
    op.drop_table("practice_mention")
