"""Moderation test helpers: flags in bulk for speed tests (content comes from
tests/factories.py)."""
from datetime import timedelta

import pytest
from sqlalchemy import insert

from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import Flag


@pytest.fixture
def bulk_flags(app):
    """bulk_flags([(target_type, target_id, network_id), ...], reporter_ids) inserts one
    open flag per target per reporter in a single statement."""

    def factory(targets, reporter_ids, reason="spam"):
        now = utcnow()
        rows = [dict(target_type=kind, target_id=target_id, network_id=network_id,
                     reporter_id=reporter, reason=reason, note="", status="open",
                     created_at=now - timedelta(minutes=i))
                for i, (kind, target_id, network_id) in enumerate(targets)
                for reporter in reporter_ids]
        with app.app_context():
            db.session.execute(insert(Flag), rows)
            db.session.commit()

    return factory


def get(app, model, ident):
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
        return obj
