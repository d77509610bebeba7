"""A network's library: folders one level deep, documents, and each document's
versions (every upload kept, with who uploaded it and when).

A version's file lives on disk under ``stored_name`` (generated, see storage.py);
``original_name`` is the cleaned name it was uploaded with, ``kind`` the type its
content was found to be, and ``text`` what was extracted from it (for search).
A removed document keeps its rows (the moderation log names it) but not its files.
"""
from datetime import datetime

from sqlalchemy import (Column, DateTime, ForeignKey, Integer, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.accounts.models import User
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network
from network.networks.taxonomy import Topic

STATUSES = ("live", "removed")

document_topic = Table(
    "document_topic",
    db.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)


class Folder(db.Model):
    __tablename__ = "library_folder"
    __table_args__ = (UniqueConstraint("network_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Document(db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id", ondelete="CASCADE"),
                                            index=True)
    folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_folder.id", ondelete="SET NULL"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(1000), default="")
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                    nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(10), default="live")
    version_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    network: Mapped[Network] = relationship()
    folder: Mapped[Folder | None] = relationship()
    uploader: Mapped[User | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=document_topic, lazy="selectin",
                                               order_by=Topic.name)
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document", order_by="DocumentVersion.number.desc()",
        cascade="all, delete-orphan")

    @property
    def is_removed(self) -> bool:
        return self.status == "removed"


class DocumentVersion(db.Model):
    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"),
                                             index=True)
    number: Mapped[int] = mapped_column(Integer)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                    nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    # Up to a million characters each: loaded only when asked for (search), never by lists.
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploader: Mapped[User | None] = relationship()
