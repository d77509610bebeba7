"""Practice and adoption rows for tests and the route walk's world (no fixtures here)."""
from itertools import count

from sqlalchemy import select

from network.networks.taxonomy import Region
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.search import index as search_index
from network.practices.models import (Adoption, AdoptionMeasure, AdoptionUpdate, Measure,
                                      Practice, PracticeSector)

_seq = count(1)


def region_id(slug):
    return db.session.scalar(select(Region.id).where(Region.slug == slug))


def add_practice(author, title=None, region="london", network=None, status="published",
                 measures=(("Waiting time", 18, 6, "weeks", "lower"),), sectors=("nhs",),
                 **fields):
    """A practice row (inside an app context; flushed, not committed)."""
    n = next(_seq)
    title = title or f"Practice {n}"
    now = utcnow()
    practice = Practice(
        slug=fields.pop("slug", f"practice-{n}"), title=title,
        summary=fields.pop("summary", f"Summary of {title}."),
        problem="The problem.", problem_html=render_markdown("The problem."),
        approach="What we did.", approach_html=render_markdown("What we did."),
        origin_region_id=region_id(region), organisation=fields.pop("organisation", "Origin Trust"),
        author_id=author.id, network_id=network.id if network is not None else None,
        status=status, published_at=now if status == "published" else None,
        created_at=now, updated_at=now, last_reviewed_at=fields.pop("last_reviewed_at", now),
        adoption_count=0, cost_band=fields.pop("cost_band", "none"),
        evidence_level=fields.pop("evidence_level", 2), **fields)
    practice.measures = [Measure(position=i, name=name, before=b, after=a, unit=unit,
                                 direction=direction)
                         for i, (name, b, a, unit, direction) in enumerate(measures)]
    practice.sector_rows = [PracticeSector(sector=s) for s in sectors]
    db.session.add(practice)
    db.session.flush()
    search_index.index_practice(practice)
    return practice


def add_adoption(practice, adopter, organisation, region="midlands", stage="trying",
                 figures=(), note=""):
    """An adoption with its first entry; figures are (measure index, before, after)."""
    from network.practices.services import fold_organisation

    adoption = Adoption(practice_id=practice.id, adopter_id=adopter.id,
                        region_id=region_id(region), organisation=organisation,
                        organisation_key=fold_organisation(organisation), stage=stage)
    db.session.add(adoption)
    db.session.flush()
    entry = AdoptionUpdate(adoption_id=adoption.id, author_id=adopter.id, stage=stage, note=note,
                           note_html=render_markdown(note))
    for index, before, after in figures:
        m = practice.measures[index]
        entry.figures.append(AdoptionMeasure(measure_id=m.id, name=m.name, before=before,
                                             after=after, unit=m.unit, direction=m.direction))
    db.session.add(entry)
    practice.adoption_count += 1
    db.session.flush()
    return adoption


def add_world_practices(world, people, author) -> None:
    """The route walk's world: a published practice in each network by the associate
    author, with an adoption by the member (SECRET in the private one's text)."""
    from network.networks.models import Network

    for visibility, place in world.places.items():
        network = db.session.get(Network, place.network_id)
        label = "SECRETPRIVATE" if visibility == "private" else visibility.title()
        practice = add_practice(author, title=f"{label} practice", network=network,
                                slug=f"{visibility}-practice", summary=f"{label} summary",
                                organisation=f"{label} Trust")
        adoption = add_adoption(practice, people["member"], "World Trust", note=f"{label} note",
                                figures=[(0, 20, 10)])
        place.practice_slug, place.adoption_id = practice.slug, adoption.id
        place.practice_id = practice.id
