"""Helpers for the networks tests: signed-in clients and reading rows back."""
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


