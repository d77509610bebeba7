"""Caches that make the site fast and are never stale after a write.

One package, one subject per module:

- ``store``: the site-wide content version and where entries live (Redis, or a
  version file and an in-process LRU); ``invalidate()`` for CLI commands.
- ``writes``: the version is bumped once at the end of a request that committed
  a change (and only then); a service whose transaction changes one thing says so
  (``writes_only("thread:12")``), and then only that thing's version and the
  version of everything else (``rest``) move: the other threads' pages and
  fragments stay.
- ``keys``: what an entry is keyed by (its kind, the host from ``BASE_URL``, the
  path and query) and which query strings may make entries.
- ``pages``: the full-page cache for anonymous visitors (WSGI middleware and
  inside Flask).
- ``own``: signed-in people's own copies of pages they have just seen.
- ``tokens``: taking a session's form token out of kept HTML and putting it back.
- ``memo``: remembered rows (``remembered``, ``remembered_rows``,
  ``remembered_row``), rebuilt as ORM objects through ``orm``, the one module
  that touches SQLAlchemy's internals.
- ``core/fragments.py`` keeps rendered parts of signed-in pages on the same store.

Correctness: every key includes the content version and the version of its
scope (``thread:12`` for a thread's pages and post lists, ``rest`` for everything
else, remembered rows and people's own copies included), so after a write no
worker (and no machine) can serve what was rendered or read before it. Entries live at
most ``CACHE_MAX_AGE`` seconds (default 30), which bounds what changes with the
clock alone (an article scheduled for later, a silence ending).

Headers: every HTML response says ``Cache-Control: private, no-cache`` (browsers
revalidate, shared proxies never keep a copy, so nobody is served another
person's page) and pages these caches considered say ``X-Cache: hit`` or ``miss``.
"""
from __future__ import annotations

from flask import Flask

from network.core.cache.memo import remembered, remembered_row, remembered_rows
from network.core.cache.store import invalidate
from network.core.cache.writes import writes_only

__all__ = ["init_app", "invalidate", "remembered", "remembered_row", "remembered_rows",
           "writes_only"]


def init_app(app: Flask) -> None:
    from network.core.cache import own, pages, writes
    from network.core.cache.keys import CacheAwareRequest
    from network.core.cache.store import Cache

    # On top of the request class already set (security's upload limits), not instead.
    if not issubclass(app.request_class, CacheAwareRequest):
        app.request_class = type("CacheAwareRequest", (CacheAwareRequest, app.request_class), {})
    if app.config.get("CACHE_ENABLED"):
        cache = app.extensions["page_cache"] = Cache(app)
        app.wsgi_app = pages.FastPath(app, app.wsgi_app, cache)

    app.before_request(pages.read_versions)
    app.before_request(pages.serve_anonymous)
    app.before_request(own.serve_own)

    @app.after_request
    def _label(response):
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response

    app.after_request(own.keep_own)
    app.after_request(pages.mark_anonymous)
    writes.init_app(app)
