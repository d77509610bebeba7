"""Remembered rows: what signed-in pages read on every request, kept per worker.

A memo entry is valid only for the content version it was read at (any committed
write anywhere makes every entry stale, exactly like the page cache) and for at
most ``CACHE_MAX_AGE`` seconds (what changes with the clock alone: a suspension
ending). Only reading requests (GET, HEAD) use the memo: a request that writes
reads afresh, so it never acts on what it is itself changing, and is authorised
against the person's current role, suspension and session token.

Only stored values are kept, never a decision: policy is asked afresh every time.
How rows are turned back into ORM objects without SQL is in ``orm``.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import has_request_context, request

from network.core.cache import orm
from network.core.cache.store import REST, SAFE_METHODS, content_version, current_cache, scope_version

_MAX_DEPTH = 3  # an object, its related rows, and theirs: all a page header reads


class RowMemo:
    """Values per key, for one content version, each for at most ``max_age`` s."""

    def __init__(self, max_age: int, max_entries: int = 10_000):
        self.max_age, self.max_entries = max_age, max_entries
        self.version = None
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, version, key):
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
                return None
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self.entries[key]
                return None
            return entry[1]

    def set(self, version, key, value) -> None:
        if self.max_age <= 0:
            return
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
            self.entries.pop(key, None)
            self.entries[key] = (time.monotonic() + self.max_age, value)
            if len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


def _memo():
    """(memo, version) when this request may use the memo, else None."""
    cache = current_cache()
    if cache is None or not has_request_context() or request.method not in SAFE_METHODS:
        return None
    # Rows of any kind (a thread's counts, a network's last activity, a person):
    # valid until anything at all is written.
    return cache.rows, (content_version(cache), scope_version(cache, REST))


def remembered(key, load):
    """``load()``, memoised per worker for the current content version: plain
    values a signed-in person's every page reads (their memberships, a count)."""
    found = _memo()
    if found is None:
        return load()
    memo, version = found
    value = memo.get(version, key)
    if value is None:
        value = load()
        memo.set(version, key, value)
    return value


def _snapshot(obj, depth: int = 0):
    """Column values of ``obj`` and of the related rows already loaded with it
    (nothing is loaded here), as plain data that no session owns."""
    related = {}
    if depth < _MAX_DEPTH:
        for name, value in orm.loaded_relationships(obj).items():
            if value is None:
                related[name] = None
            elif isinstance(value, list):
                related[name] = [_snapshot(item, depth + 1) for item in value]
            else:
                related[name] = _snapshot(value, depth + 1)
    return type(obj), orm.loaded_columns(obj), related


def _restore(session, snapshot):
    """The persistent object a snapshot describes, with its related rows set as
    if they had been loaded with it; no SQL. Relationships not in the snapshot
    load lazily as usual."""
    model, columns, related = snapshot
    obj = orm.attach(session, model, columns)
    for name, value in related.items():
        if orm.is_loaded(obj, name):
            continue
        if value is None:
            restored = None
        elif isinstance(value, list):
            restored = [_restore(session, item) for item in value]
        else:
            restored = _restore(session, value)
        orm.set_loaded(obj, name, restored)
    return obj


def remembered_rows(key, load):
    """``load()`` (one ORM object with whatever it eagerly loads, None, or a list
    of such objects), memoised like ``remembered``: the rows a page starts from (a
    thread with its network, a network with its topics, the signed-in person with
    their region) cost no query until something is written. Objects already in
    the session are returned as they are."""
    from network.extensions import db

    found = _memo()
    if found is None:
        return load()
    memo, version = found
    memo_key = ("rows",) + tuple(key)
    snapshot = memo.get(version, memo_key)
    if snapshot is not None:
        if isinstance(snapshot, list):
            return [_restore(db.session, item) for item in snapshot]
        return _restore(db.session, snapshot)
    loaded = load()
    if isinstance(loaded, list):
        memo.set(version, memo_key, [_snapshot(item) for item in loaded])
    elif loaded is not None:
        memo.set(version, memo_key, _snapshot(loaded))
    return loaded


def remembered_row(model, ident, *options):
    """``db.session.get(model, ident, options=...)`` memoised like
    ``remembered_rows`` (with the relationships the options or the model load
    eagerly). No query when the session already holds the row."""
    from network.extensions import db

    return remembered_rows(("row", model.__name__, ident),
                           lambda: db.session.get(model, ident, options=list(options)))
