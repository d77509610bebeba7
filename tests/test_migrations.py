"""Migrations: the models and the migrations agree, an existing database upgrades, and
every revision can be undone."""
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from network import create_app
from network.extensions import db
from tests import conftest
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


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# Every revision, oldest first, read from the script directory: a new one is included
# without editing this file.
REVISIONS = list(reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())))


@pytest.fixture
def empty_database(tmp_path):
    """A database with no tables (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""
    with conftest.empty_database(tmp_path, "rev") as url:
        yield url


def _schema(engine) -> dict:
    """Tables with their columns, primary keys, indexes, unique constraints and foreign keys."""
    found = inspect(engine)
    shape = {}
    for table in sorted(found.get_table_names()):
        if table == "alembic_version":
            continue
        shape[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"])
                              for c in found.get_columns(table)),
            "primary_key": found.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]),
                               # str() of a where clause is its SQL, not the object's address
                               str({k: str(v) for k, v in
                                    sorted(i.get("dialect_options", {}).items())}))
                              for i in found.get_indexes(table)),
            "unique": sorted((u["name"] or "", tuple(u["column_names"]))
                             for u in found.get_unique_constraints(table)),
            "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                    tuple(f["referred_columns"]))
                                   for f in found.get_foreign_keys(table)),
            "index_sql": _index_sql(engine, table),
        }
    return shape


def _index_sql(engine, table: str) -> list:
    """Every index as the database states it: the inspector skips indexes on
    expressions (``lower(name)``), so a revision changing one would seem to change nothing."""
    if engine.dialect.name == "sqlite":
        query = text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                     "AND tbl_name = :table AND sql IS NOT NULL")
    else:
        query = text("SELECT indexname, indexdef FROM pg_indexes "
                     "WHERE tablename = :table AND schemaname = current_schema()")
    with engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(query, {"table": table}))


@pytest.mark.parametrize("script", REVISIONS, ids=lambda s: s.revision)
def test_every_revision_downgrades_to_the_schema_before_it(script, empty_database):
    """Upgrade to the revision before, note the schema, apply this revision, undo it:
    the schema is as noted, and the revision applies again."""
    previous = script.down_revision or "base"
    app = create_app(base_config(empty_database))
    with app.app_context():
        if previous != "base":
            upgrade(revision=previous)
        before = _schema(db.engine)
        upgrade(revision=script.revision)
        assert _schema(db.engine) != before, f"{script.revision} changes nothing"
        downgrade(revision=previous)
        assert _schema(db.engine) == before
        upgrade(revision=script.revision)
        db.engine.dispose()


def test_the_revision_walk_sees_every_file():
    """The downgrade test above covers every file in migrations/versions."""
    files = {p.stem.split("_")[0] for p in (MIGRATIONS / "versions").glob("*.py")}
    assert files == {s.revision for s in REVISIONS}


def _old_user(db, username: str) -> int:
    """A user row in SQL: the User model has columns that older revisions lack."""
    return db.session.execute(text(
        "INSERT INTO \"user\" (username, email, password_hash, display_name, job_title,"
        " organisation, sector, bio, bio_html, role, trusted, approved_count,"
        " silenced_reason, suspended_reason, session_token, created_at) VALUES (:u,"
        " :email, 'x', :u, '', '', 'nhs', '', '', 'associate', true, 0, '',"
        " '', 'tok', '2025-01-01') RETURNING id"), {"u": username, "email": f"{username}@example.org"}).scalar_one()


def test_duplicate_pending_join_requests_are_resolved_on_upgrade(empty_database):
    """0004 adds one-pending-request-per-person: a database holding duplicates keeps
    the oldest pending and cancels the rest, then upgrades."""
    from network.networks.models import JoinRequest, Network

    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade(revision="0003")
        person_id = _old_user(db, "asker")
        network = Network(slug="closed", name="Closed", visibility="closed")
        db.session.add(network)
        db.session.flush()
        for status in ("declined", "pending", "pending", "pending"):
            db.session.add(JoinRequest(network_id=network.id, user_id=person_id, status=status))
            db.session.flush()
        db.session.commit()
        db.session.remove()
        upgrade()
        statuses = db.session.scalars(select(JoinRequest.status).order_by(JoinRequest.id)).all()
        assert statuses == ["declined", "pending", "cancelled", "cancelled"]
        db.session.remove()
        db.engine.dispose()


def test_clashing_series_parts_are_renumbered_on_upgrade(empty_database):
    """0007 makes (series, part) unique: a database holding two "part 1" in a series
    keeps the first article's number and moves the later ones after the last part."""
    from network.articles.models import Article, Series

    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade(revision="0004")
        author_id = _old_user(db, "writer")
        series = [Series(slug=f"s{n}", title=f"Series {n}", author_id=author_id)
                  for n in (1, 2)]
        db.session.add_all(series)
        db.session.flush()
        for n, (in_series, part) in enumerate([(0, 1), (0, 1), (0, 2), (0, 1), (1, 1),
                                               (None, None), (None, None), (0, None)]):
            db.session.add(Article(slug=f"a{n}", title=f"A{n}", author_id=author_id,
                                   series_id=series[in_series].id if in_series is not None
                                   else None, series_part=part))
            db.session.flush()
        db.session.commit()
        db.session.remove()
        upgrade()
        parts = db.session.execute(select(Article.slug, Article.series_part)
                                   .order_by(Article.id)).all()
        assert [tuple(p) for p in parts] == [("a0", 1), ("a1", 3), ("a2", 2), ("a3", 4),
                                             ("a4", 1), ("a5", None), ("a6", None),
                                             ("a7", None)]
        db.session.remove()
        db.engine.dispose()
