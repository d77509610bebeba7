"""Migrations: the models and the migrations agree, and an existing database upgrades."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from network import create_app
from network.extensions import db
from tests.conftest import base_config


def test_models_match_the_migrated_schema(app):
    """A model change without its migration fails here."""
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, db.metadata)
                     if not (isinstance(d, tuple) and d[0] in ("remove_index", "add_index")
                             and d[1].name in ("uq_user_username_lower", "uq_network_name_lower"))]
    assert diffs == []


def test_an_existing_database_upgrades_and_keeps_its_data(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'old.db'}"))
    with app.app_context():
        upgrade(revision="0001")
        db.session.execute(text(
            "INSERT INTO user (username, email, password_hash, display_name, job_title, organisation,"
            " sector, bio, bio_html, role, trusted, approved_count, silenced_reason, suspended_reason,"
            " session_token, created_at) VALUES ('old', 'old@example.org', 'x', 'Old Timer', '', '',"
            " 'nhs', '', '', 'member', 0, 0, '', '', 'tok', '2025-01-01')"))
        db.session.commit()
        upgrade()
        from network.accounts.models import User

        assert db.session.scalar(select(func.count(User.id))) == 1
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) != "0001"
        db.session.remove()  # end our transaction before the migration takes the lock
        downgrade(revision="0001")
        upgrade()
        db.engine.dispose()


@pytest.mark.parametrize("revision", ["0002"])
def test_every_revision_has_a_downgrade(revision, tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'rev.db'}"))
    with app.app_context():
        upgrade(revision=revision)
        downgrade(revision="0001")
        db.engine.dispose()
