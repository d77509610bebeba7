"""Backup and restore (README, "Backup and restore"): ``flask backup PATH`` copies a
SQLite database with the online backup API and the copy opens as a database with the
same content; on PostgreSQL the command refuses and points to pg_dump, and a
pg_dump/pg_restore round trip of a schema keeps every row."""
import os
import shutil
import sqlite3
import subprocess
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select, text

from network import create_app
from network.accounts.models import User
from network.extensions import db
from network.forum.models import Post
from network.networks.models import Network
from tests.conftest import base_config, empty_database
from tests.world import SECRET, build_world


def _content(engine) -> dict:
    """Row count of every table, and the rows a reader would miss first."""
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                  for t in inspect(conn).get_table_names()}
        rows = {
            "users": conn.execute(select(User.username, User.email, User.role)
                                  .order_by(User.id)).all(),
            "networks": conn.execute(select(Network.slug, Network.name, Network.visibility)
                                     .order_by(Network.id)).all(),
            "posts": conn.execute(select(Post.id, Post.body, Post.body_html)
                                  .order_by(Post.id)).all(),
        }
    return {"counts": counts, "rows": rows}


@pytest.fixture
def filled_sqlite(tmp_path):
    """A migrated SQLite file holding the route walk's world."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'site.db'}"))
    with app.app_context():
        upgrade()
    build_world(app)
    return app, tmp_path / "site.db"


def test_a_backup_opens_as_a_database_with_the_same_content(filled_sqlite, tmp_path):
    app, _ = filled_sqlite
    copy = tmp_path / "backups" / "copy.db"
    copy.parent.mkdir()
    result = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    assert not copy.with_name("copy.db.partial").exists()
    with app.app_context():
        before = _content(db.engine)
        db.engine.dispose()
    assert before["counts"]["user"] >= 6 and before["counts"]["post"] >= 6  # the world is filled
    assert any(SECRET in row.name for row in before["rows"]["networks"])

    restored = create_app(base_config(f"sqlite:///{copy}"))
    with restored.app_context():
        assert _content(db.engine) == before
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        db.session.remove()
        db.engine.dispose()
    with app.app_context():
        assert version == db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        db.session.remove()
        db.engine.dispose()
    # The restored site serves the same pages.
    page = restored.test_client().get("/networks/open-net/")
    assert page.status_code == 200 and "Open Network" in page.get_data(as_text=True)


def test_a_backup_taken_while_the_site_writes_is_whole(filled_sqlite, tmp_path):
    """Writes from another connection during the copy neither fail nor corrupt it."""
    app, source = filled_sqlite
    stop = threading.Event()

    def write():
        with sqlite3.connect(source, timeout=10) as conn:
            n = 0
            while not stop.is_set():
                conn.execute("INSERT INTO tag (slug, name) VALUES (?, ?)", (f"t{n}", f"T{n}"))
                conn.commit()
                n += 1

    with sqlite3.connect(source) as conn:
        people = conn.execute("SELECT count(*) FROM user").fetchone()[0]
    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "live.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "live.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM user").fetchone()[0] == people


def test_backup_refuses_to_overwrite_a_file(filled_sqlite, tmp_path):
    app, _ = filled_sqlite
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert existing.read_text() == "keep me"


def test_backup_of_a_missing_file_fails_without_making_one(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'nowhere.db'}"))
    with app.app_context():
        db.engine.dispose()
    (tmp_path / "nowhere.db").unlink(missing_ok=True)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.db")])
    assert result.exit_code != 0
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "nowhere.db").exists()


def test_backup_on_postgresql_points_to_pg_dump():
    app = create_app(base_config("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    result = app.test_cli_runner().invoke(args=["backup", "copy.db"])
    assert result.exit_code != 0
    assert "pg_dump" in result.output and "pg_restore" in result.output
    assert not os.path.exists("copy.db")


PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.skipif(not PG_URL.startswith("postgres") or not shutil.which("pg_dump")
                    or not shutil.which("pg_restore"),
                    reason="needs TEST_DATABASE_URL (PostgreSQL) and pg_dump/pg_restore on PATH")
def test_pg_dump_and_pg_restore_keep_every_row(tmp_path):
    """The README's PostgreSQL recipe, on a schema of its own: dump it, move the
    original aside, restore the dump under the original name, compare."""
    libpq_url = "postgresql://" + PG_URL.split("://", 1)[1]
    with empty_database(tmp_path, "bk") as url:
        app = create_app(base_config(url))
        with app.app_context():
            upgrade()
            schema = db.session.execute(text("SELECT current_schema()")).scalar()
            db.session.remove()
            db.engine.dispose()
        build_world(app)
        in_schema = create_engine(url)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            before = _content(in_schema)
            in_schema.dispose()
            dump = tmp_path / "network.dump"
            subprocess.run(["pg_dump", "--format=custom", f"--schema={schema}",
                            f"--file={dump}", libpq_url], check=True, capture_output=True)
            with admin.connect() as conn:
                conn.execute(text(f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_old"'))
            subprocess.run(["pg_restore", "--no-owner", f"--dbname={libpq_url}", str(dump)],
                           check=True, capture_output=True)
            assert _content(in_schema) == before
            assert before["counts"]["user"] >= 6
            # Sequences came back too: a new row takes a fresh id.
            restored = create_app(base_config(url))
            with restored.app_context():
                db.session.add(Network(slug="after-restore", name="After restore"))
                db.session.commit()
                db.session.remove()
                db.engine.dispose()
        finally:
            in_schema.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_old" CASCADE'))
            admin.dispose()
