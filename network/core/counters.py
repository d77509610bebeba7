"""Stored counters, recomputed from the rows (``flask recount``).

Counters are kept by the services in the same transaction as the change they
summarise (DESIGN section 7); this is the check that they were, and the repair
when they were not. Each counter is one UPDATE of the rows whose stored value
differs from the value computed from the rows, so the drift is the number of
rows that were wrong.

Knows no domain: each domain lists its counters (``network/<domain>/maintenance.py``)
and the command (``network/commands.py``) hands them here.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import update

from network.extensions import db


@dataclass
class Counter:
    name: str
    model: type
    wrong: Callable  # () -> clause selecting rows whose stored value is wrong
    values: Callable  # () -> {column: computed expression}


def recount(counters: list[Counter], progress: Callable | None = None) -> dict[str, int]:
    """Correct every counter given; returns {counter name: rows that were wrong}.
    ``progress`` wraps the list of counters (for example with tqdm). One commit."""
    drift: dict[str, int] = {}
    for counter in (progress(counters) if progress else counters):
        result = db.session.execute(update(counter.model).where(counter.wrong())
                                    .values(**counter.values())
                                    .execution_options(synchronize_session=False))
        drift[counter.name] = result.rowcount or 0
    db.session.commit()
    return drift
