"""Shared fixtures.

The schema is built once per test process by running the Alembic migrations
(so a missing migration fails the suite), on SQLite always, or on PostgreSQL
when TEST_DATABASE_URL is set (a fresh schema per process, dropped at the end).
Every test gets its own app and starts from empty tables (reference data such as
regions and topics stays).

Fixtures: app, client, login, count_queries, live_server, and the factories of
tests/factories.py bound to the app: make_user, make_network, make_thread, make_post,
make_article, make_comment.
"""
import contextlib
import os
import tempfile
import threading
import uuid
from functools import partial

import pytest
import flask
from flask_migrate import upgrade
from flask_sqlalchemy import SQLAlchemy
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text
from werkzeug.routing.rules import Rule
from werkzeug.serving import make_server

from network import create_app
from network.core.time import utcnow
from network.extensions import db
from tests import factories
from tests.factories import TEST_PASSWORD  # noqa: F401 (tests import it from here)

REFERENCE_TABLES = {"region", "topic", "alembic_version"}


# Every test builds its own app, and building one was mostly work that is the same
# each time: Werkzeug compiles a URL builder function for each of ~130 rules (90% of
# create_app), and Jinja parses and compiles every template the test renders. Both are
# pure functions of their input, so the test process does each once.
_builders: dict = {}
_compile_builder = Rule._compile_builder


def _remembered_builder(self, append_unknown=True):
    # The builder reads the rule's converters through its ``self`` argument at call
    # time; what is compiled in depends only on the parsed rule and its defaults.
    key = (self.rule, self.host, self.subdomain, self.merge_slashes, tuple(self._trace),
           repr(sorted((self.defaults or {}).items())), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(self, append_unknown)
    return _builders[key]


Rule._compile_builder = _remembered_builder


class _ProcessBytecodeCache(BytecodeCache):
    """Compiled templates kept for the test process (Jinja checks each against the
    template's source, so an edited template is compiled afresh)."""

    def __init__(self):
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = bucket.bytecode_to_string()


# And SQLAlchemy compiles each statement once per engine (its cache is keyed on the
# engine's dialect), so apps of the same database share one engine.
_engines: dict = {}
_make_engine = SQLAlchemy._make_engine


def _shared_engine(self, bind_key, options, app):
    key = repr(sorted(options.items()))
    if key not in _engines:
        _engines[key] = _make_engine(self, bind_key, options, app)
    return _engines[key]


SQLAlchemy._make_engine = _shared_engine

flask.Flask.jinja_options = {**flask.Flask.jinja_options,
                             "bytecode_cache": _ProcessBytecodeCache()}


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@contextlib.contextmanager
def empty_database(sqlite_dir, schema_prefix: str):
    """The URL of a database with no tables: a new SQLite file in ``sqlite_dir``, or a
    new PostgreSQL schema when TEST_DATABASE_URL is set (dropped on leaving)."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        yield f"sqlite:///{sqlite_dir / 'test.db'}"
        return
    if pg_url.startswith("postgresql://") or pg_url.startswith("postgres://"):
        pg_url = "postgresql+psycopg://" + pg_url.split("://", 1)[1]
    schema = f"{schema_prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    try:
        # Commits need not wait for the disk: nothing here outlives the run.
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with empty_database(tmp_path_factory.mktemp(f"db-{_worker()}"), f"t_{_worker()}") as url:
        yield url


# Uploaded files of the whole run (tests that count files use their own folder).
LIBRARY_DIR = tempfile.mkdtemp(prefix="wwn-library-")


def base_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "BASE_URL": "http://whatworks.test",
        "MAIL_URL": None,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CACHE_ENABLED": False,
        "LIBRARY_DIR": LIBRARY_DIR,
        # Staff act without two-factor sign-in here, so tests that make a moderator
        # need no authenticator; tests/accounts/test_two_factor.py turns the
        # requirement on (as production has it) and proves it.
        "STAFF_TWO_FACTOR": False,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated(database_url):
    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        # DELETE, not TRUNCATE, on PostgreSQL too: a test leaves a few rows, and
        # truncating some 40 tables (new files for each) cost 0.3-0.8 s a test where
        # deleting costs 0.04 s. The sequences used start again at 1, as SQLite's do.
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())
            if conn.dialect.name == "postgresql":
                conn.execute(text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass,"
                    " 1, false) FROM pg_sequences"
                    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"))
        db.engine.dispose()


@pytest.fixture
def make_app(migrated):
    """Build an app with config overrides; tables are emptied after the test."""
    apps = []

    def factory(**overrides):
        app = create_app(base_config(migrated, **overrides))
        apps.append(app)
        return app

    yield factory
    if apps:
        _empty_tables(apps[0])
        for app in apps[1:]:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def _bound_to_app(factory):
    """A fixture named after the factory: the factory with the test's app filled in."""

    @pytest.fixture(name=factory.__name__)
    def fixture(app):
        return partial(factory, app)

    fixture.__doc__ = factory.__doc__
    return fixture


make_user = _bound_to_app(factories.make_user)
make_network = _bound_to_app(factories.make_network)
make_thread = _bound_to_app(factories.make_thread)
make_post = _bound_to_app(factories.make_post)
make_article = _bound_to_app(factories.make_article)
make_comment = _bound_to_app(factories.make_comment)


@pytest.fixture
def login():
    """login(client, user): sign the test client in as user (no password round trip)."""

    def sign_in(client, user):
        session_id = factories.session_id(client.application, user)
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_seen"] = int(utcnow().timestamp())  # as signing in does
            session["_fresh"] = True
        return client

    return sign_in


@pytest.fixture
def count_queries(app):
    """with count_queries() as queries: ...; len(queries) is the number of SQL statements."""

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK",
                                                          "SAVEPOINT", "RELEASE", "PRAGMA")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(make_app):
    """A real HTTP server on loopback (CSRF on, as in production)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    server = LiveServer(app).start()
    yield server
    server.stop()


REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=["local", "redis"])
def cached_app(request, make_app, tmp_path):
    """make() -> an app with the cache on; apps made by one test share one cache."""
    settings = {"CACHE_ENABLED": True}
    if request.param == "redis":
        if not REDIS_URL:
            if os.environ.get("CI"):
                pytest.fail("TEST_REDIS_URL is not set in CI")
            pytest.skip("TEST_REDIS_URL not set: the Redis path is tested in CI")
        prefix = f"test-cache-{uuid.uuid4().hex[:8]}:"
        settings.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    else:
        settings["CACHE_VERSION_FILE"] = str(tmp_path / "content-version")

    def make(**overrides):
        return make_app(**settings, **overrides)

    yield make
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = client.keys(f"{settings['CACHE_KEY_PREFIX']}*")
        if keys:
            client.delete(*keys)
