"""The library's rules as a table (persona x document -> answer), and the clause
search will use agreeing with the Python rule for every viewer of the world."""
import pytest
from sqlalchemy import select

from network.core import policy
from network.extensions import db
from network.library.models import Document
from network.networks.models import Network
from tests.world import PERSONAS, PLACES, build_world


@pytest.fixture
def world(app):
    return build_world(app)


def _loaded(app, world, persona):
    from network.accounts.models import User
    from network.core.policy import Anonymous

    user = world.user(persona)
    return Anonymous() if user is None else db.session.get(User, user.id)


# (persona, place) -> may read, add a version, remove
TABLE = {
    ("member", "closed"): (True, True, True),       # the uploader
    ("manager", "closed"): (True, True, True),
    ("moderator", "closed"): (True, False, True),   # staff: remove, not replace
    ("admin", "private"): (True, True, True),
    ("outsider", "open"): (True, False, False),
    ("outsider", "closed"): (False, False, False),
    ("anonymous", "private"): (False, False, False),
    ("silenced", "open"): (True, False, False),
    ("member", "archived"): (True, False, True),    # read-only: no new versions
}


@pytest.mark.parametrize("persona, place", sorted(TABLE))
def test_who_may_read_replace_and_remove(app, world, persona, place):
    with app.app_context():
        viewer = _loaded(app, world, persona)
        document = db.session.get(Document, world.places[place].document_id)
        assert (policy.can_read_document(viewer, document),
                policy.can_add_version(viewer, document),
                policy.can_remove_document(viewer, document)) == TABLE[(persona, place)]


def test_the_readable_documents_clause_agrees_with_can_read_document(app, world):
    with app.app_context():
        for persona in PERSONAS:
            viewer = _loaded(app, world, persona)
            listed = set(db.session.scalars(
                select(Document.id).join(Network, Network.id == Document.network_id)
                .where(policy.readable_documents(viewer, Document, Network))))
            readable = {world.places[p].document_id for p in PLACES
                        if policy.can_read_document(
                            viewer, db.session.get(Document, world.places[p].document_id))}
            assert listed == readable, persona
