"""What ``flask render-all`` re-renders and ``flask recount`` checks in networks
(network/commands.py)."""
from sqlalchemy import func, select

from network.core.counters import Counter
from network.core.rendering import RenderedField
from network.core.text import render_markdown
from network.networks.models import Membership, Network

RENDERED_FIELDS = [RenderedField(Network, "description", "description_html", render_markdown)]


def _members():
    return (select(func.count(Membership.id))
            .where(Membership.network_id == Network.id).scalar_subquery())


COUNTERS = [
    Counter("network.member_count", Network,
            lambda: Network.member_count != _members(),
            lambda: {"member_count": _members()}),
]
