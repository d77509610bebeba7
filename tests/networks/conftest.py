"""Factories for the networks tests."""
import pytest

from network.extensions import db


@pytest.fixture
def as_user(app, login):
    """as_user(user) -> a test client signed in as that user."""

    def factory(user):
        return login(app.test_client(), user)

    return factory


@pytest.fixture
def fetch(app):
    """fetch(Model, **where) -> the one matching row (detached), or None."""

    def get(model, **where):
        with app.app_context():
            row = db.session.scalar(db.select(model).filter_by(**where))
            if row is not None:
                db.session.expunge(row)
            return row

    return get


@pytest.fixture
def make_thread(app):
    """make_thread(network, author, title=..., status="visible") -> thread id."""
    from network.forum.models import Thread

    def factory(network, author, title="A thread", status="visible"):
        with app.app_context():
            thread = Thread(network_id=network.id, title=title, author_id=author.id,
                            status=status, post_count=1)
            db.session.add(thread)
            db.session.commit()
            return thread.id

    return factory
