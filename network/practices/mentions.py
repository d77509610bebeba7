"""Practices mentioned in posts, articles and comments (issue 10).

A text that links to a practice's address (``/practices/<slug>``, relative or on
the site's own host, as ``core.text.own_link_paths`` reports it) is noted in
``practice_mention`` by the service that writes the text, in its transaction
(through ``core.cards``, registered by network/site/contents.py). Pages draw a
card per mentioned practice for the viewer, in one query for all texts on the
page, only for practices the viewer may find (``policy.visible_practices``); the
practice page lists the threads and articles that mention it, as the thread and
article lists would show them to the viewer (two queries).
"""
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, insert, or_, select

from network.articles.models import Article, Comment
from network.core import policy
from network.core.cards import CardKind
from network.core.text import own_link_paths
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Network
from network.networks.taxonomy import Region
from network.practices.models import EVIDENCE_LEVELS, Practice, PracticeMention

MAX_PRACTICES = 10  # practices noted per text; further links stay plain links
MENTIONED_IN = 10  # threads and articles listed on a practice page
_PRACTICE_PATH = re.compile(r"^/practices/([a-z0-9][a-z0-9-]{0,119})/?$")
_NOT_PRACTICES = frozenset({"new", "map"})
_COLUMNS = {"post": PracticeMention.post_id, "article": PracticeMention.article_id,
            "comment": PracticeMention.comment_id}


@dataclass(frozen=True)
class Card:
    slug: str
    title: str
    summary: str
    region: str | None
    evidence_level: int
    adoptions: int
    kind: str = "practice"

    @property
    def evidence(self) -> str:
        return EVIDENCE_LEVELS.get(self.evidence_level, ("",))[0]


@dataclass(frozen=True)
class Mention:
    kind: str  # "thread" or "article"
    title: str
    url: str
    place: str | None  # the thread's network
    when: datetime


def linked_slugs(html: str) -> list[str]:
    """The practice slugs the cleaned HTML links to, distinct, in order, at most
    ``MAX_PRACTICES``. Only addresses a practice page could have: nothing else
    reaches the lookup."""
    slugs: list[str] = []
    for path in own_link_paths(html, current_app.config.get("BASE_URL", "")):
        match = _PRACTICE_PATH.match(path)
        if match and match.group(1) not in _NOT_PRACTICES and match.group(1) not in slugs:
            slugs.append(match.group(1))
            if len(slugs) == MAX_PRACTICES:
                break
    return slugs


def record(source: str, source_id: int, html: str, when: datetime | None = None) -> None:
    """Make the source's mentions those its HTML links to now: links that went are
    deleted, new ones added (earlier ones keep their time). Unknown slugs are ignored;
    practices of any status are noted (who sees a card is decided when it is drawn).
    Does not commit."""
    column = _COLUMNS[source]
    slugs = linked_slugs(html)
    found = dict(db.session.execute(select(Practice.slug, Practice.id)
                                    .where(Practice.slug.in_(slugs))).all()) if slugs else {}
    wanted = [found[slug] for slug in slugs if slug in found]
    had = set(db.session.scalars(select(PracticeMention.practice_id).where(column == source_id)))
    gone = had - set(wanted)
    if gone:
        db.session.execute(delete(PracticeMention).where(
            column == source_id, PracticeMention.practice_id.in_(gone)))
    new = [practice_id for practice_id in wanted if practice_id not in had]
    if new:
        now = when or utcnow()
        db.session.execute(insert(PracticeMention), [
            {column.key: source_id, "practice_id": practice_id, "created_at": now}
            for practice_id in new])


def cards(viewer, source: str, source_ids) -> dict[int, list[Card]]:
    """{source id: cards of the practices it mentions that the viewer may find}, in the
    order they were linked. One query; ``source_ids`` a list or a SELECT of ids."""
    if isinstance(source_ids, (list, tuple, set, frozenset)) and not source_ids:
        return {}
    column = _COLUMNS[source]
    rows = db.session.execute(
        select(column, Practice.slug, Practice.title, Practice.summary, Region.name,
               Practice.evidence_level, Practice.adoption_count)
        .join(Practice, Practice.id == PracticeMention.practice_id)
        .outerjoin(Region, Region.id == Practice.origin_region_id)
        .where(column.in_(source_ids), policy.visible_practices(viewer, Practice, Network))
        .order_by(column, PracticeMention.id))
    found: dict[int, list[Card]] = {}
    for source_id, *fields in rows:
        found.setdefault(source_id, []).append(Card(*fields))
    return found


CARD_KIND = CardKind(record=record, load=cards)


def _threads(viewer, practice_id: int, limit: int) -> list[Mention]:
    """Visible threads with a visible post that mentions the practice, in networks
    whose content the viewer may read (as the lists of threads filter them)."""
    when = func.max(PracticeMention.created_at).label("at")
    rows = db.session.execute(
        select(Thread.id, Thread.title, Network.name, when).select_from(PracticeMention)
        .join(Post, Post.id == PracticeMention.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Network, Network.id == Thread.network_id)
        .where(PracticeMention.practice_id == practice_id, Post.status == "visible",
               Thread.status == "visible", policy.readable_networks(viewer, Network))
        .group_by(Thread.id, Thread.title, Network.name)
        .order_by(when.desc(), Thread.id.desc()).limit(limit))
    return [Mention("thread", title, f"/threads/{thread_id}", place, at)
            for thread_id, title, place, at in rows]


def _articles(viewer, practice_id: int, limit: int) -> list[Mention]:
    """Articles the viewer may find (``policy.visible_articles``) whose body, or one
    of whose visible comments, mentions the practice."""
    when = func.max(PracticeMention.created_at).label("at")
    rows = db.session.execute(
        select(Article.id, Article.slug, Article.title, when).select_from(PracticeMention)
        .outerjoin(Comment, Comment.id == PracticeMention.comment_id)
        .join(Article, Article.id == func.coalesce(PracticeMention.article_id,
                                                   Comment.article_id))
        .where(PracticeMention.practice_id == practice_id,
               PracticeMention.post_id.is_(None),
               or_(PracticeMention.comment_id.is_(None), Comment.status == "visible"),
               policy.visible_articles(viewer, Article, Network, utcnow()))
        .group_by(Article.id, Article.slug, Article.title)
        .order_by(when.desc(), Article.id.desc()).limit(limit))
    return [Mention("article", title, f"/articles/{slug}", None, at)
            for _id, slug, title, at in rows]


def mentioned_in(viewer, practice: Practice, limit: int = MENTIONED_IN) -> list[Mention]:
    """The threads and articles that mention the practice, as the viewer may read them,
    latest mention first, at most ``limit`` (two queries)."""
    found = _threads(viewer, practice.id, limit) + _articles(viewer, practice.id, limit)
    return sorted(found, key=lambda m: m.when, reverse=True)[:limit]


def rebuild() -> int:
    """Note the mentions of every stored post, article and comment again, from their
    rendered HTML (``flask render-all`` runs it after re-rendering). Only texts that
    hold ``/practices/`` are read. One transaction; returns the rows written."""
    db.session.execute(delete(PracticeMention))
    for source, model in (("post", Post), ("article", Article), ("comment", Comment)):
        rows = db.session.execute(select(model.id, model.body_html, model.created_at)
                                  .where(model.body_html.like("%/practices/%"))
                                  .order_by(model.id))
        for source_id, html, created_at in rows.all():
            record(source, source_id, html, when=created_at)
    count = db.session.scalar(select(func.count(PracticeMention.id)))
    db.session.commit()
    return count
