"""When the content version is bumped: once a request has committed a change.

Session events mark the session when something is written (a flush with
changes, or an INSERT, UPDATE, DELETE or text statement run through it); a
commit of a marked session marks the request; at the end of the request the
version is bumped once. A request that writes nothing (a failed sign-in, a POST
refused for its missing CSRF token, a form with errors) leaves every page,
fragment and remembered row in place, so nobody can keep the caches empty by
sending POSTs. A rolled-back transaction leaves no mark.

A transaction whose service named what it changes (``writes_only``) bumps
those scopes and ``rest`` instead (store.scoped: what keys depend on them).

The bump runs at teardown, after the view committed and before the answer
reaches the client, so the redirect that follows a form already sees the new
version. CLI commands that write call ``invalidate()`` themselves; anything that
changes with the clock alone is bounded by ``CACHE_MAX_AGE``.
"""
from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from network.core.cache.store import REST, current_cache

WROTE = "network.cache.wrote"  # session.info: something written in this transaction
SCOPES = "network.cache.scopes"  # session.info: the only things this transaction changes
COMMITTED = "cache_committed_write"  # g: this request committed a change of no named scope
COMMITTED_SCOPES = "cache_committed_scopes"  # g: scopes of the changes it committed


def writes_only(*scopes: str) -> None:
    """Called by a service before it commits: this transaction changes only these
    things (``"thread:12"``) and what lists or counts them. At the end of the
    request their versions and ``rest`` (every entry that names no scope) are
    bumped instead of the content version, so the pages and fragments of other
    threads stay. A transaction that writes without saying so bumps everything.
    Only for writes whose effect on a scoped entry is that scope's alone: a
    thread's page shows its posts, title and network's name, so a reply is one,
    an edit of a network's name is not."""
    from network.extensions import db

    db.session().info.setdefault(SCOPES, set()).update(scopes)


def _after_flush(session, flush_context) -> None:
    session.info[WROTE] = True


def _do_orm_execute(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


def _after_commit(session) -> None:
    scopes = session.info.pop(SCOPES, None)
    if session.info.pop(WROTE, False) and has_request_context():
        if scopes:
            g.setdefault(COMMITTED_SCOPES, set()).update(scopes)
        else:
            setattr(g, COMMITTED, True)


def _after_rollback(session) -> None:
    session.info.pop(WROTE, None)
    session.info.pop(SCOPES, None)


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
        everything, scopes = g.pop(COMMITTED, False), g.pop(COMMITTED_SCOPES, None)
        cache = current_cache()
        if cache is None:
            return
        if everything:
            cache.version.bump()
        elif scopes:
            for scope in sorted(scopes):
                cache.scopes.bump(scope)
            cache.scopes.bump(REST)
