"""One way to paginate: a Page of items plus the numbers the macro needs."""
from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import Select, func, select

from network.extensions import db

MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """The ?page= number, clamped to a sane range (never an error)."""
    raw = request.args.get(name, "1")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), MAX_PAGE)


def page_url(endpoint: str, number: int, param: str = "page") -> str:
    """The link to page ``number`` of a list at ``endpoint``: the route's own
    arguments from the matched URL, the list's filters from the query string, and
    the page number.

    Query keys are carried over only when they are plain filters. A key naming a
    route argument (``slug``, ``thread_id``), one that ``url_for`` reads as its own
    option (``endpoint``, ``_external``, ``_scheme``, ``_anchor``, ``_method``) or
    the page number itself would otherwise break the link (a 500) or point it at
    another network, another host or a fragment the visitor chose.

    ``endpoint`` is named by the template rather than taken from the request, so a
    page shown again after a failed POST (``forum.reply``) still links to the list
    (``forum.thread``)."""
    path_args = dict(request.view_args or {})
    route_args = set(path_args)
    for rule in current_app.url_map.iter_rules(endpoint):
        route_args |= rule.arguments
    # lists() rather than getlist(key): carrying a key into a link is not reading
    # it, so a page with a parameter it ignores is not kept (core/cache/keys.py).
    values: dict[str, Any] = {
        key: given for key, given in request.args.lists()
        if key not in route_args and key != param and key != "endpoint"
        and not key.startswith("_")}
    values.update(path_args)
    values[param] = number
    return url_for(endpoint, **values)


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def window(self) -> list[int | None]:
        """Page numbers to show, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.pages} | set(range(self.page - 2, self.page + 3))
        result: list[int | None] = []
        last = 0
        for n in sorted(x for x in shown if 1 <= x <= self.pages):
            if n - last > 1:
                result.append(None)
            result.append(n)
            last = n
        return result


def paginate(stmt: Select, page: int, per_page: int, total: int | None = None,
             scalars: bool = True) -> Page:
    """Run stmt for one page. Pass total when a stored counter already knows it."""
    if total is None:
        total = db.session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        ) or 0
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars().unique() if scalars else result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)
