"""The networks' taxonomy: regions and topics (reference data, seeded by migration).

People also name their region (``User.region``); the table names stay ``region``
and ``topic``.
"""
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db


class Region(db.Model):
    """NHS England's seven regions plus the three devolved nations (seeded by migration)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Topic(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
