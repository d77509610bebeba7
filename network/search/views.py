"""/search: one box over everything the reader may see (issue 11)."""
from datetime import date, datetime, time

from flask import Blueprint, render_template, request, url_for

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


def _address(hit: services.Hit) -> str:
    if hit.kind == "network":
        return url_for("networks.network", slug=hit.slug)
    if hit.kind == "thread":
        return url_for("forum.thread", thread_id=hit.item_id)
    if hit.kind == "post":
        return url_for("forum.post", post_id=hit.item_id)
    if hit.kind == "article":
        return url_for("articles.article", slug=hit.slug)
    if hit.kind == "comment":
        return url_for("articles.comment", comment_id=hit.item_id)
    if hit.kind == "practice":
        return url_for("practices.practice", slug=hit.slug)
    if hit.kind == "event":
        return url_for("events.event", event_id=hit.item_id)
    if hit.kind == "document":
        return url_for("library.document", slug=hit.slug, document_id=hit.item_id)
    return url_for("accounts.profile", username=hit.slug)


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
    return render_template("search/search.html", results=results, filters=filters,
                           types=services.TYPE_LABELS, sorts=services.SORTS)
