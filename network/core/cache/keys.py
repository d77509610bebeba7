"""What a cached page is keyed by, and which query strings may make new entries.

A key is the kind of entry, the host from ``BASE_URL`` (never the request's
``Host`` header, which the visitor chooses: pages here do not depend on it, since
every address they carry is relative or built from ``BASE_URL``), the path and the
query string.

A visitor can invent query strings without end. A page is therefore kept only
when the request read every query parameter it carries *by name*
(``request.args.get("page")``, ``"tag" in request.args``, a GET form's fields):
``/articles/?page=2`` is kept, ``/articles/?x=123`` is not, since ``x`` changes
nothing the page shows. Parameters read by iterating over all of them (carrying
filters into pagination links) do not count. What remains (random values of
parameters a page does read, such as a search) is a *bounded* entry in the store.
"""
from __future__ import annotations

import re

from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict


class ReadParameters(ImmutableMultiDict):
    """Query parameters that remember which names were asked for by name."""

    def __init__(self, mapping=None):
        super().__init__(mapping)
        self.names_read: set[str] = set()

    def __getitem__(self, key):
        self.names_read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's signature)
        self.names_read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self.names_read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.names_read.add(key)
        return super().__contains__(key)


class CacheAwareRequest(Request):
    parameter_storage_class = ReadParameters


def location(host: str, environ: dict) -> str:
    """The configured host, the path and the query string, unambiguously joined
    (a path may contain ``?`` once percent-decoded)."""
    return repr((host, environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                 environ.get("QUERY_STRING", "")))


_THREAD_PAGE = re.compile(r"/threads/([0-9]+)")
_ARTICLE_PAGE = re.compile(r"/articles/([a-z0-9-]+)")
_NOT_ARTICLES = frozenset({"mine", "new"})


def path_scope(environ: dict) -> str | None:
    """The one thing a page at this path shows, when it shows nothing that the
    writes which name a scope (``writes.writes_only``: replies, comments) change
    elsewhere: a thread's pages (its posts, title and network's name) and an
    article's (its text, comments, series and related articles' titles); no list
    of other threads and no counts of other things. The viewer's own parts (their
    header) are never in a shared page. Every other page depends on ``rest``."""
    if environ.get("SCRIPT_NAME"):
        return None
    path = environ.get("PATH_INFO", "")
    found = _THREAD_PAGE.fullmatch(path)
    if found:
        return f"thread:{int(found.group(1))}"
    found = _ARTICLE_PAGE.fullmatch(path)
    if found and found.group(1) not in _NOT_ARTICLES:
        return f"article:{found.group(1)}"
    return None


def page_key(host: str, environ: dict) -> str:
    return "page:" + location(host, environ)


def own_key(host: str, session_id: str, environ: dict) -> str:
    return f"own:{session_id}:" + location(host, environ)


def every_parameter_read() -> bool:
    """Whether this request read, by name, every query parameter it carries."""
    args = request.args
    names = getattr(args, "names_read", None)
    if names is None:  # an application without CacheAwareRequest: be safe
        return not args
    return all(name in names for name in args.keys())
