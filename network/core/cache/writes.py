"""When the content version is bumped: once a request has committed a change.

Session events mark the session when something is written (a flush with
changes, or an INSERT, UPDATE, DELETE or text statement run through it); a
commit of a marked session marks the request; at the end of the request the
version is bumped once. A request that writes nothing (a failed sign-in, a POST
refused for its missing CSRF token, a form with errors) leaves every page,
fragment and remembered row in place, so nobody can keep the caches empty by
sending POSTs. A rolled-back transaction leaves no mark.

The bump runs at teardown, after the view committed and before the answer
reaches the client, so the redirect that follows a form already sees the new
version. CLI commands that write call ``invalidate()`` themselves; anything that
changes with the clock alone is bounded by ``CACHE_MAX_AGE``.
"""
from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from network.core.cache.store import current_cache

WROTE = "network.cache.wrote"  # session.info: something written in this transaction
COMMITTED = "cache_committed_write"  # g: this request committed a change


def _after_flush(session, flush_context) -> None:
    session.info[WROTE] = True


def _do_orm_execute(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


def _after_commit(session) -> None:
    if session.info.pop(WROTE, False) and has_request_context():
        setattr(g, COMMITTED, True)


def _after_rollback(session) -> None:
    session.info.pop(WROTE, None)


_LISTENERS = (("after_flush", _after_flush), ("do_orm_execute", _do_orm_execute),
              ("after_commit", _after_commit), ("after_rollback", _after_rollback))


def _listen() -> None:
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def init_app(app: Flask) -> None:
    _listen()

    @app.teardown_request
    def _bump_after_committed_write(exc):
        if g.pop(COMMITTED, False):
            cache = current_cache()
            if cache is not None:
                cache.version.bump()
