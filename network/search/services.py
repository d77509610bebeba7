"""Searching: what a viewer may find, ranked, counted and paged, in a fixed number of queries.

Permission filtering is part of the search query itself (never applied afterwards), so
counts and pages are right; it is built from the policy's own clauses
(``readable_networks``, ``visible_networks``, ``moderated_content``) applied to the
index's copy of each item's network.

Ranking is bounded: the CANDIDATES best rows by the engine's own rank (or the newest,
for sort=newest) among those the viewer may see are taken first; only they are
boosted (a phrase in the title first, locked threads a little lower), grouped (a thread
is one result, its best post shown), paged and given snippets. The counts per type are
over every match.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape
from sqlalchemy import case, false, func, literal_column, or_, select

from network.accounts.models import User
from network.core import policy
from network.core.pagination import Page
from network.core.query import like_pattern
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network
from network.networks.taxonomy import Region
from network.search import query as parser
from network.search.engine import START, STOP, engine_for
from network.search.models import SearchDocument as D

CANDIDATES = 1_000
PER_PAGE = 20
PHRASE_IN_TITLE = 1_000.0   # added to the score: an exact phrase in a title comes first
LOCKED = 0.8                # a locked thread's score is multiplied by this

# What a reader filters by, and the kinds of row each covers (a thread's posts are it).
TYPES = {"network": ("network",), "thread": ("thread", "post"), "article": ("article",),
         "comment": ("comment",), "practice": ("practice",), "document": ("document",),
         "event": ("event",), "member": ("member",)}
TYPE_LABELS = {"network": "Networks", "thread": "Discussions", "article": "Articles",
               "comment": "Comments", "practice": "Practices", "document": "Documents",
               "event": "Events", "member": "Members"}
KIND_LABELS = {"network": "Network", "thread": "Discussion", "post": "Discussion",
               "article": "Article", "comment": "Comment", "practice": "Practice",
               "document": "Document", "event": "Event",
               "member": "Member"}
SORTS = {"relevance": "Most relevant", "newest": "Newest first"}
# What a muted person wrote that is folded away for those who muted them, as in
# threads, on article pages and in the latest lists (``accounts.muting``).
FOLDED_KINDS = ("thread", "post", "article", "comment")


@dataclass
class Filters:
    q: str = ""
    type: str = ""
    network: Network | None = None
    author: User | None = None
    region: Region | None = None
    after: datetime | None = None
    before: datetime | None = None
    sort: str = "relevance"


@dataclass
class Hit:
    kind: str            # the row's kind: network, thread, post, article, ...
    type: str            # what it is shown as: a post is shown as its thread
    item_id: int
    title: str
    context: str         # where it lives: its thread's or article's title
    slug: str
    created_at: datetime
    network_name: str | None
    network_slug: str | None
    author_name: str | None
    # Who wrote it, for what muting folds away (FOLDED_KINDS; None for the rest).
    author_id: int | None = None
    snippet: Markup = field(default_factory=Markup)
    url: str = ""        # set by the view, which builds addresses

    @property
    def heading(self) -> str:
        if self.kind == "post":
            return self.context
        if self.kind == "comment":
            return f"Comment on “{self.context}”"
        return self.title

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Results:
    parsed: parser.ParsedQuery
    filters: Filters
    counts: dict = field(default_factory=dict)   # type -> number of results
    page: Page | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _IndexedNetwork:
    """The index's copy of an item's network, in the shape the policy's network clauses
    read (``id`` and ``visibility``), so search says exactly what lists say."""
    id = D.network_id
    visibility = D.network_visibility


def permitted(viewer, now):
    """Clause: the index rows this viewer may find. Networks they may know exist; inside
    networks whose content they may read: live articles, published practices, visible
    threads, posts and comments (pending ones to their authors; hidden, pending and
    deleted ones to those who moderate them); members to signed-in people only, never
    those hidden from the directory or suspended."""
    readable = D.network_id.is_(None) | policy.readable_networks(viewer, _IndexedNetwork)
    moderates = policy.moderated_content(viewer, D.network_id)
    own_pending = ((D.status == "pending") & (D.author_id == viewer.id)
                   if policy.is_signed_in(viewer) else false())
    shown = (D.status == "visible") | own_pending | moderates
    members = ((D.kind == "member") & (D.status == "visible")
               & (D.suspended_until.is_(None) | (D.suspended_until <= now))
               if policy.is_signed_in(viewer) else false())
    return or_(
        (D.kind == "network") & policy.visible_networks(viewer, _IndexedNetwork),
        (D.kind == "article") & (D.status == "published") & (D.created_at <= now) & readable,
        (D.kind == "practice") & (D.status == "published") & readable,
        # library documents: live ones, in networks whose content the viewer may read
        (D.kind == "document") & (D.status == "live") & D.network_id.is_not(None) & readable,
        # events (never cancelled ones), in networks whose content the viewer may read
        (D.kind == "event") & (D.status == "visible") & D.network_id.is_not(None) & readable,
        (D.kind == "thread") & readable & shown,
        (D.kind == "post") & readable & shown & ((D.parent_status == "visible") | moderates),
        (D.kind == "comment") & readable & shown & (D.parent_status == "published"),
        members,
    )


def _filter_clauses(filters: Filters, with_type: bool = True) -> list:
    clauses = []
    if with_type and filters.type in TYPES:
        clauses.append(D.kind.in_(TYPES[filters.type]))
    if filters.network is not None:
        clauses.append(D.network_id == filters.network.id)
    if filters.author is not None:
        clauses.append(D.author_id == filters.author.id)
    if filters.region is not None:
        clauses.append(D.region_id == filters.region.id)
    if filters.after is not None:
        clauses.append(D.created_at >= filters.after)
    if filters.before is not None:
        clauses.append(D.created_at < filters.before)
    return clauses


def _type_of():
    """A post counts as its thread (literals inline, so GROUP BY repeats the same SQL)."""
    return case((D.kind == literal_column("'post'"), literal_column("'thread'")), else_=D.kind)


def _phrase(parsed: parser.ParsedQuery) -> str | None:
    """The words an exact title match is looked for: the first quoted phrase, else two
    or more plain terms in the order typed."""
    if parsed.phrases:
        return " ".join(parsed.phrases[0])
    if len(parsed.terms) > 1:
        return " ".join(parsed.terms)
    return None


def _counts(engine, where: list) -> dict:
    stmt = engine.joined(select(_type_of(), func.count(D.result_key.distinct()))
                         .select_from(D)).where(*where).group_by(_type_of())
    found = dict(db.session.execute(stmt).all())
    return {name: found[name] for name in TYPES if found.get(name)}


def _page(engine, parsed, filters: Filters, where: list, number: int, per_page: int):
    score = engine.score()
    order = score.desc() if filters.sort == "relevance" else D.created_at.desc()
    candidates = (engine.joined(select(D.id, D.result_key, D.title, D.locked, D.created_at,
                                       score.label("score")).select_from(D))
                  .where(*where, *_filter_clauses(filters))
                  .order_by(order, D.id.desc()).limit(CANDIDATES).subquery())
    c = candidates.c
    boosted = c.score * case((c.locked, LOCKED), else_=1.0)
    phrase = _phrase(parsed)
    if phrase:
        boosted = boosted + case(
            (func.lower(c.title).like(like_pattern(phrase, 200), escape="\\"), PHRASE_IN_TITLE),
            else_=0.0)
    ordering = ([boosted.desc(), c.created_at.desc(), c.id.desc()]
                if filters.sort == "relevance" else [c.created_at.desc(), c.id.desc()])
    best = (select(c.id, func.row_number().over(partition_by=c.result_key, order_by=ordering)
                   .label("nth"), boosted.label("boosted"), c.created_at)
            .subquery())
    b = best.c
    author = User.__table__.alias("author")
    rows = db.session.execute(
        select(D.kind, D.item_id, D.id, D.title, D.context, D.slug, D.created_at,
               Network.name, Network.slug, author.c.display_name, D.author_id,
               func.count().over().label("total"))
        .select_from(best).join(D, D.id == b.id)
        .outerjoin(Network, Network.id == D.network_id)
        .outerjoin(author, author.c.id == D.author_id)
        .where(b.nth == 1)
        .order_by(*([b.boosted.desc(), b.created_at.desc(), b.id.desc()]
                    if filters.sort == "relevance" else [b.created_at.desc(), b.id.desc()]))
        .limit(per_page).offset((number - 1) * per_page)).all()
    snippets = engine.snippets([row.id for row in rows])
    hits = [Hit(kind=row.kind, type="thread" if row.kind == "post" else row.kind,
                item_id=row.item_id, title=row.title, context=row.context, slug=row[5],
                created_at=row.created_at, network_name=row[7], network_slug=row[8],
                author_name=row.display_name if row.kind != "member" else None,
                author_id=row.author_id if row.kind in FOLDED_KINDS else None,
                snippet=highlight(snippets.get(row.id, "")))
            for row in rows]
    total = rows[0].total if rows else 0
    return Page(items=hits, page=number, per_page=per_page, total=total)


def search(viewer, filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Results:
    """What this viewer may find for the query: counts per type and one page of hits,
    each with a highlighted snippet of text the viewer may read. Three queries (counts,
    page, snippets); none when there is nothing to look for."""
    parsed = parser.parse(filters.q)
    results = Results(parsed=parsed, filters=filters)
    if parsed.empty:
        results.page = Page(items=[], page=1, per_page=per_page, total=0)
        return results
    engine = engine_for(parsed)
    where = [engine.match(), permitted(viewer, utcnow())]
    results.counts = _counts(engine, where + _filter_clauses(filters, with_type=False))
    if filters.type and not results.counts.get(filters.type):
        results.page = Page(items=[], page=page, per_page=per_page, total=0)
    else:
        results.page = _page(engine, parsed, filters, where, page, per_page)
    return results


def highlight(snippet: str) -> Markup:
    """Escape the engine's snippet, then turn its marks into <mark> elements: the marks
    are control characters the index never holds, so no text can open or close one."""
    escaped = str(escape(snippet))
    opened = escaped.count(START)
    if opened != escaped.count(STOP):   # never expected: show the words, unmarked
        return Markup(escaped.replace(START, "").replace(STOP, ""))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


# --- filters named in the address ---------------------------------------------------

def find_network(viewer, slug: str) -> Network | None:
    """The network a search is limited to, if this viewer may know it exists."""
    if not slug:
        return None
    return db.session.scalar(select(Network).where(
        Network.slug == slug[:80], policy.visible_networks(viewer, Network)))


def find_region(slug: str) -> Region | None:
    if not slug:
        return None
    return db.session.scalar(select(Region).where(Region.slug == slug[:80]))


def find_author(username: str) -> User | None:
    if not username:
        return None
    return db.session.scalar(select(User).where(
        func.lower(User.username) == username[:30].lower(), User.deleted_at.is_(None)))
