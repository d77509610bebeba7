"""What ``flask render-all`` re-renders and ``flask recount`` checks in practices
(network/commands.py)."""
from sqlalchemy import func, select

from network.core.counters import Counter
from network.core.rendering import RenderedField
from network.core.text import render_markdown
from network.practices.models import Adoption, AdoptionUpdate, Practice

RENDERED_FIELDS = [
    *(RenderedField(Practice, name, f"{name}_html", render_markdown)
      for name in ("problem", "approach", "results", "key_learning")),
    RenderedField(Adoption, "adaptations", "adaptations_html", render_markdown),
    RenderedField(AdoptionUpdate, "note", "note_html", render_markdown),
]


def _adoptions():
    return (select(func.count(Adoption.id))
            .where(Adoption.practice_id == Practice.id).scalar_subquery())


COUNTERS = [
    Counter("practice.adoption_count", Practice,
            lambda: Practice.adoption_count != _adoptions(),
            lambda: {"adoption_count": _adoptions()}),
]
