"""Practices as moderation sees them: a member who is not yet trusted submits a
practice and it waits in the review queue with their posts and comments (the same
pre-moderation rule). Registered with ``moderation.registry`` when ``create_app``
imports this module, so moderation acts on practices without importing them.

Approving publishes it; rejecting returns it to its author's drafts with the
moderator's reason, so nothing they wrote is lost. Waiting practices are for site
moderators (``can_read_practice``: a network's managers do not read unpublished
practices), so only theirs is the queue that lists them."""
from sqlalchemy import String, false, literal, select
from sqlalchemy.orm import joinedload, lazyload

from network.core import policy
from network.core.policy import practices as rules
from network.core.text import excerpt
from network.extensions import db
from network.moderation.registry import ContentKind, register
from network.networks.models import Network
from network.notifications import watching
from network.practices.models import Practice
from network.practices.services import moderated_status, set_moderated_status


def _statement():
    return select(Practice).options(
        joinedload(Practice.author),
        joinedload(Practice.network).lazyload(Network.topics),
        lazyload(Practice.origin_region))


def _pending(viewer):
    rows = select(literal("practice", String(10)).label("kind"), Practice.id.label("id"),
                  Practice.created_at.label("created_at"))
    if not policy.is_staff(viewer):
        return rows.where(false())
    return rows.where(Practice.status == "pending")


def _place(practice: Practice) -> str:
    return "the practice library" + (f" ({practice.network.name})" if practice.network else "")


register(ContentKind(
    name="practice", model=Practice, statement=_statement,
    network=lambda practice: practice.network,
    set_status=set_moderated_status,
    status=moderated_status,
    text=lambda practice: excerpt(practice.summary or practice.problem or "", 240),
    place=_place,
    url=lambda practice: f"/practices/{practice.slug}",
    readable=rules.can_read_practice,
    pending=_pending,
    reviewable_ids=lambda viewer: select(Practice.id).where(
        Practice.status == "pending" if policy.is_staff(viewer) else false()),
    queue_title=lambda practice: f"New practice “{practice.title}”",
))


def _practice_names(viewer, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Titles of the practices this viewer may still read (one query), for the list of
    what they watch; the rest stay unnamed."""
    practices = db.session.scalars(select(Practice).where(Practice.id.in_(ids)).options(
        joinedload(Practice.network).lazyload(Network.topics)))
    return {practice.id: (practice.title, f"/practices/{practice.slug}")
            for practice in practices if rules.can_read_practice(viewer, practice)}


watching.register_names("practice", _practice_names)
