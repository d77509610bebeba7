"""In-app notifications, each person's delivery choices, and the outbox of mail."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from network.core.time import utcnow
from network.extensions import db


WATCH_LEVELS = ("watching", "normal", "muted")
WATCH_TARGETS = ("thread", "network", "practice", "event")


class Watch(db.Model):
    """How closely one person follows one thing (a thread, a network, a practice,
    an event): *watching* (every new post, or every new thread and article in a
    network), *normal* (only mentions and replies to them) or *muted* (nothing).
    No row is *normal*. No foreign key on the target: its kind says which table."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    target_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(10), default="watching")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_watch_target", "target_type", "target_id", "level"),)


class Notification(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300), default="")
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When this notification went out in a digest (a digest lists each one once).
    digested_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_notification_user_created", "user_id", "created_at"),
                      Index("ix_notification_user_read", "user_id", "read_at"))


class NotificationSetting(db.Model):
    """How one person hears about one group of notifications (see ``kinds``);
    a group with no row uses its default."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    group: Mapped[str] = mapped_column(String(30))
    delivery: Mapped[str] = mapped_column(String(20))

    __table_args__ = (UniqueConstraint("user_id", "group", name="uq_notification_setting"),)


class OutboxMail(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Notification mail: whose it is and which group, so the unsubscribe headers
    # are built (signed) when it is sent. Account mail has neither.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    group: Mapped[str] = mapped_column(String(30), default="")
    html_body: Mapped[str] = mapped_column(Text, default="")
    next_try_at: Mapped[datetime | None] = mapped_column(DateTime)
