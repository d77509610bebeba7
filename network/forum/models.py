"""Discussion threads inside networks, their posts and every post's edit history."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.accounts.models import User
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network

POST_STATUSES = ("visible", "pending", "hidden", "deleted")


class Thread(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="visible")  # visible|pending|hidden
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id])

    __table_args__ = (
        Index("ix_thread_network_order", "network_id", "pinned", "last_post_at"),
        # Active discussions: ORDER BY last_post_at DESC, id DESC walks this index.
        Index("ix_thread_status_last_post", "status", "last_post_at", "id"),
    )


class Post(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based position in the thread
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="visible")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship()

    __table_args__ = (
        # One number per post in a thread: the reply service takes the next number
        # under the thread's row lock; this makes a mistake there fail loudly.
        Index("ix_post_thread_number", "thread_id", "number", unique=True),
        Index("ix_post_author_created", "author_id", "created_at"),  # profile activity
    )


class PostRevision(db.Model):
    """The text a post had before an edit; moderators can read the history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
