"""Re-rendering stored HTML from its source (``flask render-all``).

Knows no domain: each domain lists the fields it stores rendered, as
``RenderedField`` rows (``network/<domain>/maintenance.py``), and the command
(``network/commands.py``) hands them here, so the sanitiser can be changed and
everything re-rendered in one command.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select

from network.extensions import db

BATCH = 500


@dataclass(frozen=True)
class RenderedField:
    model: type
    source: str  # the column holding what the author wrote
    target: str  # the column holding its rendered HTML
    renderer: Callable[[str], str]

    @property
    def name(self) -> str:
        return f"{self.model.__tablename__}.{self.target}"


def render_field(field: RenderedField, progress: Callable | None = None) -> None:
    """Re-render every row's ``target`` from its ``source``, committing each batch.
    ``progress(batches, name)`` may wrap the batches (for example with tqdm)."""
    model = field.model
    ids = db.session.scalars(select(model.id)).all()
    batches = range(0, len(ids), BATCH)
    for start in (progress(batches, field.name) if progress else batches):
        for obj in db.session.scalars(select(model).where(model.id.in_(ids[start:start + BATCH]))):
            setattr(obj, field.target, field.renderer(getattr(obj, field.source) or ""))
        db.session.commit()
