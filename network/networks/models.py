"""Networks, who belongs to them, and how people get in."""
from datetime import datetime

from sqlalchemy import (Column, DateTime, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, func, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.accounts.models import User
from network.core.time import utcnow
from network.extensions import db
from network.networks.taxonomy import Region, Topic

VISIBILITIES = ("open", "closed", "private")

network_topic = Table(
    "network_topic",
    db.metadata,
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)


class Network(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10), default="open", index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))  # None: national
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    region: Mapped[Region | None] = relationship(lazy="joined")
    topics: Mapped[list[Topic]] = relationship(secondary=network_topic, lazy="selectin",
                                               order_by=Topic.name)

    # Names need not be unique (slugs are): refusing a private network's name to
    # someone who may not see it would tell them it exists. Indexed for the check.
    __table_args__ = (Index("ix_network_name_lower", func.lower(name)),)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"),
                                            index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")  # member | manager
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
    network: Mapped[Network] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "network_id"),
        Index("ix_membership_network_role", "network_id", "role"),  # a network's managers
    )


class JoinRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|approved|declined|cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    network: Mapped[Network] = relationship()

    __table_args__ = (
        # One pending request per person and network, however many arrive at once.
        Index("uq_join_request_pending", "user_id", "network_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )


class Invitation(db.Model):
    """A manager's invitation to a (usually private) network, by username or email."""

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"),
                                            index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    network: Mapped[Network] = relationship()
