"""A full-page cache for anonymous visitors, never stale after a write.

What is cached: the HTML of a GET (or HEAD) answered 200 to a visitor who is not
signed in, has no flashed message waiting, and whose response sets no cookie and
put no CSRF token on the page. Never anything under /auth/, /settings/, /admin/,
/moderation/ or /notifications/. Signed-in people always get a fresh page.

Correctness: every key includes a site-wide **content version**. Any write bumps
it, so after a write no worker (and no machine) can serve a page rendered before
it: the old entries are simply never asked for again.

- Where the version lives: Redis (``INCR``) when ``REDIS_URL`` is set, shared by
  every machine; otherwise the modification time (in nanoseconds) of a small file
  in the instance folder, shared by every worker process on this machine. Reading
  it is one ``stat()`` call (about a microsecond; a one-row table would cost a
  SQL round trip, tens of microseconds on SQLite and more on PostgreSQL). A bump
  sets the time explicitly under an exclusive lock, always strictly later than
  the previous version, so two bumps in the same clock tick still differ.
- Where the bodies live: Redis when ``REDIS_URL`` is set, otherwise an
  in-process LRU bounded by total bytes (``CACHE_MAX_BYTES``); seeing a new
  version empties it, since nothing in it can be asked for again.
- When the version is bumped:
  1. after every state-changing request (POST/PUT/PATCH/DELETE) that reached a
     view, in ``_bump_after_write`` below. This is the one place because every
     write in this app is a POST handled by a view (GETs never write content that
     anonymous visitors see); a new service or view cannot forget it. It runs at
     teardown, after the view committed and before the answer reaches the client,
     so the redirect that follows a form already sees the new version.
  2. from CLI commands that write, which call ``invalidate()`` themselves.
  3. time: an article with a future ``published_at`` becomes visible later with
     no write at all. Entries therefore live at most ``CACHE_MAX_AGE`` seconds
     (default 30): a scheduled article reaches anonymous visitors at most that
     late. This also covers anything else that changes with the clock alone
     (silences and suspensions ending). Chosen over folding the next publication
     time into the version because it needs no query and covers every such case.

Where: ``FastPath`` (WSGI middleware) serves hits to visitors with no session
cookie before Flask builds a request, and stores pages once Flask's response is
final; ``_serve_from_cache`` serves visitors who carry an anonymous session cookie.

Headers: every HTML response says ``Cache-Control: private, no-cache`` (browsers
revalidate, shared proxies never keep a copy, so nobody is served another
person's page) and pages this cache considered say ``X-Cache: hit`` or ``miss``.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
import uuid
from collections import OrderedDict

from flask import Flask, current_app, g, has_request_context, request, session
from werkzeug.wrappers import Response

SAFE_METHODS = frozenset({"GET", "HEAD"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRIVATE_PREFIXES = ("/auth/", "/settings/", "/admin/", "/moderation/", "/notifications/",
                    "/static/")
# Headers a cached copy must never carry to the next visitor.
UNSHARED_HEADERS = frozenset({"set-cookie", "x-request-id", "x-cache"})
DEFAULT_MAX_AGE = 30
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


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


class MemoryStore:
    """An LRU of cached pages bounded by the total size of their bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.version = None
        self.entries: OrderedDict[str, tuple[float, bytes, list]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, version: int, key: str):
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.size, self.version = 0, version
                return None
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1], entry[2]

    def set(self, version: int, key: str, body: bytes, headers: list, max_age: int) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.size, self.version = 0, version
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + max_age, body, headers)
            self.size += len(body)
            while self.size > self.max_bytes and self.entries:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        _, body, _ = self.entries.pop(key)
        self.size -= len(body)


class RedisStore:
    def __init__(self, client, prefix: str):
        self.client, self.prefix = client, prefix

    def get(self, version: int, key: str):
        import json

        raw = self.client.get(f"{self.prefix}{version}:{key}")
        if raw is None:
            return None
        head, _, body = raw.partition(b"\n")
        return body, [tuple(header) for header in json.loads(head)]

    def set(self, version: int, key: str, body: bytes, headers: list, max_age: int) -> None:
        import json

        self.client.set(f"{self.prefix}{version}:{key}",
                        json.dumps(headers).encode() + b"\n" + body, ex=max_age)


class PageCache:
    def __init__(self, app: Flask):
        config = app.config
        self.max_age = int(config.get("CACHE_MAX_AGE", DEFAULT_MAX_AGE))
        self.rows = RowMemo()
        prefix = config.get("CACHE_KEY_PREFIX", "wwn:")
        if config.get("REDIS_URL"):
            import redis

            client = redis.Redis.from_url(config["REDIS_URL"])
            self.version = RedisVersion(client, f"{prefix}content-version")
            self.store = RedisStore(client, f"{prefix}page:")
        else:
            path = config.get("CACHE_VERSION_FILE") or os.path.join(app.instance_path,
                                                                    "content-version")
            self.version = FileVersion(path)
            self.store = MemoryStore(int(config.get("CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)))


def _cache() -> PageCache | None:
    return current_app.extensions.get("page_cache")


def content_version(cache: PageCache) -> int:
    """The content version, read once per request (a ``stat()``, or with Redis a
    round trip) however many memos and fragments the request consults. Bumps
    happen at teardown, so one request never needs a newer value."""
    if not has_request_context():
        return cache.version.current()
    if "content_version" not in g:
        g.content_version = cache.version.current()
    return g.content_version


def invalidate(app: Flask | None = None) -> None:
    """Make every cached page unreachable (call after any write outside a request)."""
    app = app or current_app
    cache = app.extensions.get("page_cache")
    if cache is not None:
        cache.version.bump()


def _anonymous_request() -> bool:
    if request.method not in SAFE_METHODS or request.path.startswith(PRIVATE_PREFIXES):
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        # Flask-Login would sign this visitor in from the remember-me cookie.
        return False
    return "_user_id" not in session and "_flashes" not in session


def environ_key(environ: dict) -> str:
    """The cache key of a request: host, path and query string exactly as sent."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return (f"{host}{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
            f"?{environ.get('QUERY_STRING', '')}")


MARK = "network.page_cache"  # environ key: Flask found this response cacheable

# A form token belongs to one session: before a signed-in page or fragment is kept,
# this request's token is replaced by a marker, and each request gets its own
# token back when it is served. The marker contains "<", which escaped user text
# and sanitised HTML can never contain, so user content cannot make a token appear.
TOKEN_MARK = "<csrf-token>"
CSRF_FIELD = "csrf_token"  # where Flask-WTF keeps this request's token in g


def hide_token(html: str) -> str:
    token = g.get(CSRF_FIELD)
    return html.replace(token, TOKEN_MARK) if token else html


def show_token(html: str) -> str:
    if TOKEN_MARK not in html:
        return html
    from flask_wtf.csrf import generate_csrf

    return html.replace(TOKEN_MARK, generate_csrf())


def _own_page_key() -> str | None:
    """Where this signed-in person's own copy of this page is kept, or None when
    the request may not use one: only a GET or HEAD outside the private areas,
    with no message waiting, from a session that names a person. The key holds
    the session's user id and session token, so a copy is only ever served to the
    same person's session, and signing out everywhere leaves it behind."""
    if (request.method not in SAFE_METHODS or request.path.startswith(PRIVATE_PREFIXES)
            or not current_app.config.get("CACHE_OWN_PAGES", True)
            or "_flashes" in session):
        return None
    session_id = session.get("_user_id")
    if not session_id:
        return None
    return f"own:{session_id}:{environ_key(request.environ)}"


class FastPath:
    """WSGI middleware around the Flask app, for speed and for the final word.

    - A visitor with no session or remember-me cookie at all is anonymous with
      nothing waiting, so a cached page is served here without building a Flask
      request (about half the cost of a hit inside Flask). Visitors who carry an
      anonymous session cookie are served by ``_serve_from_cache`` inside Flask.
    - Pages are stored here, after Flask has finished the response, so the check
      "sets no cookie" sees the session cookie Flask adds after every hook, and the
      stored headers are the final ones (security headers included).
    """

    def __init__(self, app: Flask, wsgi_app, cache: PageCache):
        self.wsgi_app, self.cache = wsgi_app, cache
        self.cookie_names = {app.config.get("SESSION_COOKIE_NAME", "session"),
                             app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}

    def _cookieless(self, environ) -> bool:
        if environ.get("REQUEST_METHOD") not in SAFE_METHODS:
            return False
        if environ.get("PATH_INFO", "").startswith(PRIVATE_PREFIXES):
            return False
        cookies = environ.get("HTTP_COOKIE")
        if not cookies:
            return True
        names = {part.split("=", 1)[0].strip() for part in cookies.split(";")}
        return not (names & self.cookie_names)

    def __call__(self, environ, start_response):
        if self._cookieless(environ):
            found = self.cache.store.get(self.cache.version.current(), environ_key(environ))
            if found is not None:
                body, headers = found
                start_response("200 OK", list(headers) + [
                    ("X-Request-Id", uuid.uuid4().hex[:12]), ("X-Cache", "hit")])
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        app_iter = self.wsgi_app(environ, capture)
        mark = environ.get(MARK)
        if (mark is None or not captured.get("status", "").startswith("200 ")
                or any(name.lower() == "set-cookie" for name, _ in captured["headers"])):
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        headers = [(name, value) for name, value in captured["headers"]
                   if name.lower() not in UNSHARED_HEADERS]
        version, key = mark
        self.cache.store.set(version, key, body, headers, self.cache.max_age)
        return [body]


def init_app(app: Flask) -> None:
    if app.config.get("CACHE_ENABLED"):
        cache = app.extensions["page_cache"] = PageCache(app)
        app.wsgi_app = FastPath(app, app.wsgi_app, cache)

    @app.before_request
    def _serve_from_cache():
        cache = _cache()
        if cache is None or not _anonymous_request():
            return None
        g.page_cache_version = version = content_version(cache)
        found = cache.store.get(version, environ_key(request.environ))
        if found is None:
            return None
        body, headers = found
        g.page_cache_hit = True
        response = Response(body, headers=headers)
        response.headers["X-Cache"] = "hit"
        return response

    @app.before_request
    def _serve_own_page():
        """A signed-in person's own copy of a page they have just seen, while
        nothing has been written (see ``_own_page_key``); their session is checked
        first, exactly as for a fresh page (Flask-Login's loader)."""
        from flask_login import current_user

        cache = _cache()
        if cache is None or cache.max_age <= 0 or _anonymous_request():
            return None
        key = _own_page_key()
        if key is None or not current_user.is_authenticated:
            return None
        g.own_page_key = key
        found = cache.store.get(content_version(cache), key)
        if found is None:
            return None
        g.page_cache_hit = True
        response = Response(show_token(found[0].decode()), mimetype="text/html")
        response.headers["X-Cache"] = "hit"
        return response

    @app.after_request
    def _mark_and_label(response):
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "private, no-cache")
        own_key = g.get("own_page_key")
        if own_key is not None and not g.get("page_cache_hit"):
            if (request.method == "GET" and response.status_code == 200
                    and response.mimetype == "text/html" and not response.is_streamed
                    and "_flashes" not in session):
                cache = _cache()
                html = hide_token(response.get_data(as_text=True))
                cache.store.set(content_version(cache), own_key, html.encode(), [],
                                cache.max_age)
            response.headers["X-Cache"] = "miss"
            return response
        version = g.get("page_cache_version")
        if version is None or g.get("page_cache_hit"):
            return response
        cacheable = (request.method == "GET" and response.status_code == 200
                     and response.mimetype == "text/html" and not response.is_streamed
                     and "Set-Cookie" not in response.headers
                     and "csrf_token" not in g  # a form token belongs to one visitor
                     and "_flashes" not in session)
        if cacheable and _cache().max_age > 0:
            # FastPath stores it once the response is final (and sets no cookie).
            request.environ[MARK] = (version, environ_key(request.environ))
        response.headers["X-Cache"] = "miss"
        return response

    @app.teardown_request
    def _bump_after_write(exc):
        if (request.method in WRITE_METHODS and request.url_rule is not None
                and _cache() is not None):
            _cache().version.bump()


# ---------------------------------------------------------------- the signed-in person

class RowMemo:
    """Column values of rows read on every signed-in request (the person and their
    region), kept per worker and valid only for the content version they were read
    at: any write anywhere (a profile edit, a password change, a suspension, signing
    out everywhere) makes every memo stale, exactly like the page cache."""

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self.version = None
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, version, key):
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
                return None
            return self.entries.get(key)

    def set(self, version, key, value) -> None:
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
            self.entries[key] = value
            if len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


def _columns(obj) -> dict:
    from sqlalchemy import inspect

    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}


_MODELS: dict = {}  # model -> (mapper, primary key attribute names, column attribute names)


def _model(model):
    found = _MODELS.get(model)
    if found is None:
        from sqlalchemy import inspect

        mapper = inspect(model)
        found = _MODELS[model] = (
            mapper, tuple(mapper.get_property_by_column(c).key for c in mapper.primary_key),
            frozenset(attr.key for attr in mapper.column_attrs))
    return found


def _attach(session, model, values: dict):
    """A persistent instance built from remembered values, with no SQL: the values go
    straight into the instance's state, as when a row is loaded (no constructor, no
    attribute events), and columns not among them load on first use. The instance
    joins the session the way a loaded row does, through the session's own step
    for a detached instance (``Session._update_impl``, what ``add()`` calls after
    walking cascades that a fresh instance does not have yet)."""
    from sqlalchemy.orm import scoped_session
    from sqlalchemy.orm.attributes import instance_state

    mapper, key_names, column_names = _model(model)
    key = mapper.identity_key_from_primary_key(tuple(values[name] for name in key_names))
    if isinstance(session, scoped_session):
        session = session()
    present = session.identity_map.get(key)
    if present is not None:
        return present
    obj = mapper.class_manager.new_instance()
    state = instance_state(obj)
    state.dict.update(values)
    state.key = key
    missing = column_names.difference(values)
    if missing:
        state._expire_attributes(state.dict, missing)
    session._update_impl(state)
    return obj


def remembered_user(user_id: int):
    """``db.session.get(User, user_id)``, without a query when nothing has been
    written since this worker last read that person (cache enabled only)."""
    from sqlalchemy.orm.attributes import set_committed_value
    from sqlalchemy.orm.util import identity_key

    from network.accounts.models import Region, User
    from network.extensions import db

    cache = _cache()
    session = db.session
    if cache is None:
        return session.get(User, user_id)
    present = session.identity_map.get(identity_key(User, user_id))
    if present is not None:
        return present
    version = content_version(cache)
    memo = cache.rows.get(version, user_id)
    if memo is None:
        user = session.get(User, user_id)
        if user is not None:
            region = _columns(user.region) if user.region is not None else None
            cache.rows.set(version, user_id, (_columns(user), region))
        return user
    user_values, region_values = memo
    user = _attach(session, User, user_values)
    if "region" not in user.__dict__:
        region = _attach(session, Region, region_values) if region_values else None
        set_committed_value(user, "region", region)
    return user


def remembered(key, load):
    """``load()``, memoised per worker for the current content version: for rows a
    signed-in person's every page reads (their memberships). Only safe-method
    requests use the memo; a request that writes always reads afresh, so it never
    acts on what it is itself changing."""
    cache = _cache()
    if cache is None or not has_request_context() or request.method not in SAFE_METHODS:
        return load()
    version = content_version(cache)
    value = cache.rows.get(version, key)
    if value is None:
        value = load()
        cache.rows.set(version, key, value)
    return value


# ---------------------------------------------------------------- rows a page starts from

_MAX_DEPTH = 3  # an object, its related rows, and theirs: all a page header reads


def _snapshot(obj, depth: int = 0):
    """Column values of ``obj`` and of the related rows already loaded with it
    (nothing is loaded here), as plain data that no session owns."""
    from sqlalchemy import inspect

    state = inspect(obj)
    loaded = state.dict
    columns = {attr.key: loaded[attr.key] for attr in state.mapper.column_attrs
               if attr.key in loaded}
    related = {}
    if depth < _MAX_DEPTH:
        for rel in state.mapper.relationships:
            if rel.key not in loaded:
                continue
            value = loaded[rel.key]
            if value is None:
                related[rel.key] = None
            elif rel.uselist:
                related[rel.key] = [_snapshot(item, depth + 1) for item in value]
            else:
                related[rel.key] = _snapshot(value, depth + 1)
    return type(obj), columns, related


def _restore(session, snapshot):
    """The persistent object a snapshot describes, with its related rows set as
    if they had been loaded with it; no SQL. Relationships not in the snapshot
    load lazily as usual."""
    from sqlalchemy.orm.attributes import set_committed_value

    model, columns, related = snapshot
    obj = _attach(session, model, columns)
    for key, value in related.items():
        if key in obj.__dict__:
            continue
        if value is None:
            restored = None
        elif isinstance(value, list):
            restored = [_restore(session, item) for item in value]
        else:
            restored = _restore(session, value)
        set_committed_value(obj, key, restored)
    return obj


def remembered_rows(key, load):
    """``load()`` (one ORM object with whatever it eagerly loads, None, or a list
    of such objects), memoised per worker for the current content version like
    ``remembered``: the rows a page starts from (a thread with its network, a
    network with its topics, the list of regions) cost no query until something
    is written. Only safe-method requests use the memo, and only stored rows are
    kept, never a decision: policy is asked afresh on every request (an article
    scheduled for later is compared with the clock each time)."""
    from network.extensions import db

    cache = _cache()
    if cache is None or not has_request_context() or request.method not in SAFE_METHODS:
        return load()
    version = content_version(cache)
    memo_key = ("rows",) + tuple(key)
    snapshot = cache.rows.get(version, memo_key)
    if snapshot is not None:
        if isinstance(snapshot, list):
            return [_restore(db.session, item) for item in snapshot]
        return _restore(db.session, snapshot)
    found = load()
    if isinstance(found, list):
        cache.rows.set(version, memo_key, [_snapshot(item) for item in found])
    elif found is not None:
        cache.rows.set(version, memo_key, _snapshot(found))
    return found
