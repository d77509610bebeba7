"""The kinds of content moderation acts on, registered by the domains that own them.

Moderation knows no content domain: forum registers posts and threads, articles
registers comments (each in its ``targets`` module, imported by ``create_app``),
and every moderation action, list and log line goes through the ``ContentKind``
registered for a target's kind. Nothing here imports a domain.
"""
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class ContentKind:
    """How moderation handles one kind of content (``name`` is ``Flag.target_type``).

    ``statement()`` selects the model with what the other callables read loaded
    eagerly; ``network``, ``text``, ``place``, ``url`` and ``readable`` read one
    loaded object; ``set_status`` changes it through the owning domain (so stored
    counters move in the same transaction, without committing)."""

    name: str
    model: Any
    statement: Callable[[], Any]
    network: Callable[[Any], Any]
    set_status: Callable[[Any, str], None]
    text: Callable[[Any], str]
    place: Callable[[Any], str]
    url: Callable[[Any], str]
    readable: Callable[[Any, Any], bool]
    # Statement of (kind, id, created_at) rows awaiting approval that this viewer
    # may decide on (None: this kind is never pre-moderated).
    pending: Callable[[Any], Any] | None = None
    # Statement of the ids whose flags this viewer may review (None: every row in
    # a network they moderate).
    reviewable_ids: Callable[[Any], Any] | None = None
    # How the queue heads a waiting item (None: "Post", "Comment", ...).
    queue_title: Callable[[Any], str | None] | None = None
    # How the log names one its reader moderates but may not read.
    unreadable: str = "in a place you cannot read"
    # Whether a moderator may remove it for good (status "deleted").
    removable: bool = False
    # The author withdraws their own item (shared address /<kind>s/<id>/delete).
    withdraw: Callable[[Any, Any], None] | None = None
    # After approval / rejection: what else changes (a thread opened by the post,
    # watchers and the article's author told). Do not commit.
    approved: Callable[[Any], None] | None = None
    rejected: Callable[[Any], None] | None = None
    # Its status in moderation's words (visible, pending, hidden, deleted) when the
    # kind keeps its own (a practice is published, pending, draft or withdrawn).
    status: Callable[[Any], str] | None = None


_KINDS: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> None:
    """Register (or re-register, e.g. when a test reloads a module) a kind of content."""
    _KINDS[kind.name] = kind


def kind(name: str) -> ContentKind | None:
    return _KINDS.get(name)


def kinds() -> list[ContentKind]:
    return list(_KINDS.values())


def names() -> tuple[str, ...]:
    return tuple(_KINDS)


@dataclass(frozen=True)
class Subject:
    """Something the log names that moderation does not act on (an article whose
    comments were closed): ``names(viewer, ids)`` gives {id: (words, url)} for the
    ones this reader may see, so the others stay unnamed."""

    name: str
    names: Callable[[Any, set[int]], dict[int, tuple[str, str | None]]]
    unnamed: str


_SUBJECTS: dict[str, Subject] = {}


def register_subject(subject: Subject) -> None:
    _SUBJECTS[subject.name] = subject


def subject(name: str) -> Subject | None:
    return _SUBJECTS.get(name)
