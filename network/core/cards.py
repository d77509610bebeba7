"""Cards for the site's own things a text links to (issue 10): a post that links to
a practice shows the practice's card under it.

Core knows no domain, so the seam is a registry: a domain whose pages can be
linked to (practices) registers what it does with a text's links (``record``)
and how it draws cards for a set of texts (``load``), through
``network/site/contents.py``; the domains that hold texts (forum, articles)
call ``record`` in the writer's transaction and ``load`` once per page. With
nothing registered both do nothing.

Sources are named by kind: ``"post"``, ``"article"``, ``"comment"``. A card is
never part of the stored HTML: ``load`` answers for one viewer, as policy
decides, when the page is drawn.
"""
from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app, has_app_context

SOURCES = ("post", "article", "comment")
_KEY = "link_cards"


@dataclass(frozen=True)
class CardKind:
    # record(source, source_id, html): store which of the kind's pages the text links
    # to, replacing what the source linked to before; does not commit.
    record: Callable[[str, int, str], None]
    # load(viewer, source, source_ids): {source id: [card, ...]} for what the viewer
    # may read; source_ids may be a list or a SELECT of ids. One query.
    load: Callable[[object, str, object], dict[int, list]]


def register(app: Flask, kind: CardKind) -> None:
    app.extensions.setdefault(_KEY, []).append(kind)


def _kinds() -> list[CardKind]:
    return current_app.extensions.get(_KEY, []) if has_app_context() else []


def record(source: str, source_id: int, html: str) -> None:
    """Note the site's own links in the source's (cleaned) HTML. Does not commit."""
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}.")
    for kind in _kinds():
        kind.record(source, source_id, html or "")


def load(viewer, source: str, source_ids) -> dict[int, list]:
    """{source id: its cards, for this viewer}; one query per registered kind."""
    found: dict[int, list] = {}
    for kind in _kinds():
        for source_id, cards in kind.load(viewer, source, source_ids).items():
            found.setdefault(source_id, []).extend(cards)
    return found
