"""Where cached entries and the site-wide content version live.

- The **content version**: Redis (``INCR``) when ``REDIS_URL`` is set, shared by
  every machine; otherwise the modification time (in nanoseconds) of a small file
  in the instance folder, shared by every worker process on this machine. Reading
  it is one ``stat()`` call (about a microsecond; a one-row table would cost a SQL
  round trip). A bump sets the time explicitly under an exclusive lock, always
  strictly later than the previous version, so two bumps in one clock tick differ.
- The **scope versions** (``thread:12``, ``article:<slug>``, and ``rest`` for
  everything else): the same, one Redis key or one file each, 0 until first
  bumped. A key holds the content version and its scope's version (``scoped``);
  a reply bumps its thread and ``rest`` only (see ``writes``).
- The **bodies**: Redis when ``REDIS_URL`` is set, otherwise an in-process LRU
  bounded by total bytes (``CACHE_MAX_BYTES``); seeing a new version empties it,
  since nothing in it can be asked for again.

Entries whose key a visitor can vary freely (a page with a query string) are
*bounded*: they may use at most ``CACHE_QUERY_PERCENT`` of the store (a quarter by
default), in their own LRU locally and under a byte budget per version and
``CACHE_MAX_AGE`` window in Redis, so random query strings can never push the
plain pages out.

Every key starts with the kind of entry (``page:``, ``own:``, ``fragment:``), so
one kind can never be asked for as another.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections import OrderedDict
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_request_context

SAFE_METHODS = frozenset({"GET", "HEAD"})  # the only requests served from or kept in a cache
DEFAULT_MAX_AGE = 30
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_QUERY_SHARE = 0.25


class FileVersion:
    """The content version as a file's mtime in nanoseconds (one stat() to read)."""

    def __init__(self, path: str):
        self.path = path
        if not os.path.exists(path):
            self.bump()

    def current(self) -> int:
        try:
            return os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return self.bump()

    def bump(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            previous = os.fstat(fd).st_mtime_ns
            wanted = max(time.time_ns(), previous + 1)
            os.utime(fd, ns=(wanted, wanted))
            now = os.fstat(fd).st_mtime_ns
            if now <= previous:  # a filesystem with coarse timestamps
                wanted = previous + 2_000_000_000
                os.utime(fd, ns=(wanted, wanted))
                now = os.fstat(fd).st_mtime_ns
            return now
        finally:
            os.close(fd)


class RedisVersion:
    def __init__(self, client, key: str):
        self.client, self.key = client, key

    def current(self) -> int:
        return int(self.client.get(self.key) or 0)

    def bump(self) -> int:
        return int(self.client.incr(self.key))


class FileScopes:
    """Versions of single things (``thread:12``) and of everything else
    (``rest``): one file per scope in a directory beside the content version file,
    its mtime in nanoseconds, 0 until first bumped. Shared by the workers of one
    machine like the content version."""

    def __init__(self, directory: str):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def _path(self, scope: str) -> str:
        return os.path.join(self.directory, scope.replace(":", "-"))

    def current(self, scope: str) -> int:
        try:
            return os.stat(self._path(scope)).st_mtime_ns
        except FileNotFoundError:
            return 0

    def bump(self, scope: str) -> int:
        return FileVersion(self._path(scope)).bump()


class RedisScopes:
    def __init__(self, client, prefix: str):
        self.client, self.prefix = client, prefix

    def current(self, scope: str) -> int:
        return int(self.client.get(self.prefix + scope) or 0)

    def bump(self, scope: str) -> int:
        return int(self.client.incr(self.prefix + scope))


class _Lru:
    """Entries (expiry, body, headers) bounded by the total size of their bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, bytes, list]] = OrderedDict()

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0

    def get(self, key: str):
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            self.drop(key)
            return None
        self.entries.move_to_end(key)
        return entry[1], entry[2]

    def set(self, key: str, body: bytes, headers: list, max_age: int) -> None:
        if len(body) > self.max_bytes // 4:
            return
        if key in self.entries:
            self.drop(key)
        self.entries[key] = (time.monotonic() + max_age, body, headers)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            self.drop(next(iter(self.entries)))

    def drop(self, key: str) -> None:
        _, body, _ = self.entries.pop(key)
        self.size -= len(body)


class MemoryStore:
    """Two LRUs sharing ``max_bytes``: plain entries, and bounded ones (at most
    ``share`` of it), so bounded entries never evict plain ones."""

    def __init__(self, max_bytes: int, share: float = DEFAULT_QUERY_SHARE):
        bounded = int(max_bytes * share)
        self.plain, self.bounded = _Lru(max_bytes - bounded), _Lru(bounded)
        self.version = None
        self.lock = threading.Lock()

    def _at(self, version: int) -> None:
        if version != self.version:
            self.plain.clear()
            self.bounded.clear()
            self.version = version

    def get(self, version: int, key: str):
        with self.lock:
            self._at(version)
            found = self.plain.get(key)
            return found if found is not None else self.bounded.get(key)

    def set(self, version: int, key: str, body: bytes, headers: list, max_age: int,
            bounded: bool = False) -> None:
        with self.lock:
            self._at(version)
            (self.bounded if bounded else self.plain).set(key, body, headers, max_age)


class RedisStore:
    def __init__(self, client, prefix: str, max_bytes: int, share: float = DEFAULT_QUERY_SHARE):
        self.client, self.prefix = client, prefix
        self.bounded_bytes = int(max_bytes * share)

    def get(self, version: int, key: str):
        raw = self.client.get(f"{self.prefix}{version}:{key}")
        if raw is None:
            return None
        head, _, body = raw.partition(b"\n")
        return body, [tuple(header) for header in json.loads(head)]

    def set(self, version: int, key: str, body: bytes, headers: list, max_age: int,
            bounded: bool = False) -> None:
        if bounded:
            # A byte budget per version and window of max_age seconds: once spent,
            # bounded entries are not stored (their pages are rendered as if the
            # cache were off) until the window ends or something is written.
            budget = f"{self.prefix}bounded-bytes:{version}"
            used = int(self.client.incrby(budget, len(body)))
            if used == len(body):
                self.client.expire(budget, max(max_age, 1))
            if used > self.bounded_bytes:
                return
        self.client.set(f"{self.prefix}{version}:{key}",
                        json.dumps(headers).encode() + b"\n" + body, ex=max(max_age, 1))


class Cache:
    """The version, the store and the row memo of one application."""

    def __init__(self, app: Flask):
        from network.core.cache.memo import RowMemo

        config = app.config
        self.max_age = int(config.get("CACHE_MAX_AGE", DEFAULT_MAX_AGE))
        self.rows = RowMemo(self.max_age)
        # The host part of every key comes from configuration, never from the
        # request's Host header, which the visitor chooses.
        self.host = urlsplit(config.get("BASE_URL") or "").netloc.lower()
        prefix = config.get("CACHE_KEY_PREFIX", "wwn:")
        max_bytes = int(config.get("CACHE_MAX_BYTES", DEFAULT_MAX_BYTES))
        share = min(int(config.get("CACHE_QUERY_PERCENT", 25)), 100) / 100
        self.client = None
        if config.get("REDIS_URL"):
            import redis

            self.client = client = redis.Redis.from_url(config["REDIS_URL"])
            self.version = RedisVersion(client, f"{prefix}content-version")
            self.scopes = RedisScopes(client, f"{prefix}content-version:")
            self.store = RedisStore(client, f"{prefix}entry:", max_bytes, share)
        else:
            path = config.get("CACHE_VERSION_FILE") or os.path.join(app.instance_path,
                                                                    "content-version")
            self.version = FileVersion(path)
            self.scopes = FileScopes(path + ".d")
            self.store = MemoryStore(max_bytes, share)

    def read(self, scopes: list[str]) -> tuple[int, dict[str, int]]:
        """The content version and these scopes' versions: with Redis one MGET
        (one round trip), locally a stat() each."""
        if self.client is None:
            return self.version.current(), {s: self.scopes.current(s) for s in scopes}
        values = self.client.mget([self.version.key, *(self.scopes.prefix + s for s in scopes)])
        numbers = [int(value or 0) for value in values]
        return numbers[0], dict(zip(scopes, numbers[1:]))


def current_cache() -> Cache | None:
    """This application's cache, or None when ``CACHE_ENABLED`` is off."""
    return current_app.extensions.get("page_cache")


def content_version(cache: Cache) -> int:
    """The content version, read once per request (a ``stat()``, or with Redis a
    round trip) however many memos and fragments the request consults. Bumps
    happen at teardown, so one request never needs a newer value."""
    if not has_request_context():
        return cache.version.current()
    if "content_version" not in g:
        g.content_version = cache.version.current()
    return g.content_version


REST = "rest"  # the scope of every entry that names no thing of its own


def scope_version(cache: Cache, scope: str) -> int:
    """The version of one scope, read once per request like ``content_version``."""
    if not has_request_context():
        return cache.scopes.current(scope)
    versions = g.setdefault("scope_versions", {})
    if scope not in versions:
        versions[scope] = cache.scopes.current(scope)
    return versions[scope]


def scoped(cache: Cache, key: str, scope: str | None = None) -> str:
    """``key`` with the version of its scope (``rest`` unless named): an entry of
    ``thread:12`` is unreachable once that thread is written, one of ``rest`` once
    anything at all is; both once the content version moves (a write that named
    no scope, see ``writes``)."""
    scope = scope or REST
    return versioned(key, scope, scope_version(cache, scope))


def versioned(key: str, scope: str, number: int) -> str:
    """The one spelling of a key under its scope's version."""
    return f"{key}@{scope}={number}"


def invalidate(app: Flask | None = None) -> None:
    """Make every cached page, fragment and remembered row unreachable (CLI
    commands that write call this; requests bump by themselves, see ``writes``)."""
    app = app or current_app
    cache = app.extensions.get("page_cache")
    if cache is not None:
        cache.version.bump()
