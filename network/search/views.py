"""/search: one box over everything the reader may see (issue 11)."""
from datetime import date, datetime, time

from flask import Blueprint, render_template, request, url_for

from network.accounts.muting import muted_ids
from network.core.pagination import page_arg
from network.core.viewer import viewer
from network.search import services
from network.search.query import MAX_QUERY_CHARS

bp = Blueprint("search", __name__)


def _date(name: str) -> datetime | None:
    """?after= / ?before= as a date (YYYY-MM-DD); anything else is no filter."""
    try:
        return datetime.combine(date.fromisoformat((request.args.get(name) or "")[:10]), time())
    except ValueError:
        return None


# Where each kind of hit lives: its page's endpoint, and that page's arguments
# from the hit (the kinds are services.KIND_LABELS').
ADDRESSES = {
    "network": ("networks.network", lambda hit: {"slug": hit.slug}),
    "thread": ("forum.thread", lambda hit: {"thread_id": hit.item_id}),
    "post": ("forum.post", lambda hit: {"post_id": hit.item_id}),
    "article": ("articles.article", lambda hit: {"slug": hit.slug}),
    "comment": ("articles.comment", lambda hit: {"comment_id": hit.item_id}),
    "practice": ("practices.practice", lambda hit: {"slug": hit.slug}),
    "event": ("events.event", lambda hit: {"event_id": hit.item_id}),
    "document": ("library.document", lambda hit: {"slug": hit.slug, "document_id": hit.item_id}),
    "member": ("accounts.profile", lambda hit: {"username": hit.slug}),
}


def _address(hit: services.Hit) -> str:
    endpoint, arguments = ADDRESSES[hit.kind]
    return url_for(endpoint, **arguments(hit))


@bp.route("/search")
def search():
    who = viewer()
    kind = request.args.get("type") or ""
    sort = request.args.get("sort") or "relevance"
    filters = services.Filters(
        q=(request.args.get("q") or "")[:MAX_QUERY_CHARS],
        type=kind if kind in services.TYPES else "",
        network=services.find_network(who, request.args.get("network") or ""),
        author=services.find_author(request.args.get("author") or ""),
        region=services.find_region(request.args.get("region") or ""),
        after=_date("after"), before=_date("before"),
        sort=sort if sort in services.SORTS else "relevance")
    results = services.search(who, filters, page=page_arg())
    for hit in results.page.items:
        hit.url = _address(hit)
    # What people the viewer muted wrote is folded away, as on thread pages.
    return render_template("search/search.html", results=results, filters=filters,
                           types=services.TYPE_LABELS, sorts=services.SORTS,
                           muted=muted_ids(who))
