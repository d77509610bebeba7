"""Practices ("what works"), the organisations that took them up, and what happened.

A practice is a structured case study (DESIGN section 3). An adoption is one
organisation's take-up of one practice; each change of its stage or outcome is an
``AdoptionUpdate``, so the practice's timeline is the list of updates.
"""
from datetime import datetime

from sqlalchemy import (CheckConstraint, Column, DateTime, Float, ForeignKey, Index, Integer,
                        String, Table, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.accounts.models import SECTORS as PERSON_SECTORS
from network.accounts.models import User
from network.networks.taxonomy import Region, Topic
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network

# The sectors a practice can involve (the user table's sectors, less "other").
SECTORS = {key: label for key, label in PERSON_SECTORS.items() if key != "other"}
COST_BANDS = {
    "none": "No extra cost",
    "under_10k": "Under £10,000",
    "10k_100k": "£10,000 to £100,000",
    "over_100k": "Over £100,000",
}
# Nesta Standards of Evidence.
EVIDENCE_LEVELS = {
    1: ("A reasoned account of impact",
        "You can describe what you do and why it should make a difference."),
    2: ("Data show change",
        "You have measured before and after and the figures moved."),
    3: ("Change shown to be caused by it",
        "A comparison group or trial shows the practice caused the change."),
    4: ("Independently replicated",
        "Others have run it elsewhere, or evaluated it independently, with the same result."),
    5: ("Run at scale elsewhere",
        "It has been run at scale in several places and still works."),
}
STAGES = {
    "planning": "Planning",
    "trying": "Trying it",
    "adopted": "Adopted",
    "abandoned": "Abandoned",
}
DIRECTIONS = {"lower": "Lower is better", "higher": "Higher is better"}
PRACTICE_STATUSES = ("draft", "pending", "published", "withdrawn")
ONE_SOURCE = ("(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN article_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END) = 1")

practice_topic = Table(
    "practice_topic",
    db.metadata,
    Column("practice_id", ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PracticeSector(db.Model):
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"),
                                             primary_key=True)
    sector: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class Practice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    problem_html: Mapped[str] = mapped_column(Text, default="")
    approach: Mapped[str] = mapped_column(Text, default="")
    approach_html: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    results_html: Mapped[str] = mapped_column(Text, default="")
    key_learning: Mapped[str] = mapped_column(Text, default="")
    key_learning_html: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")  # one organisation per line
    evidence_links: Mapped[str] = mapped_column(Text, default="")  # one http(s) URL per line
    origin_region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(120), default="")
    cost_band: Mapped[str] = mapped_column(String(12), default="none")
    evidence_level: Mapped[int] = mapped_column(Integer, default=1)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("network.id", ondelete="SET NULL"),
                                                   index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    adoption_count: Mapped[int] = mapped_column(Integer, default=0)  # kept by services
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
    network: Mapped[Network | None] = relationship()
    origin_region: Mapped[Region | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=practice_topic, order_by=Topic.name)
    sector_rows: Mapped[list[PracticeSector]] = relationship(cascade="all, delete-orphan",
                                                             order_by=PracticeSector.sector)
    measures: Mapped[list["Measure"]] = relationship(
        cascade="all, delete-orphan", order_by="Measure.position", back_populates="practice")

    __table_args__ = (
        Index("ix_practice_status_published", "status", "published_at", "network_id"),
        Index("ix_practice_status_adopted", "status", "adoption_count"),
    )

    @property
    def sectors(self) -> list[str]:
        return [row.sector for row in self.sector_rows]

    @property
    def partner_list(self) -> list[str]:
        return [line for line in self.partners.splitlines() if line.strip()]

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.evidence_links.splitlines() if line.strip()]


class Figures:
    """The columns a measure and an adopter's figures share."""

    name: Mapped[str] = mapped_column(String(120))
    before: Mapped[float] = mapped_column(Float)
    after: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    period: Mapped[str] = mapped_column(String(60), default="")
    direction: Mapped[str] = mapped_column(String(6), default="lower")

    @property
    def improved(self) -> bool:
        """Moved the way the measure says is better."""
        return self.after < self.before if self.direction == "lower" else self.after > self.before


class Measure(Figures, db.Model):
    """One of the origin's figures: name, before, after, unit, period, which way is better."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    practice: Mapped[Practice] = relationship(back_populates="measures")


class PracticeRevision(db.Model):
    """The practice as it was before an edit (JSON of its text and measures)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    editor: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_practice_revision_practice", "practice_id", "created_at"),)


class Adoption(db.Model):
    """One organisation's take-up of a practice; its stage is the latest update's."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    adopter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                   index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(120))
    # The name with case, spaces and punctuation folded: one record per organisation.
    organisation_key: Mapped[str] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(10), default="planning")
    adaptations: Mapped[str] = mapped_column(Text, default="")
    adaptations_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    practice: Mapped[Practice] = relationship()
    adopter: Mapped[User | None] = relationship()
    region: Mapped[Region] = relationship()

    __table_args__ = (
        UniqueConstraint("practice_id", "organisation_key"),
        Index("ix_adoption_practice_stage", "practice_id", "stage"),
    )


class AdoptionUpdate(db.Model):
    """A stage change or outcome report on an adoption: one entry of the timeline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoption.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    stage: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    adoption: Mapped[Adoption] = relationship()
    author: Mapped[User | None] = relationship()
    figures: Mapped[list["AdoptionMeasure"]] = relationship(
        cascade="all, delete-orphan", order_by="AdoptionMeasure.id")

    __table_args__ = (Index("ix_adoption_update_adoption", "adoption_id", "created_at"),)


class AdoptionMeasure(Figures, db.Model):
    """An adopter's own figures, for one of the origin's measures or one of their own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("adoption_update.id", ondelete="CASCADE"),
                                           index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"),
                                                   index=True)


class PracticeMention(db.Model):
    """A post, article or comment that links to a practice (issue 10): exactly one of
    the three sources is set. The rows follow the source's text (replaced on each
    edit by ``practices.mentions.record``) and go with it or the practice (CASCADE);
    whether anyone is shown them is decided when a page is drawn, never here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        # One row per source and practice; they also find a source's rows.
        UniqueConstraint("post_id", "practice_id"),
        UniqueConstraint("article_id", "practice_id"),
        UniqueConstraint("comment_id", "practice_id"),
        Index("ix_practice_mention_practice", "practice_id", "created_at"),
        CheckConstraint(ONE_SOURCE, name="one_source"),
    )
