"""One way to paginate: a Page of items plus the numbers the macro needs."""
from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import request
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
