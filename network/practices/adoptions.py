"""Adoptions: an organisation takes up a practice, and each later change of stage
or outcome is a new timeline entry.

Guarantees: one adoption per practice and organisation (its name folded; a unique
index catches two at once); ``Practice.adoption_count`` moves in SQL in the same
transaction; leaving or reaching "abandoned" needs a note; the practice's author
and contact are told (when they may read it), never the person acting.
"""
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from network.core.policy import practices as rules
from network.core.errors import Conflict, Invalid, PermissionDenied
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.practices.models import STAGES, Adoption, AdoptionMeasure, AdoptionUpdate, Practice
from network.practices.services import (AdoptionInput, MeasureInput, check_figures, find_region,
                                        tell_origin, fold_organisation)


def existing_adoption(practice: Practice, organisation: str) -> Adoption | None:
    return db.session.scalar(select(Adoption).where(
        Adoption.practice_id == practice.id,
        Adoption.organisation_key == fold_organisation(organisation)))


def _figures(practice: Practice, rows: list[MeasureInput]) -> list[AdoptionMeasure]:
    """Adopters' figures: for an origin measure its name, unit and direction are the origin's."""
    check_figures(rows, "figures")
    origin = {m.id: m for m in practice.measures}
    figures = []
    for row in rows:
        measure = origin.get(row.measure_id) if row.measure_id is not None else None
        if row.measure_id is not None and measure is None:
            raise Invalid("That measure is not one of this practice's.", field="figures")
        figures.append(AdoptionMeasure(
            measure_id=measure.id if measure else None,
            name=measure.name if measure else row.name.strip(),
            unit=measure.unit if measure else row.unit.strip(),
            direction=measure.direction if measure else row.direction,
            period=row.period.strip(), before=row.before, after=row.after))
    return figures


def _note_needed(old_stage: str | None, new_stage: str, note: str) -> None:
    if new_stage not in STAGES:
        raise Invalid("Choose a stage from the list.", field="stage")
    if not note.strip() and (new_stage == "abandoned" or old_stage == "abandoned"):
        raise Invalid("Say what happened: a note is needed when giving up, or starting again "
                      "after giving up.", field="note")


def adopt_practice(adopter, practice: Practice, data: AdoptionInput) -> Adoption:
    """Record an organisation's take-up with its first timeline entry; the practice's
    adoption_count moves in SQL in the same transaction. One per organisation. Commits."""
    if not rules.can_adopt_practice(adopter, practice):
        raise PermissionDenied("You cannot record an adoption of this practice.")
    _note_needed(None, data.stage, data.note)
    region = find_region(data.region)
    key = fold_organisation(data.organisation)
    if not key:
        raise Invalid("Enter your organisation's name.", field="organisation")
    if existing_adoption(practice, data.organisation) is not None:
        raise Conflict("Your organisation has already recorded this practice.",
                       field="organisation")
    now = utcnow()
    adoption = Adoption(practice_id=practice.id, adopter_id=adopter.id, region_id=region.id,
                        organisation=data.organisation.strip(), organisation_key=key,
                        stage=data.stage, adaptations=data.adaptations,
                        adaptations_html=render_markdown(data.adaptations),
                        created_at=now, updated_at=now)
    adoption.region = region
    entry = AdoptionUpdate(author_id=adopter.id, stage=data.stage, note=data.note,
                           note_html=render_markdown(data.note), created_at=now,
                           figures=_figures(practice, data.figures))
    entry.adoption = adoption
    db.session.add_all([adoption, entry])
    try:
        db.session.flush()
    except IntegrityError:  # the same organisation, a moment ago
        db.session.rollback()
        raise Conflict("Your organisation has already recorded this practice.",
                       field="organisation") from None
    db.session.execute(update(Practice).where(Practice.id == practice.id)
                       .values(adoption_count=Practice.adoption_count + 1))
    tell_origin(practice, adopter, f"{adoption.organisation} is {STAGES[data.stage].lower()}",
                 f"/practices/{practice.slug}#adoption-{adoption.id}")
    db.session.commit()
    return adoption


def update_adoption(actor, adoption: Adoption, data: AdoptionInput) -> AdoptionUpdate:
    """A new timeline entry: a stage change and/or an outcome report with figures. Commits."""
    if not rules.can_update_adoption(actor, adoption):
        raise PermissionDenied("Only the person who recorded this adoption can update it.")
    _note_needed(adoption.stage, data.stage, data.note)
    figures = _figures(adoption.practice, data.figures)
    if data.stage == adoption.stage and not data.note.strip() and not figures:
        raise Invalid("Change the stage, write an outcome note or add figures.", field="note")
    now = utcnow()
    entry = AdoptionUpdate(adoption_id=adoption.id, author_id=actor.id, stage=data.stage,
                           note=data.note, note_html=render_markdown(data.note),
                           created_at=now, figures=figures)
    db.session.add(entry)
    what = ("moved to " + STAGES[data.stage].lower() if data.stage != adoption.stage
            else "reported an outcome on")
    adoption.stage, adoption.updated_at = data.stage, now
    tell_origin(adoption.practice, actor, f"{adoption.organisation} {what}",
                 f"/practices/{adoption.practice.slug}#adoption-{adoption.id}")
    db.session.commit()
    return entry
