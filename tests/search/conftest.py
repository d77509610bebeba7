"""Helpers for the search tests: the index rebuilt from rows made by the factories
(which write rows directly), a search as a given person, and the index's contents."""
import pytest
from sqlalchemy import select

from network.accounts.models import User
from network.core.policy import Anonymous
from network.extensions import db
from network.search import services
from network.search.models import SearchDocument
from network.search.rebuild import rebuild


@pytest.fixture
def reindex(app):
    def run():
        with app.app_context():
            return rebuild()
    return run


@pytest.fixture
def find(app):
    """find(q, viewer=None, **filters) -> [(kind, heading)] of the first page, best first."""

    def run(q, viewer=None, **filters):
        with app.app_context():
            who = Anonymous() if viewer is None else db.session.get(User, viewer.id)
            results = services.search(who, services.Filters(q=q, **filters))
            return [(hit.kind, hit.heading) for hit in results.page.items]

    return run


@pytest.fixture
def counts(app):
    def run(q, viewer=None, **filters):
        with app.app_context():
            who = Anonymous() if viewer is None else db.session.get(User, viewer.id)
            return services.search(who, services.Filters(q=q, **filters)).counts
    return run


@pytest.fixture
def index_rows(app):
    """Every row of the index, as comparable tuples without their ids."""

    def read():
        with app.app_context():
            columns = [c for c in SearchDocument.__table__.columns if c.name != "id"]
            return sorted(tuple(row) for row in db.session.execute(select(*columns)))

    return read


@pytest.fixture
def as_user(app, login):
    def factory(user):
        return login(app.test_client(), user)
    return factory
