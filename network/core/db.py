"""Database connection rules (DESIGN section 7).

SQLite: WAL, foreign keys on, a busy timeout, and transactions that may write
start with BEGIN IMMEDIATE so a read-then-write never fails at once with
"database is locked". Requests with a safe method (GET, HEAD, OPTIONS) read in a
deferred transaction so readers never queue behind writers.
"""
from flask import has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from network.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.split(".")[0] not in {"sqlite3", "pysqlite2"}:
        return
    # Let SQLAlchemy (through the "begin" hook below) issue BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    # Straight to the driver: this runs on every request, and going through
    # exec_driver_sql costs SQLAlchemy's whole statement machinery each time.
    dbapi_connection = conn.connection.driver_connection
    if has_request_context() and request.method in SAFE_METHODS:
        dbapi_connection.execute("BEGIN")
    else:
        dbapi_connection.execute("BEGIN IMMEDIATE")


def database_answers() -> bool:
    """One round trip to the database (the health check); raises when it is down."""
    db.session.execute(text("SELECT 1"))
    return True
