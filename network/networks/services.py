"""Networks themselves: creating and changing them, archiving, and the directory.

Who belongs to a network is network/networks/membership.py; invitations are
network/networks/invitations.py. Names need not be unique: a name is refused
only when the creator may see the network that has it (a private network's
name must not tell an outsider that it exists); slugs are unique.
"""
from dataclasses import dataclass

from sqlalchemy import false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, raiseload

from network.accounts.models import SECTORS, User
from network.accounts.services import regions, topics  # noqa: F401 (reference data the views list)
from network.core import policy, slugs
from network.core.cache import remembered_rows
from network.core.converters import parse_id
from network.core.errors import Conflict, Invalid, PermissionDenied
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.moderation.log import record_action
from network.networks.membership import add_member, commit_membership_change
from network.networks.models import VISIBILITIES, Membership, Network
from network.networks.taxonomy import Region, Topic
from network.notifications import watching
from network.search import index as search_index
from network.search.engine import matching_items

NATIONAL = "national"
SLUG_MAX = 80
RESERVED_SLUGS = frozenset({"new"})  # /networks/new is the create page


# --- reference data -------------------------------------------------------

def _region_id(value: str | None) -> int | None:
    """'national' (or empty) -> None; a region id as text -> the id; anything else: Invalid."""
    if value in (None, "", NATIONAL):
        return None
    region_id = parse_id(value)
    if region_id is None or db.session.get(Region, region_id) is None:
        raise Invalid("Choose a region from the list, or national.", field="region")
    return region_id


def _topics(values) -> list[Topic]:
    ids = []
    for value in values or []:
        topic_id = parse_id(value)
        if topic_id is None:
            raise Invalid("Choose topics from the list.", field="topics")
        ids.append(topic_id)
    if not ids:
        return []
    found = list(db.session.scalars(select(Topic).where(Topic.id.in_(set(ids)))))
    if len(found) != len(set(ids)):
        raise Invalid("Choose topics from the list.", field="topics")
    return found


def _visibility(value: str) -> str:
    if value not in VISIBILITIES:
        raise Invalid("Choose open, closed or private.", field="visibility")
    return value


# --- slugs ----------------------------------------------------------------

def unique_slug(name: str) -> str:
    """The name's slug, with a random suffix when it is taken (core.slugs); room is
    left for the suffix within the column."""
    return slugs.unique_slug(Network.slug, name, fallback="network", max_length=SLUG_MAX - 6,
                             reserved=RESERVED_SLUGS)


# --- lookups --------------------------------------------------------------

def get_network(slug: str) -> Network | None:
    """The network with this slug, its region and topics in one query (the pages
    that start from it read both)."""
    if not slug or len(slug) > SLUG_MAX:
        return None
    return remembered_rows(("network", slug), lambda: db.session.scalars(
        select(Network).options(joinedload(Network.topics))
        .where(Network.slug == slug)).unique().first())


def _name_taken(viewer, name: str, except_id: int | None = None) -> bool:
    """Whether a network the viewer may know exists has this name (any case).
    Networks hidden from the viewer do not count: refusing their name would
    tell that they exist (names need not be unique; slugs are)."""
    stmt = select(Network.id).where(func.lower(Network.name) == func.lower(name),
                                    policy.visible_networks(viewer, Network))
    if except_id is not None:
        stmt = stmt.where(Network.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


# --- directory --------------------------------------------------------------

@dataclass
class DirectoryFilter:
    q: str = ""
    region: str = ""
    topic: str = ""
    sector: str = ""
    sort: str = "recent"


def directory(viewer, filters: DirectoryFilter):
    """Statement: networks the viewer may see, not archived, filtered and sorted.
    Unknown region or topic slugs raise Invalid (with the field)."""
    stmt = select(Network).where(policy.visible_networks(viewer, Network),
                                 Network.archived_at.is_(None))
    if filters.region == NATIONAL:
        stmt = stmt.where(Network.region_id.is_(None))
    elif filters.region:
        region_id = db.session.scalar(select(Region.id).where(Region.slug == filters.region))
        if region_id is None:
            raise Invalid("We do not know that region. Choose one from the list.", field="region")
        stmt = stmt.where(Network.region_id == region_id)
    if filters.topic:
        topic_id = db.session.scalar(select(Topic.id).where(Topic.slug == filters.topic))
        if topic_id is None:
            raise Invalid("We do not know that topic. Choose one from the list.", field="topic")
        stmt = stmt.where(Network.topics.any(Topic.id == topic_id))
    if filters.sector:
        if filters.sector not in SECTORS:
            raise Invalid("We do not know that sector. Choose one from the list.", field="sector")
        stmt = stmt.where(Network.id.in_(
            select(Membership.network_id).join(User, User.id == Membership.user_id)
            .where(User.sector == filters.sector, User.deleted_at.is_(None))))
    if filters.q.strip():
        # The search index's words (stemmed, the last one a prefix), as /search finds them.
        matching = matching_items("network", filters.q)
        stmt = stmt.where(Network.id.in_(matching) if matching is not None else false())
    if filters.sort == "name":
        return stmt.order_by(func.lower(Network.name), Network.id)
    return stmt.order_by(Network.last_activity_at.desc(), Network.id.desc())


def sector_mix(network: Network) -> list[tuple[str, int]]:
    """[(sector's name, members)] of the network's members, largest first (one query)."""
    rows = db.session.execute(
        select(User.sector, func.count()).join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == network.id, User.deleted_at.is_(None))
        .group_by(User.sector)).all()
    return sorted(((SECTORS.get(sector, "Other"), count) for sector, count in rows),
                  key=lambda row: (-row[1], row[0]))


def set_watch_level(viewer, network: Network, level: str) -> None:
    """Watching, normal or muted for a network one may read (not an archived one). Commits."""
    if not policy.can_watch_network(viewer, network) or network.is_archived:
        raise PermissionDenied()
    watching.set_level(viewer.id, "network", network.id, level)
    db.session.commit()


def _network_names(viewer, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Names of the networks this viewer may know exist (one query), for the list of
    what they watch; the rest stay unnamed."""
    networks = db.session.scalars(select(Network).where(
        Network.id.in_(ids), policy.visible_networks(viewer, Network))
        .options(raiseload(Network.topics)))
    return {network.id: (network.name, f"/networks/{network.slug}/") for network in networks}


watching.register_names("network", _network_names)


def most_active(viewer, limit: int = 4) -> list[Network]:
    """A few networks the viewer may see, most recently active first (one query)."""
    return list(db.session.scalars(
        select(Network).options(raiseload(Network.topics))
        .where(policy.visible_networks(viewer, Network), Network.archived_at.is_(None))
        .order_by(Network.last_activity_at.desc(), Network.id.desc()).limit(limit)))


# --- creating and changing networks ---------------------------------------

def create_network(actor: User, *, name: str, summary: str, description: str = "",
                   region, topic_ids=(), visibility: str = "open") -> Network:
    """Create a network with the actor as its first manager (member_count 1)."""
    if not policy.can_create_network(actor):
        raise PermissionDenied()
    name, summary = (name or "").strip(), (summary or "").strip()
    _check_text(name, summary)
    visibility = _visibility(visibility)
    region_id = _region_id(region)
    chosen = _topics(topic_ids)
    if _name_taken(actor, name):
        raise Conflict("A network with that name already exists. Choose another name.",
                       field="name")
    for _attempt in range(3):
        now = utcnow()
        network = Network(slug=unique_slug(name), name=name, summary=summary,
                          description=description or "",
                          description_html=render_markdown(description or ""),
                          visibility=visibility, region_id=region_id, topics=chosen,
                          created_by_id=actor.id, created_at=now, last_activity_at=now,
                          member_count=0)
        db.session.add(network)
        try:
            db.session.flush()
        except IntegrityError:
            # The slug was taken in the meantime: choose another.
            db.session.rollback()
            continue
        add_member(network, actor, role="manager")
        search_index.index_network(network)
        commit_membership_change(actor)
        return network
    raise Conflict("The network could not be created just now. Try again.")


def _check_text(name: str, summary: str) -> None:
    if not name:
        raise Invalid("Enter a name for the network.", field="name")
    if len(name) > 120:
        raise Invalid("Use 120 characters or fewer.", field="name")
    if not summary:
        raise Invalid("Enter a one-line summary.", field="summary")
    if len(summary) > 300:
        raise Invalid("Use 300 characters or fewer.", field="summary")


def update_network(actor: User, network: Network, *, name: str, summary: str,
                   description: str, region, topic_ids, visibility: str) -> None:
    """Save settings. The slug stays as it was, so links keep working after a rename.
    A change of visibility is logged; every query filters by the current value.
    An archived network's settings do not change."""
    if not policy.can_change_network_settings(actor, network):
        raise PermissionDenied("This network is archived: its settings cannot be changed.")
    name, summary = (name or "").strip(), (summary or "").strip()
    _check_text(name, summary)
    visibility = _visibility(visibility)
    region_id = _region_id(region)
    chosen = _topics(topic_ids)
    if _name_taken(actor, name, except_id=network.id):
        raise Conflict("A network with that name already exists. Choose another name.",
                       field="name")
    old_visibility = network.visibility
    network.name, network.summary = name, summary
    network.description = description or ""
    network.description_html = render_markdown(network.description)
    network.region_id, network.topics, network.visibility = region_id, chosen, visibility
    if visibility != old_visibility:
        record_action(actor, "change_visibility", "network", network.id,
                      network_id=network.id, detail=f"{old_visibility} -> {visibility}")
    search_index.index_network(network)
    db.session.commit()


def set_archived(actor: User, network: Network, archived: bool, reason: str) -> None:
    """Archive (read-only, out of the directory) or unarchive; logged with the reason."""
    if not policy.can_archive_network(actor, network):
        raise PermissionDenied()
    if archived == network.is_archived:
        raise Conflict("This network is already archived." if archived
                       else "This network is not archived.")
    network.archived_at = utcnow() if archived else None
    record_action(actor, "archive_network" if archived else "unarchive_network", "network",
                  network.id, reason, network_id=network.id)
    search_index.index_network(network)
    db.session.commit()


