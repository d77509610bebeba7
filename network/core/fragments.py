"""Rendered fragments of signed-in pages, shared by every viewer who would see the
same HTML, and never stale after a write.

A signed-in page cannot be cached whole: its header names the person, its forms
carry their CSRF token, and what it shows depends on what they may do. Most of its
cost, though, is one long list (a thread's posts, an article's comments) that
looks the same to every viewer in the same position. A template wraps such a list
in ``{% call cached_fragment(key) %}...{% endcall %}``; the view builds ``key``
from everything the list's HTML depends on besides the stored content: the page
and its query string, and the viewer's position (signed in, may reply, may
moderate, and their own id only when they wrote something on that page, since
their own items carry Edit and Delete buttons). Viewers in the same position share
one rendering.

Correctness rests on the page cache's rules (``core/cache/``):
- the key includes the site-wide content version and the version of its scope
  (``rest`` unless the template names one, such as ``"thread:12"``), so any
  write makes every fragment of ``rest`` unreachable at once, and a reply or a
  comment (which name their thread or article) leaves only the other threads' and
  articles' fragments in place (a write: a request that committed a change);
- entries expire after ``CACHE_MAX_AGE`` seconds, which bounds anything that
  changes with the clock alone (a comment's 15-minute edit window, a silence
  ending);
- a form token belongs to one session: before storing, the viewer's token is
  replaced by a marker, and each viewer's own token is put back when serving.
  The marker contains ``<``, which escaped user text and sanitised HTML can never
  contain, so user content cannot make a token appear.
"""
from __future__ import annotations

import hashlib

from flask import has_request_context, request
from markupsafe import Markup

from network.core.cache.keys import every_parameter_read
from network.core.cache.store import SAFE_METHODS, content_version, current_cache, scoped
from network.core.cache.tokens import TOKEN_MARK, hide_token, show_token  # noqa: F401


def cached_fragment(*key, caller, scope: str | None = None) -> Markup:
    """The HTML ``caller()`` renders, kept per content version under ``key``.

    ``scope`` names the one thing the fragment shows (``"thread:12"``) when it
    shows nothing else that writes change: the fragment then stays when other
    things are written, and goes when that thread is. Without it, any write goes.

    Like whole pages, a fragment is not kept when the query string carries a
    parameter the page did not read, and fragments of pages with a query string
    are bounded entries (``core/cache/store.py``)."""
    cache = current_cache()
    if (cache is None or cache.max_age <= 0 or not has_request_context()
            or request.method not in SAFE_METHODS):
        return caller()
    version = content_version(cache)
    query = hashlib.sha1(request.query_string).hexdigest()[:16] if request.query_string else ""
    name = scoped(cache, f"fragment:{request.endpoint}:{query}:{key!r}", scope)
    found = cache.store.get(version, name)
    if found is not None:
        return Markup(show_token(found[0].decode()))
    html = str(caller())
    if every_parameter_read():
        cache.store.set(version, name, hide_token(html).encode(), [], cache.max_age,
                        bool(query))
    return Markup(html)


def own_key(viewer, author_ids) -> int:
    """The viewer's id when they wrote any of the items shown (their items carry
    their own buttons), else 0: everyone else in the same position shares."""
    viewer_id = getattr(viewer, "id", None)
    return viewer_id if viewer_id is not None and viewer_id in set(author_ids) else 0
