"""Migrations: the models and the migrations agree, an existing database upgrades, and
every revision can be undone."""
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import (Boolean, DateTime, Integer, MetaData, insert, inspect, select, text,
                        tuple_)

from network import create_app
from network.extensions import db
from network.search.models import is_engine_index
from tests import conftest
from tests.conftest import base_config


def test_models_match_the_migrated_schema(app):
    """A model change without its migration fails here (autogenerate finds nothing)."""
    with app.app_context():
        with db.engine.connect() as conn:
            # The search engine's own index is made by 0014 and declared by no model
            # (FTS5's virtual and shadow tables, PostgreSQL's tsvector column and index).
            context = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_name": lambda name, type_, parents: not is_engine_index(name, type_)})
            with warnings.catch_warnings():
                # SQLite cannot reflect expression indexes: the next test covers them
                warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
                diffs = compare_metadata(context, db.metadata)
    assert diffs == []


def test_every_model_index_is_in_the_migrated_schema(app):
    """Indexes on expressions (``lower(username)``), which autogenerate skips on
    SQLite: every one the models declare is in the database, as unique as declared."""
    with app.app_context():
        declared = {(t.name, i.name, bool(i.unique)) for t in db.metadata.tables.values()
                    for i in t.indexes}
        found = {(t, name, "UNIQUE" in sql.upper()) for t in db.metadata.tables
                 for name, sql in _index_sql(db.engine, t)}
        db.engine.dispose()
    assert declared - found == set()


@pytest.fixture
def empty_database(tmp_path):
    """A database with no tables (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""
    with conftest.empty_database(tmp_path, "rev") as url:
        yield url


# --- a database from the oldest revision, filled, upgraded ---------------------

OLD = datetime(2025, 1, 2, 3, 4, 5)


def _value(table, column, n: int):
    """Row n's value for a column of the 0001 schema: ids from 1001 (the reference
    rows 0001 seeds keep theirs), foreign keys to row n of the table named, distinct
    text that fits the column."""
    if column.primary_key and isinstance(column.type, Integer) and len(table.primary_key) == 1:
        return 1000 + n
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table
        if target is table:
            return 1000 + n - 1 if n > 1 else None
        return 1000 + n
    kind = column.type
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, Integer):
        return 10 * n + 1
    if isinstance(kind, DateTime):
        return OLD + timedelta(days=n, microseconds=n)
    text_value = f"{n}-{table.name}.{column.name} ‘é’"
    return text_value[:kind.length] if getattr(kind, "length", None) else text_value * 3


def _fill(connection) -> dict:
    """Two rows in every table of the schema as it stands, with SQL Core."""
    tables = MetaData()
    tables.reflect(connection)
    rows = {}
    for table in tables.sorted_tables:
        if table.name == "alembic_version":
            continue
        rows[table.name] = [{c.name: _value(table, c, n) for c in table.columns} for n in (1, 2)]
        connection.execute(insert(table), rows[table.name])
    return rows


# Columns a later revision renamed: (table, old name) -> today's name. 0017 made the
# thread-only watch table generic: its thread_id is today's target_id (kind "thread").
RENAMED = {("watch", "thread_id"): "target_id"}
# Columns a later revision dropped: 0019 dropped user.session_token (its downgrade
# puts back a new random token for each person, not the one written).
DROPPED = {("user", "session_token")}


def _without(rows: dict, dropped: set) -> dict:
    """The rows written by _fill less the columns named in ``dropped``."""
    return {name: [{c: v for c, v in row.items() if (name, c) not in dropped} for row in written]
            for name, written in rows.items()}


def _read(connection, rows: dict, renamed: dict | None = None) -> dict:
    """The rows written by _fill, read back column by column from today's tables
    (under their old names, where ``renamed`` says a revision renamed them)."""
    renamed = renamed or {}
    tables = MetaData()
    tables.reflect(connection)
    found = {}
    for name, written in rows.items():
        table = tables.tables[name]
        columns = [table.c[renamed.get((name, c), c)].label(c) for c in written[0]]
        key = [table.c[renamed.get((name, c), c)] for c in written[0]
               if table.c[renamed.get((name, c), c)].primary_key]
        found[name] = [dict(r._mapping) for r in connection.execute(
            select(*columns).where(tuple_(*key).in_([
                tuple(w[next(c for c in written[0] if renamed.get((name, c), c) == k.name)]
                      for k in key) for w in written]))
            .order_by(*key))]
    return found


def test_a_database_from_the_first_revision_upgrades_with_all_its_data(empty_database):
    """Every table of 0001 holds rows; after upgrading to the newest revision every row
    is there with every value as written, the app reads them, and downgrading back to
    0001 keeps them too."""
    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            written = _fill(connection)
        assert len(written) >= 20  # every table of 0001, reference tables included
        db.session.remove()
        upgrade()
        kept = _without(written, DROPPED)
        with db.engine.connect() as connection:
            assert _read(connection, kept, RENAMED) == kept
            assert set(connection.execute(text("SELECT target_type, level FROM watch"))) == {
                ("thread", "watching")}
            # 0019: articles published before it count as announced at that time
            assert connection.scalar(text(
                "SELECT count(*) FROM article WHERE announced_at = published_at")) == len(
                written["article"])
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == (
                REVISIONS[-1].revision)
        from network.accounts.models import User
        from network.forum.models import Post

        assert db.session.get(User, 1001).username == "1-user.username ‘é’"[:30]
        assert db.session.get(Post, 1002).thread.network.id == 1002
        db.session.remove()
        downgrade(revision="0001")
        with db.engine.connect() as connection:
            assert _read(connection, kept) == kept
            tokens = connection.scalars(text('SELECT session_token FROM "user"')).all()
            assert len(tokens) == len(set(tokens)) == len(written["user"]) and all(tokens)
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again_round_trips(empty_database):
    """From the newest revision down to nothing and back: the same schema."""
    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade()
        newest = _schema(db.engine)
        downgrade(revision="base")
        assert _schema(db.engine) == {}
        upgrade()
        assert _schema(db.engine) == newest
        db.engine.dispose()


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# Every revision, oldest first, read from the script directory: a new one is included
# without editing this file.
REVISIONS = list(reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())))


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



def _old_person(username: str, role: str = "member") -> int:
    """A person inserted with the user table's columns of revision 0001 only (the
    current User model has columns later revisions add). Returns the id."""
    import sqlalchemy as sa

    from network.core.time import utcnow

    columns = dict(username=username, email=f"{username}@example.org", password_hash="x",
                   display_name=username.title(), job_title="", organisation="", sector="nhs",
                   bio="", bio_html="", role=role, trusted=False, approved_count=0,
                   silenced_reason="", suspended_reason="", session_token="t",
                   created_at=utcnow())
    table = sa.table("user", *(sa.column(name) for name in columns))
    db.session.execute(sa.insert(table).values(**columns))
    return db.session.scalar(sa.text('SELECT id FROM "user" WHERE username = :name'),
                             {"name": username})


def _old_article(slug: str, author_id: int, **fields) -> None:
    """An article inserted with the article table's columns of revision 0001 only
    (the current Article model has columns later revisions add)."""
    import sqlalchemy as sa

    from network.core.time import utcnow

    columns = dict(slug=slug, title=slug.title(), standfirst="", body="", body_html="",
                   author_id=author_id, status="published", published_at=None,
                   created_at=utcnow(), comments_open=True, comment_count=0)
    columns.update(fields)
    table = sa.table("article", *(sa.column(name) for name in columns))
    db.session.execute(sa.insert(table).values(**columns))


def test_duplicate_pending_join_requests_are_resolved_on_upgrade(empty_database):
    """0004 adds one-pending-request-per-person: a database holding duplicates keeps
    the oldest pending and cancels the rest, then upgrades."""
    from network.networks.models import JoinRequest, Network

    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade(revision="0003")
        person_id = _old_person("asker")
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
        author_id = _old_person("writer", role="associate")
        series = [Series(slug=f"s{n}", title=f"Series {n}", author_id=author_id)
                  for n in (1, 2)]
        db.session.add_all(series)
        db.session.flush()
        for n, (in_series, part) in enumerate([(0, 1), (0, 1), (0, 2), (0, 1), (1, 1),
                                               (None, None), (None, None), (0, None)]):
            _old_article(f"a{n}", author_id, series_part=part,
                         series_id=series[in_series].id if in_series is not None else None)
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


def test_articles_live_before_0019_count_as_announced_and_scheduled_ones_wait(empty_database):
    """0019 adds ``article.announced_at``: what was live (even if withdrawn since) is
    old news, announced at its publication time; a scheduled article and a draft
    stay unannounced, for ``flask articles announce-due`` to find when their time comes."""
    from network.articles.models import Article
    from network.core.time import utcnow

    app = create_app(base_config(empty_database))
    with app.app_context():
        upgrade(revision="0017")
        author_id = _old_person("writer", role="associate")
        now = utcnow()
        for slug, status, published_at in [("live", "published", now - timedelta(days=2)),
                                           ("withdrawn", "withdrawn", now - timedelta(days=9)),
                                           ("scheduled", "published", now + timedelta(days=1)),
                                           ("draft", "draft", None)]:
            _old_article(slug, author_id, status=status, published_at=published_at)
        db.session.commit()
        db.session.remove()
        upgrade(revision="0019")
        found = {slug: (published_at, announced_at) for slug, published_at, announced_at in
                 db.session.execute(select(Article.slug, Article.published_at,
                                           Article.announced_at))}
        assert {slug for slug, (published, announced) in found.items()
                if announced is not None and announced == published} == {"live", "withdrawn"}
        assert found["scheduled"][1] is None and found["draft"][1] is None
        db.session.remove()
        db.engine.dispose()
