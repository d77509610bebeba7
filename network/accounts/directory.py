"""The member directory (issue 14): signed-in people find each other by sector,
region, organisation, network and role. People who hide themselves and deleted
accounts are never listed; a private network is a filter and a card entry only for
its members (``policy.visible_networks``)."""
from typing import NamedTuple

from sqlalchemy import exists, func, select

from network.accounts.models import SECTORS, User
from network.core import policy
from network.core.errors import Invalid
from network.core.query import like_pattern
from network.extensions import db
from network.networks.models import Membership, Network
from network.networks.taxonomy import Region

ROLES = {"associate": "Associate", "moderator": "Moderator", "manager": "Network manager"}


class Filters(NamedTuple):
    sector: str = ""
    region: str = ""
    organisation: str = ""
    network: str = ""
    role: str = ""


def _visible_network_id(viewer, slug: str) -> int:
    network_id = db.session.scalar(select(Network.id).where(
        Network.slug == slug, policy.visible_networks(viewer, Network)))
    if network_id is None:
        raise Invalid("Choose a network from the list.", field="network")
    return network_id


def members(viewer, filters: Filters):
    """Statement for the directory page; unknown filter values raise Invalid (with the
    field), so nothing is silently ignored."""
    stmt = (select(User).where(User.deleted_at.is_(None), User.hidden_from_directory.is_(False))
            .order_by(func.lower(User.display_name), User.id))
    if filters.sector:
        if filters.sector not in SECTORS:
            raise Invalid("Choose a sector from the list.", field="sector")
        stmt = stmt.where(User.sector == filters.sector)
    if filters.region:
        region_id = db.session.scalar(select(Region.id).where(Region.slug == filters.region))
        if region_id is None:
            raise Invalid("Choose a region from the list.", field="region")
        stmt = stmt.where(User.region_id == region_id)
    if filters.organisation:
        stmt = stmt.where(func.lower(User.organisation).like(
            like_pattern(filters.organisation), escape="\\"))
    if filters.network:
        network_id = _visible_network_id(viewer, filters.network)
        stmt = stmt.where(exists().where(Membership.user_id == User.id,
                                         Membership.network_id == network_id))
    if filters.role:
        if filters.role not in ROLES:
            raise Invalid("Choose a role from the list.", field="role")
        if filters.role == "manager":
            stmt = stmt.where(exists().where(Membership.user_id == User.id,
                                             Membership.role == "manager"))
        else:
            stmt = stmt.where(User.role == filters.role)
    return stmt


def networks_of(viewer, user_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """{user id: [(slug, name), ...]} of the networks the viewer may see, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Membership.user_id, Network.slug, Network.name)
        .join(Network, Membership.network_id == Network.id)
        .where(Membership.user_id.in_(user_ids), policy.visible_networks(viewer, Network))
        .order_by(Network.name)).all()
    found: dict[int, list[tuple[str, str]]] = {}
    for user_id, slug, name in rows:
        found.setdefault(user_id, []).append((slug, name))
    return found


def network_choices(viewer) -> list[tuple[str, str]]:
    return [(slug, name) for slug, name in db.session.execute(
        select(Network.slug, Network.name).where(policy.visible_networks(viewer, Network))
        .order_by(Network.name))]
