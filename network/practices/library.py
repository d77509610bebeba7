"""Reading practices in bulk: the library's filters, its CSV, the spread of one
practice, the replication summary and the map's counts.

Every query that lists or counts practices filters with
``policy.practices.visible_practices``, so a private network's practice is absent
from lists, counts, the map and the CSV for those who may not read it. Each page
runs a fixed number of queries, whatever the number of practices and adoptions.
"""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import joinedload, lazyload

from network.networks.taxonomy import Region, Topic
from network.core import spreadsheet
from network.core.policy import practices as rules
from network.extensions import db
from network.networks.models import Network
from network.practices.models import (COST_BANDS, EVIDENCE_LEVELS, SECTORS, STAGES, Adoption,
                                      Practice, PracticeSector, practice_topic)

SORTS = {"adopted": "Most adopted", "recent": "Most recent", "updated": "Recently updated"}
CSV_LIMIT = 10_000


@dataclass
class Filters:
    region: Region | None = None
    topic: Topic | None = None
    sector: str = ""
    cost: str = ""
    evidence: int | None = None
    stage: str = ""
    sort: str = "recent"

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Known values only: anything else is no filter (never an error)."""
        region_slug, topic_slug = args.get("region", "")[:60], args.get("topic", "")[:60]
        region = db.session.scalar(select(Region).where(Region.slug == region_slug)) \
            if region_slug else None
        topic = db.session.scalar(select(Topic).where(Topic.slug == topic_slug)) \
            if topic_slug else None
        evidence = args.get("evidence", "")
        return cls(region=region, topic=topic,
                   sector=args.get("sector") if args.get("sector") in SECTORS else "",
                   cost=args.get("cost") if args.get("cost") in COST_BANDS else "",
                   evidence=int(evidence) if evidence in {str(n) for n in EVIDENCE_LEVELS}
                   else None,
                   stage=args.get("stage") if args.get("stage") in STAGES else "",
                   sort=args.get("sort") if args.get("sort") in SORTS else "recent")

    def query_args(self) -> dict:
        return {k: v for k, v in {
            "region": self.region.slug if self.region else None,
            "topic": self.topic.slug if self.topic else None, "sector": self.sector or None,
            "cost": self.cost or None, "evidence": self.evidence, "stage": self.stage or None,
            "sort": self.sort if self.sort != "recent" else None}.items() if v is not None}


def library_statement(viewer, filters: Filters):
    """Statement: published practices the viewer may read, filtered and sorted, with
    their origin region and network in the same query."""
    stmt = (select(Practice).where(rules.visible_practices(viewer, Practice, Network))
            .options(joinedload(Practice.origin_region),
                     joinedload(Practice.network).options(lazyload(Network.topics),
                                                          lazyload(Network.region)),
                     lazyload(Practice.topics), lazyload(Practice.sector_rows),
                     lazyload(Practice.measures)))
    if filters.region is not None:
        stmt = stmt.where(or_(Practice.origin_region_id == filters.region.id,
                              Practice.id.in_(select(Adoption.practice_id).where(
                                  Adoption.region_id == filters.region.id))))
    if filters.topic is not None:
        stmt = stmt.where(Practice.id.in_(select(practice_topic.c.practice_id).where(
            practice_topic.c.topic_id == filters.topic.id)))
    if filters.sector:
        stmt = stmt.where(Practice.id.in_(select(PracticeSector.practice_id).where(
            PracticeSector.sector == filters.sector)))
    if filters.cost:
        stmt = stmt.where(Practice.cost_band == filters.cost)
    if filters.evidence is not None:
        stmt = stmt.where(Practice.evidence_level == filters.evidence)
    if filters.stage:
        stmt = stmt.where(Practice.id.in_(select(Adoption.practice_id).where(
            Adoption.stage == filters.stage)))
    order = {"adopted": (Practice.adoption_count.desc(), Practice.published_at.desc()),
             "updated": (Practice.updated_at.desc(),),
             "recent": (Practice.published_at.desc(),)}[filters.sort]
    return stmt.order_by(*order, Practice.id.desc())


def awaiting_approval(viewer, limit: int = 50) -> list[Practice]:
    """Practices waiting for a moderator, for site staff (one query; none for others).
    A moderator approves one in the review queue, or by opening it and choosing Publish."""
    if not rules.is_staff(viewer):
        return []
    return list(db.session.scalars(
        select(Practice).where(Practice.status == "pending")
        .options(joinedload(Practice.origin_region), lazyload(Practice.network))
        .order_by(Practice.created_at).limit(limit)))


def regions_reached(practice_ids) -> dict[int, int]:
    """{practice id: regions where it is planned, tried or adopted} in one query."""
    ids = list(practice_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Adoption.practice_id, func.count(distinct(Adoption.region_id)))
        .where(Adoption.practice_id.in_(ids), Adoption.stage != "abandoned")
        .group_by(Adoption.practice_id))
    return dict(rows.all())


def latest_practices(viewer, limit: int = 3) -> list[Practice]:
    """The newest practices the viewer may read (home page), in one query."""
    return list(db.session.scalars(
        library_statement(viewer, Filters()).limit(limit)).unique())


def csv_text(viewer, filters: Filters, base_url: str = "") -> str:
    """The filtered library as CSV (two queries), only what the viewer may read."""
    practices = list(db.session.scalars(library_statement(viewer, filters)
                                        .limit(CSV_LIMIT)).unique())
    reached = regions_reached(p.id for p in practices)
    return spreadsheet.csv_text(
        ["title", "summary", "origin region", "organisation", "evidence level", "cost band",
         "adoptions", "regions reached", "address"],
        ((p.title, p.summary, p.origin_region.name if p.origin_region else "",
          p.organisation, p.evidence_level, COST_BANDS.get(p.cost_band, ""),
          p.adoption_count, reached.get(p.id, 0), f"{base_url}/practices/{p.slug}")
         for p in practices))


def spread(practice: Practice) -> list[dict]:
    """Per region where it was taken up: the count at each stage (one query)."""
    rows = db.session.execute(
        select(Region.name, Region.slug, Adoption.stage, func.count(Adoption.id))
        .join(Region, Region.id == Adoption.region_id)
        .where(Adoption.practice_id == practice.id)
        .group_by(Region.name, Region.slug, Region.position, Adoption.stage)
        .order_by(Region.position)).all()
    regions: dict[str, dict] = {}
    for name, slug, stage, count in rows:
        entry = regions.setdefault(slug, {"name": name, "slug": slug, "total": 0,
                                          **{s: 0 for s in STAGES}})
        entry[stage] = count
        entry["total"] += count
    return list(regions.values())


def replication(practice: Practice, entries) -> dict:
    """From the timeline entries: regions at each stage, and for each origin measure
    how many adopters reported it and how many saw it improve (each adopter's latest
    figures count). "Replicated in N regions": regions other than the origin's where
    an origin measure improved."""
    latest: dict[tuple[int, int], object] = {}
    stage_of: dict[int, tuple[str, int]] = {}
    for entry in entries:  # oldest first: later figures replace earlier ones
        adoption = entry.adoption
        stage_of[adoption.id] = (adoption.stage, adoption.region_id)
        for figure in entry.figures:
            if figure.measure_id is not None:
                latest[(adoption.id, figure.measure_id)] = (figure, adoption.region_id)
    regions_at = {stage: len({r for s, r in stage_of.values() if s == stage})
                  for stage in ("adopted", "trying", "abandoned")}
    per_measure = defaultdict(lambda: {"reported": 0, "improved": 0})
    replicated = set()
    for (_adoption_id, measure_id), (figure, region_id) in latest.items():
        per_measure[measure_id]["reported"] += 1
        if figure.improved:
            per_measure[measure_id]["improved"] += 1
            if region_id != practice.origin_region_id:
                replicated.add(region_id)
    return {"regions_at": regions_at,
            "measures": [(m, per_measure[m.id]) for m in practice.measures],
            "replicated_regions": len(replicated) if len(replicated) >= 2 else 0}


def map_counts(viewer, practice: Practice | None = None, topic: Topic | None = None):
    """[(region, adoptions there)] for every region, of the practices this viewer may
    read (all, one, or one topic's): two queries."""
    stmt = (select(Adoption.region_id, func.count(Adoption.id))
            .join(Practice, Practice.id == Adoption.practice_id)
            .where(rules.visible_practices(viewer, Practice, Network))
            .group_by(Adoption.region_id))
    if practice is not None:
        stmt = stmt.where(Adoption.practice_id == practice.id)
    if topic is not None:
        stmt = stmt.where(Practice.id.in_(select(practice_topic.c.practice_id).where(
            practice_topic.c.topic_id == topic.id)))
    counts = dict(db.session.execute(stmt).all())
    return [(region, counts.get(region.id, 0))
            for region in db.session.scalars(select(Region).order_by(Region.position))]


# The ten regions as a tile grid laid out roughly as the country is (column, row).
TILES = {
    "scotland": (1, 0),
    "northern-ireland": (0, 1), "north-west": (1, 1), "north-east-and-yorkshire": (2, 1),
    "wales": (0, 2), "midlands": (1, 2), "east-of-england": (2, 2),
    "south-west": (0, 3), "south-east": (1, 3), "london": (2, 3),
}
TILE_SIZE = 110


def map_tiles(counts) -> list[dict]:
    """Each region's tile: position, count and a shade from 0 (none) to 4 (the most)."""
    most = max((n for _, n in counts), default=0)
    tiles = []
    for region, n in counts:
        col, row = TILES.get(region.slug, (3, region.position % 4))
        shade = 0 if n == 0 else 1 + min(3, (3 * n) // most) if most else 0
        tiles.append({"region": region, "count": n, "shade": shade,
                      "x": col * TILE_SIZE, "y": row * TILE_SIZE})
    return tiles
