"""The full-page cache for anonymous visitors.

What is cached: the HTML of a GET (or HEAD) answered 200 to a visitor who is not
signed in, has no flashed message waiting, and whose response sets no cookie and
put no CSRF token on the page. Never anything under /auth/, /settings/, /admin/,
/moderation/ or /notifications/. Pages whose query string carries a parameter the
page did not read are not kept (see ``keys``).

Where: ``FastPath`` (WSGI middleware) serves hits to visitors with no session or
remember-me cookie before Flask builds a request, and stores pages once Flask's
response is final; ``serve_anonymous`` serves visitors who carry an anonymous
session cookie, or a remember-me cookie Flask-Login does not accept (forged,
or from a session ended since): those are anonymous too, and get the shared page.
"""
from __future__ import annotations

import uuid

from flask import current_app, g, request, session
from werkzeug.wrappers import Response

from network.core.cache.keys import every_parameter_read, page_key, path_scope
from network.core.cache.store import (REST, SAFE_METHODS, Cache, content_version, current_cache,
                                      scoped, versioned)

PRIVATE_PREFIXES = ("/auth/", "/settings/", "/admin/", "/moderation/", "/notifications/",
                    "/static/")
# Headers a cached copy must never carry to the next visitor.
UNSHARED_HEADERS = frozenset({"set-cookie", "x-request-id", "x-cache"})
MARK = "network.page_cache"  # environ key: Flask found this response cacheable


def _remember_cookie_accepted(cookie: str) -> bool:
    """Whether Flask-Login signs this visitor in from their remember-me cookie: a
    forged one fails its signature check (no SQL); a genuine one is checked by the
    user loader like any session."""
    from flask_login import current_user
    from flask_login.utils import decode_cookie

    return decode_cookie(cookie) is not None and current_user.is_authenticated


def anonymous_request() -> bool:
    """A reading request outside the private areas, from a visitor nobody is signed
    in as, with no message waiting."""
    if request.method not in SAFE_METHODS or request.path.startswith(PRIVATE_PREFIXES):
        return False
    if "_user_id" in session or "_flashes" in session:
        return False
    cookie = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME",
                                                        "remember_token"))
    return cookie is None or not _remember_cookie_accepted(cookie)


class FastPath:
    """WSGI middleware around the Flask app, for speed and for the final word.

    - A visitor with no session or remember-me cookie at all is anonymous with
      nothing waiting, so a cached page is served here without building a Flask
      request (about half the cost of a hit inside Flask).
    - Pages are stored here, after Flask has finished the response, so the check
      "sets no cookie" sees the session cookie Flask adds after every hook, and the
      stored headers are the final ones (security headers included).
    """

    def __init__(self, app, wsgi_app, cache: Cache):
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
            scope = path_scope(environ) or REST
            version, scopes = self.cache.read([scope])  # one round trip with Redis
            found = self.cache.store.get(version, versioned(
                page_key(self.cache.host, environ), scope, scopes[scope]))
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
        version, key, bounded = mark
        self.cache.store.set(version, key, body, headers, self.cache.max_age, bounded)
        return [body]


def keepable(response) -> bool:
    """A finished page that may be kept for later: a whole 200 HTML answer to a GET,
    with no message shown and no query parameter the page ignored."""
    return (request.method == "GET" and response.status_code == 200
            and response.mimetype == "text/html" and not response.is_streamed
            and "_flashes" not in session and every_parameter_read())


def anonymous_key(cache: Cache, environ: dict) -> str:
    """The shared page's key, with the version of the thing it shows (keys.path_scope)."""
    return scoped(cache, page_key(cache.host, environ), path_scope(environ))


def read_versions():
    """before_request: the versions a reading request's entries depend on, read
    before it reads any row, so nothing it renders is kept under a version newer
    than its data."""
    cache = current_cache()
    if cache is None or request.method not in SAFE_METHODS:
        return
    scopes = sorted({path_scope(request.environ) or REST, REST})
    if "content_version" not in g:
        g.content_version, versions = cache.read(scopes)
        for scope, number in versions.items():
            g.setdefault("scope_versions", {}).setdefault(scope, number)
    anonymous_key(cache, request.environ)
    scoped(cache, "")


def serve_anonymous():
    """before_request: an anonymous visitor's cached page, if kept."""
    cache = current_cache()
    if cache is None or not anonymous_request():
        return None
    g.page_cache_version = version = content_version(cache)
    g.page_cache_key = key = anonymous_key(cache, request.environ)
    found = cache.store.get(version, key)
    if found is None:
        return None
    body, headers = found
    g.page_cache_hit = True
    response = Response(body, headers=headers)
    response.headers["X-Cache"] = "hit"
    return response


def mark_anonymous(response):
    """after_request: label an anonymous page and, when it may be kept, ask
    ``FastPath`` to store it once the response is final (and sets no cookie)."""
    version = g.get("page_cache_version")
    if version is None or g.get("page_cache_hit"):
        return response
    cache = current_cache()
    if (keepable(response) and cache.max_age > 0
            and "Set-Cookie" not in response.headers
            and "csrf_token" not in g):  # a form token belongs to one visitor
        request.environ[MARK] = (version, g.page_cache_key, bool(request.query_string))
    response.headers["X-Cache"] = "miss"
    return response
