"""Articles (blog-style pieces by associates) and their comments."""
from datetime import datetime

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table,
                        Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.accounts.models import User
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network

ARTICLE_STATUSES = ("draft", "published", "withdrawn")
COMMENT_STATUSES = ("visible", "pending", "hidden", "deleted")

article_tag = Table(
    "article_tag",
    db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(60))


class Series(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))


class Article(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    standfirst: Mapped[str] = mapped_column(String(400), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"),
                                                   index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"),
                                                  index=True)
    series_part: Mapped[int | None] = mapped_column(Integer)
    author_bio: Mapped[str | None] = mapped_column(Text)  # None: use the author's profile bio
    author_bio_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(DateTime)  # future: scheduled
    # When the network's watchers were told it had arrived (at publication, or by
    # `flask articles announce-due` once a scheduled time came); never twice.
    announced_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)  # edited after publication
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    comments_open: Mapped[bool] = mapped_column(Boolean, default=True)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[User] = relationship()
    network: Mapped[Network | None] = relationship()
    series: Mapped[Series | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=article_tag, lazy="selectin",
                                           order_by=Tag.name)

    __table_args__ = (
        # Covers the list's filter (network_id too), so counting needs no table rows.
        Index("ix_article_status_published", "status", "published_at", "network_id"),
        # Two "part 1" in one series cannot be stored (articles outside a series have
        # no series_id, and NULLs never clash).
        UniqueConstraint("series_id", "series_part", name="uq_article_series_part"),
        Index("ix_article_author_published", "author_id", "status", "published_at"),  # profiles, ?author=
        Index("ix_article_unannounced", "announced_at", "published_at"),  # announce-due
    )


class Comment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="visible")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)

    article: Mapped[Article] = relationship()
    author: Mapped[User] = relationship()

    __table_args__ = (
        Index("ix_comment_article_created", "article_id", "created_at"),
        Index("ix_comment_author_created", "author_id", "created_at"),  # profile activity
    )
