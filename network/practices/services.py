"""Practices and adoptions: writing them, and what the pages read.

Guarantees: every Markdown field is stored with its HTML from ``core.text``;
``Practice.adoption_count`` moves in SQL in the same transaction as the adoption;
an organisation has one adoption per practice (folded name, unique index); every
read for lists, counts, maps and CSV goes through ``policy.practices.visible_practices``.
"""
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload, selectinload

from network.accounts.models import User
from network.networks.taxonomy import Region, Topic
from network.articles.services import slugify
from network.core.policy import practices as rules
from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core import policy
from network.core.policy import is_network_member
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Membership, Network
from network.search import index as search_index
from network.notifications import watching
from network.notifications.services import notify, notify_people
from network.practices.models import (COST_BANDS, DIRECTIONS, EVIDENCE_LEVELS, SECTORS, STAGES,
                                      Adoption, AdoptionMeasure, AdoptionUpdate, Measure,
                                      Practice, PracticeRevision, PracticeSector)

MAX_FIGURE = 1e12
RESERVED_SLUGS = {"new", "map", "feed", "feed-atom"}
ACTIONS = ("draft", "publish", "withdraw")
TEXT_FIELDS = ("title", "summary", "problem", "approach", "results", "key_learning")


@dataclass
class MeasureInput:
    name: str
    before: float
    after: float
    unit: str = ""
    period: str = ""
    direction: str = "lower"
    measure_id: int | None = None  # an adopter's figures for one of the origin's measures


@dataclass
class PracticeInput:
    title: str
    summary: str = ""
    problem: str = ""
    approach: str = ""
    results: str = ""
    key_learning: str = ""
    measures: list[MeasureInput] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    partners: str = ""
    region: str = ""
    organisation: str = ""
    topics: list[str] = field(default_factory=list)
    cost_band: str = "none"
    evidence_level: int = 1
    evidence_links: str = ""
    contact: str = ""  # a username
    network_id: int | None = None


@dataclass
class AdoptionInput:
    stage: str
    note: str = ""
    region: str = ""
    organisation: str = ""
    adaptations: str = ""
    figures: list[MeasureInput] = field(default_factory=list)


def fold_organisation(name: str) -> str:
    """'St. Mary's  NHS-Trust' and 'st marys nhs trust' are the same organisation."""
    ascii_text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    folded = re.sub(r"[^a-z0-9]+", "", ascii_text.casefold())
    return folded[:120] or re.sub(r"\W+", "", (name or "").casefold())[:120]


def check_figures(rows: list[MeasureInput], field_name: str) -> None:
    for row in rows:
        for value in (row.before, row.after):
            if not math.isfinite(value) or abs(value) > MAX_FIGURE:
                raise Invalid("Figures must be numbers no bigger than a million million.",
                              field=field_name)
        if row.direction not in DIRECTIONS:
            raise Invalid("Choose whether lower or higher is better.", field=field_name)
        if row.measure_id is None and not row.name.strip():
            raise Invalid("Name each measure.", field=field_name)


def _unique_slug(title: str) -> str:
    base = slugify(title) or "practice"
    if base in RESERVED_SLUGS:
        base = f"{base}-practice"
    taken = set(db.session.scalars(select(Practice.slug).where(
        (Practice.slug == base) | Practice.slug.like(f"{base}-%"))))
    n, slug = 2, base
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def author_networks(author) -> list[Network]:
    ids = list(author.network_roles)
    if not ids:
        return []
    return list(db.session.scalars(select(Network).where(
        Network.id.in_(ids), Network.archived_at.is_(None)).order_by(Network.name)))


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.position)))


def topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.name)))


def find_region(slug: str, field_name: str = "region") -> Region:
    found = db.session.scalar(select(Region).where(Region.slug == slug)) if slug else None
    if found is None:
        raise Invalid("Choose a region from the list.", field=field_name)
    return found


def _apply(practice: Practice, author, data: PracticeInput) -> None:
    """Copy the input onto the practice, each Markdown field with its cleaned HTML."""
    if not data.measures:
        raise Invalid("Add at least one measure, with its before and after figures.",
                      field="measures")
    check_figures(data.measures, "measures")
    if any(s not in SECTORS for s in data.sectors):
        raise Invalid("Choose sectors from the list.", field="sectors")
    if data.cost_band not in COST_BANDS:
        raise Invalid("Choose a cost band.", field="cost_band")
    if data.evidence_level not in EVIDENCE_LEVELS:
        raise Invalid("Choose an evidence level from 1 to 5.", field="evidence_level")
    region = find_region(data.region)
    chosen_topics = list(db.session.scalars(select(Topic).where(Topic.slug.in_(data.topics)))) \
        if data.topics else []
    if len(chosen_topics) != len(set(data.topics)):
        raise Invalid("Choose topics from the list.", field="topics")
    network = None
    if data.network_id is not None:
        network = db.session.get(Network, data.network_id)
        if network is None or network.is_archived or not is_network_member(author, network):
            raise Invalid("Choose a network you are a member of, or none.", field="network")
    contact = author  # the form says: leave it empty to be the contact yourself
    if data.contact.strip():
        contact = db.session.scalar(select(User).where(
            func.lower(User.username) == data.contact.strip().lower()[:30]))
        if contact is None:
            raise Invalid("No member has that username. Check it on their profile.",
                          field="contact")
    for name in TEXT_FIELDS:
        value = getattr(data, name) or ""
        setattr(practice, name, value.strip() if name in ("title", "summary") else value)
        if name not in ("title", "summary"):
            setattr(practice, f"{name}_html", render_markdown(value))
    practice.partners = data.partners.strip()
    practice.evidence_links = data.evidence_links.strip()
    practice.origin_region = region
    practice.organisation = data.organisation.strip()
    practice.topics = chosen_topics
    practice.cost_band = data.cost_band
    practice.evidence_level = data.evidence_level
    practice.contact = contact
    practice.network = network
    wanted = list(dict.fromkeys(data.sectors))
    practice.sector_rows = [row for row in practice.sector_rows if row.sector in wanted] + [
        PracticeSector(sector=s) for s in wanted if s not in practice.sectors]
    _set_measures(practice, data.measures)


def _set_measures(practice: Practice, rows: list[MeasureInput]) -> None:
    """Keep existing measure rows (adopters' figures point at them) where a row of the
    same position remains; add or drop the rest."""
    existing = list(practice.measures)
    for position, row in enumerate(rows):
        if position < len(existing):
            measure = existing[position]
        else:
            measure = Measure(position=position)
            practice.measures.append(measure)
        measure.position = position
        measure.name, measure.before, measure.after = row.name.strip(), row.before, row.after
        measure.unit, measure.period = row.unit.strip(), row.period.strip()
        measure.direction = row.direction
    for measure in existing[len(rows):]:
        practice.measures.remove(measure)


def _set_status(practice: Practice, actor, action: str, now) -> None:
    if action not in ACTIONS:
        raise Invalid("Choose what to do: save a draft, publish or withdraw.")
    if action == "draft":
        practice.status = "draft"
    elif action == "withdraw":
        practice.status = "withdrawn"
    elif rules.practice_needs_approval(actor) and practice.status != "published":
        practice.status = "pending"
    else:
        practice.status = "published"
        practice.published_at = practice.published_at or now


# What moderation's words mean for a practice: approved is published; rejected goes
# back to its author's drafts (nothing they wrote is lost), to mend and send again.
_MODERATED = {"visible": "published", "hidden": "draft"}


def moderated_status(practice: Practice) -> str:
    """A practice's status in moderation's words (visible, pending or hidden)."""
    return {"published": "visible", "pending": "pending"}.get(practice.status, "hidden")


def set_moderated_status(practice: Practice, status: str) -> None:
    """A moderator approves (visible) or rejects (hidden) a waiting practice. Does not commit."""
    if status not in _MODERATED:
        raise Invalid("A practice can only be approved or returned to its author.")
    now = utcnow()
    practice.status = _MODERATED[status]
    practice.updated_at = now
    if practice.status == "published":
        practice.published_at = practice.published_at or now
    search_index.index_practice(practice)


def create_practice(author, data: PracticeInput, action: str) -> Practice:
    """Record a practice; an untrusted member's "publish" waits for a moderator. Commits."""
    if not rules.can_submit_practice(author):
        raise PermissionDenied("You cannot submit practices at the moment.")
    if action == "withdraw":
        raise Invalid("A new practice cannot be withdrawn.")
    for _attempt in range(3):
        now = utcnow()
        practice = Practice(author_id=author.id, slug=_unique_slug(data.title), created_at=now,
                            updated_at=now, last_reviewed_at=now, adoption_count=0,
                            status="draft")
        with db.session.no_autoflush:
            _apply(practice, author, data)
        db.session.add(practice)
        _set_status(practice, author, action, now)
        try:
            search_index.index_practice(practice)
            db.session.commit()
        except IntegrityError:  # the slug was taken in the meantime
            db.session.rollback()
            continue
        return practice
    raise Conflict("The practice could not be saved just now. Try again.")


def _snapshot(practice: Practice) -> str:
    return json.dumps({
        **{name: getattr(practice, name) for name in TEXT_FIELDS},
        "evidence_level": practice.evidence_level,
        "measures": [{"name": m.name, "before": m.before, "after": m.after, "unit": m.unit,
                      "period": m.period, "direction": m.direction} for m in practice.measures],
    })


def update_practice(editor, practice: Practice, data: PracticeInput, action: str) -> Practice:
    """Save an edit, keeping the previous version as a revision. An edit by the
    author counts as a review. Adopters hear when the origin's results change. Commits."""
    if not rules.can_edit_practice(editor, practice):
        raise PermissionDenied("You cannot edit this practice.")
    now = utcnow()
    before = _snapshot(practice)
    old_results = (practice.results, [(m.name, m.before, m.after) for m in practice.measures])
    with db.session.no_autoflush:
        _apply(practice, practice.author, data)
        _set_status(practice, editor, action, now)
    after = _snapshot(practice)
    if after != before:
        db.session.add(PracticeRevision(practice_id=practice.id, editor_id=editor.id,
                                        content=before, created_at=now))
        practice.updated_at = now
    if rules.is_practice_author(editor, practice):
        practice.last_reviewed_at = now
    new_results = (practice.results, [(m.name, m.before, m.after) for m in practice.measures])
    if practice.status == "published" and new_results != old_results:
        _tell_adopters(practice, editor)
    search_index.index_practice(practice)
    db.session.commit()
    return practice


def review_practice(actor, practice: Practice) -> None:
    """The author or a moderator confirms the practice still stands. Commits."""
    if not rules.can_review_practice(actor, practice):
        raise PermissionDenied("Only its author or a moderator can mark this practice reviewed.")
    practice.last_reviewed_at = utcnow()
    db.session.commit()


def revisions(practice: Practice) -> list[tuple[PracticeRevision, dict]]:
    rows = db.session.scalars(select(PracticeRevision).where(
        PracticeRevision.practice_id == practice.id).options(joinedload(PracticeRevision.editor))
        .order_by(PracticeRevision.created_at.desc(), PracticeRevision.id.desc()))
    return [(row, json.loads(row.content)) for row in rows]


# --- notifications ---------------------------------------------------------------

def _notice(practice: Practice, text: str) -> str:
    """What a notification may say: a practice outside open space is not named."""
    if practice.network is not None and practice.network.visibility != "open":
        return f"{text} a practice in {practice.network.name}."
    return f"{text} “{practice.title}”."


def _tell(practice: Practice, actor, people, text: str, url: str) -> None:
    """Tell these people (who may read it and have not muted it, never the actor), and
    everyone watching the practice who may read it: the watchers in one INSERT ... SELECT."""
    people = [u for u in dict.fromkeys(people) if u is not None and u.id != actor.id]
    muted = watching.muted_by([u.id for u in people], "practice", practice.id)
    told = set()
    for user in people:
        if user.id not in muted and rules.can_read_practice(user, practice):
            notify(user.id, "practice", _notice(practice, text), url=url,
                   network_id=practice.network_id, actor_id=actor.id)
            told.add(user.id)
    if practice.status != "published":
        return
    readers = (true() if practice.network is None else
               policy.network_content_readers(practice.network, User, Membership))
    watchers = (watching.at_level("practice", practice.id)
                .join(User, User.id == watching.Watch.user_id)
                .where(watching.Watch.user_id.not_in(told | {actor.id}), readers))
    notify_people(watchers, "practice", _notice(practice, text), url=url,
                  network_id=practice.network_id, actor_id=actor.id)


def tell_origin(practice: Practice, actor, text: str, url: str) -> None:
    """The practice's author and contact, and those watching it."""
    _tell(practice, actor, (practice.author, practice.contact), text, url)


def _tell_adopters(practice: Practice, actor) -> None:
    """Its adopters, and those watching it, hear that the origin's results changed."""
    adopters = list(db.session.scalars(select(User).join(Adoption, Adoption.adopter_id == User.id)
                                       .where(Adoption.practice_id == practice.id).distinct()))
    _tell(practice, actor, adopters, "The origin updated the results of",
          f"/practices/{practice.slug}")


def set_watch_level(viewer, practice: Practice, level: str) -> None:
    """Watching, normal or muted for a practice one may read. Commits."""
    if not rules.can_watch_practice(viewer, practice):
        raise PermissionDenied()
    watching.set_level(viewer.id, "practice", practice.id, level)
    db.session.commit()


# --- reading ---------------------------------------------------------------------

def _with_network():
    return joinedload(Practice.network).options(lazyload(Network.topics),
                                                lazyload(Network.region))


def get_practice(slug: str) -> Practice | None:
    if not slug or len(slug) > 120:
        return None
    return db.session.scalar(select(Practice).where(Practice.slug == slug).options(
        joinedload(Practice.author), joinedload(Practice.contact), _with_network(),
        joinedload(Practice.origin_region), selectinload(Practice.topics),
        selectinload(Practice.sector_rows), selectinload(Practice.measures)))


def get_adoption(practice: Practice, adoption_id: int) -> Adoption:
    adoption = db.session.scalar(select(Adoption).where(
        Adoption.id == adoption_id, Adoption.practice_id == practice.id)
        .options(joinedload(Adoption.region)))
    if adoption is None:
        raise NotFound()
    return adoption


def timeline(practice: Practice) -> list[AdoptionUpdate]:
    """Every entry of every adoption, oldest first, with who, where and figures (2 queries)."""
    return list(db.session.scalars(
        select(AdoptionUpdate).join(Adoption).where(Adoption.practice_id == practice.id)
        .options(joinedload(AdoptionUpdate.adoption).joinedload(Adoption.region),
                 joinedload(AdoptionUpdate.author), selectinload(AdoptionUpdate.figures))
        .order_by(AdoptionUpdate.created_at, AdoptionUpdate.id)).unique())
