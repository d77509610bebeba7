"""People's own copies of pages: a signed-in person who asks again for a page they
have seen since the last write gets the copy kept for them (``CACHE_OWN_PAGES``).

The key holds the session's user id and session token (from the signed session
cookie), so a copy is only ever served to the same person's session, and signing
out everywhere leaves it behind. Their session is checked first, exactly as for a
fresh page (Flask-Login's loader). Their form token is taken out before the copy
is kept and this request's token put back when it is served.
"""
from __future__ import annotations

from flask import current_app, g, request, session
from werkzeug.wrappers import Response

from network.core.cache.keys import own_key
from network.core.cache.pages import PRIVATE_PREFIXES, anonymous_request, keepable
from network.core.cache.store import SAFE_METHODS, content_version, current_cache, scoped
from network.core.cache.tokens import hide_token, show_token


def _own_page_key(cache) -> str | None:
    """Where this signed-in person's own copy of this page is kept, or None when
    the request may not use one: only a GET or HEAD outside the private areas,
    with no message waiting, from a session that names a person."""
    if (request.method not in SAFE_METHODS or request.path.startswith(PRIVATE_PREFIXES)
            or not current_app.config.get("CACHE_OWN_PAGES", True)
            or "_flashes" in session):
        return None
    session_id = session.get("_user_id")
    if not session_id:
        return None
    # A person's own copy shows their header (notifications): it depends on "rest".
    return scoped(cache, own_key(cache.host, session_id, request.environ))


def serve_own():
    """before_request: this person's own copy of the page, if kept."""
    from flask_login import current_user

    cache = current_cache()
    if cache is None or cache.max_age <= 0 or anonymous_request():
        return None
    key = _own_page_key(cache)
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


def keep_own(response):
    """after_request: keep the page just built for this person."""
    key = g.get("own_page_key")
    if key is None or g.get("page_cache_hit"):
        return response
    if keepable(response):
        cache = current_cache()
        html = hide_token(response.get_data(as_text=True))
        cache.store.set(content_version(cache), key, html.encode(), [], cache.max_age,
                        bool(request.query_string))
    response.headers["X-Cache"] = "miss"
    return response
