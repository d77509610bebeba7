"""Discussion threads: lists, thread pages, replies, edits, watching, and the
moderators' thread and post actions. Each view loads the object, asks
``core.policy`` once for its verdict (readable, members only, not found), then acts."""
from math import ceil

from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_login import login_required

from network.accounts.muting import muted_ids
from network.core import cards, policy
from network.core.cache import remembered_rows
from network.core.converters import parse_id
from network.core.forms import ActionForm, attempt, wanted_state
from network.core.fragments import own_key
from network.core.handlers import refuse
from network.core.pagination import MAX_PAGE, Page, page_arg, paginate
from network.core.security import limit_edits, limit_watching
from network.core.viewer import viewer as _viewer
from network.extensions import limiter
from network.forum import queries, services, thread_moderation
from network.forum.forms import EditPostForm, MoveForm, PostForm, ReasonForm, ThreadForm
from network.forum.models import Post, Thread
from network.networks.models import Network
from network.networks.services import get_network
from network.notifications import watching

bp = Blueprint("forum", __name__)


# Flood control per person (a shared office address must not block colleagues).
WRITE_LIMIT = "10 per minute;300 per day"


def _writer_key() -> str:
    return f"forum-writer:{_viewer().id}" if _viewer().is_authenticated else request.remote_addr


# --- loading ------------------------------------------------------------------

def _members_only(network, status: int):
    """Closed networks: the page exists, the discussions are for members."""
    abort(make_response(render_template("forum/members_only.html", network=network), status))


def _network(slug: str, members_only_status: int) -> Network:
    """The network whose discussions are asked for: 404 where it does not exist for
    the viewer, the members-only page where its discussions are for members."""
    if len(slug) > 80 or "\x00" in slug:
        abort(404)
    network = get_network(slug)
    access = policy.network_access(_viewer(), network)
    if access is policy.Access.NOT_FOUND:
        abort(404)
    if access is policy.Access.MEMBERS_ONLY:
        _members_only(network, members_only_status)
    return network


def _answer(access, network) -> None:
    """Turn a thread's or post's verdict into the response it calls for."""
    if access is policy.Access.NOT_FOUND:
        abort(404)
    if access is policy.Access.MEMBERS_ONLY:
        _members_only(network, 403)


def _check_thread(thread: Thread | None) -> Thread:
    _answer(policy.thread_access(_viewer(), thread), thread and thread.network)
    return thread


def _thread(thread_id: int) -> Thread:
    # The network's topics are not shown on thread pages: skip their query.
    return _check_thread(remembered_rows(("thread", thread_id),
                                         lambda: queries.thread_with_network(thread_id)))


def _post(post_id: int) -> Post:
    """The post, after checking its thread and network may be seen."""
    post = queries.post_with_thread(post_id)
    _answer(policy.post_access(_viewer(), post), post and post.thread.network)
    return post


def _thread_url(thread_id: int, number: int, post_id: int) -> str:
    return url_for("forum.thread", thread_id=thread_id, page=services.page_of(number),
                   _anchor=f"post-{post_id}")


# --- reading ------------------------------------------------------------------

@bp.route("/networks/<slug>/threads/")
def threads(slug):
    network = _network(slug, members_only_status=200)
    page_number = page_arg()
    moderating = policy.can_moderate_network(_viewer(), network)
    # The list is loaded inside a fragment: moderators share one, everyone else
    # shares another unless they have threads of their own awaiting approval.
    own = (_viewer().id if not moderating
           and services.has_pending_threads(_viewer(), network) else 0)
    return render_template(
        "forum/threads.html", network=network, rows_key=("threads", network.id, moderating, own),
        load_page=lambda: paginate(services.thread_list(_viewer(), network), page_number,
                                   per_page=services.THREADS_PER_PAGE))


def _render_thread(thread: Thread, form: PostForm | None = None, page_number: int | None = None,
                   status: int = 200):
    network, viewer = thread.network, _viewer()
    moderating = policy.can_moderate_network(viewer, network)
    last = services.last_shown_number(thread.id, viewer, moderating)
    pages = max(1, ceil(last / services.POSTS_PER_PAGE))
    quote_id = request.args.get("quote", "")
    if page_number is None:
        page_number = pages if quote_id and "page" not in request.args else page_arg()
    page_number = min(page_number, pages)
    can_reply = policy.can_reply_to_thread(viewer, thread)
    if can_reply and form is None:
        form = PostForm(formdata=None)
        quoted = None
        quote_number = parse_id(quote_id)
        if quote_number is not None:
            quoted = queries.quotable_post(thread.id, quote_number)
        if quoted is not None:
            form.body.data = services.quote_text(quoted)
    # Everything the list of posts depends on besides the posts themselves; the
    # posts are loaded inside the fragment, so only when it is not already kept.
    # Those by people the viewer muted are folded away: whom, of this page's
    # authors, is part of the key, so nobody else shares a muter's copy. The
    # practice cards under posts follow what the viewer may read (their reach).
    authors = services.authors_on_page(thread.id, page_number)
    muted = muted_ids(viewer) & authors
    posts_key = ("posts", thread.id, page_number, pages, viewer.is_authenticated, can_reply,
                 moderating, own_key(viewer, authors), tuple(sorted(muted)),
                 policy.reach_key(viewer))

    def load_posts():
        posts = services.posts_on_page(thread.id, page_number)
        removed = services.deleted_by_moderator([p.id for p in posts if p.status == "deleted"])
        return posts, removed, cards.load(viewer, "post", [p.id for p in posts])

    response = render_template(
        "forum/thread.html", thread=thread, network=network,
        page=Page(items=[], page=page_number, per_page=services.POSTS_PER_PAGE, total=last),
        is_last_page=page_number == pages, form=form if can_reply else None,
        watch_level=services.watch_level(viewer, thread.id),
        moderating=moderating, posts_key=posts_key, load_posts=load_posts, muted=muted,
        # The moderator's tools differ only by the networks they may move the thread to.
        tools_key=("tools", thread.id, policy.is_staff(viewer),
                   tuple(policy.managed_network_ids(viewer))),
        load_move_choices=lambda: queries.move_choices(viewer, thread))
    return response, status


@bp.route("/threads/<id:thread_id>")
def thread(thread_id):
    return _render_thread(_thread(thread_id))


@bp.route("/posts/<id:post_id>")
def post(post_id):
    found = _post(post_id)
    return redirect(_thread_url(found.thread_id, found.number, found.id))


@bp.route("/posts/<id:post_id>/history")
@login_required
def post_history(post_id):
    found = _post(post_id)
    if not policy.can_read_post_history(_viewer(), found.thread.network):
        abort(403)
    return render_template("forum/history.html", post=found, thread=found.thread,
                           revisions=services.revisions(found.id))


# --- writing ------------------------------------------------------------------

@bp.route("/networks/<slug>/threads/new", methods=["GET", "POST"])
@limiter.limit(WRITE_LIMIT, key_func=_writer_key, methods=["POST"])
@login_required
def new_thread(slug):
    network = _network(slug, members_only_status=403)
    if not policy.can_start_thread(_viewer(), network):
        refuse(_viewer(), "Only members of this network who may post can start a thread.")
    form = ThreadForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create_thread(_viewer(), network, form.title.data,
                                                         form.body.data), form, unnamed="raise")
        if outcome:
            created = outcome.value
            if created.status == "pending":
                flash("Your thread is awaiting approval by a moderator.", "success")
            else:
                flash("Your thread has started.", "success")
            return redirect(url_for("forum.thread", thread_id=created.id))
    return (render_template("forum/new_thread.html", network=network, form=form),
            400 if form.errors or form.form_errors else 200)


@bp.route("/threads/<id:thread_id>/reply", methods=["POST"])
@limiter.limit(WRITE_LIMIT, key_func=_writer_key)
@login_required
def reply(thread_id):
    found = _thread(thread_id)
    if found.locked and not policy.can_post_in_locked_thread(_viewer(), found):
        abort(403, "This thread is locked: it takes no more replies.")
    if not policy.can_reply_to_thread(_viewer(), found):
        refuse(_viewer(), "You cannot reply in this thread.")
    form = PostForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.reply(_viewer(), found, form.body.data), form,
                          unnamed="raise")
        if outcome:
            created = outcome.value
            if created.status == "pending":
                flash("Your reply is awaiting approval by a moderator.", "success")
            return redirect(_thread_url(found.id, created.number, created.id))
    return _render_thread(found, form=form, page_number=MAX_PAGE, status=400)


@bp.route("/posts/<id:post_id>/edit", methods=["GET", "POST"])
@limit_edits
@login_required
def edit_post(post_id):
    found = _post(post_id)
    if not policy.can_edit_post(_viewer(), found, found.thread):
        abort(403, "You can edit only your own posts, while the thread is open.")
    form = EditPostForm(obj=found) if request.method == "GET" else EditPostForm()
    if form.validate_on_submit():
        if attempt(lambda: services.edit_post(_viewer(), found, form.body.data), form,
                   unnamed="raise"):
            flash("Your post has been updated.", "success")
            return redirect(_thread_url(found.thread_id, found.number, found.id))
    return (render_template("forum/edit_post.html", form=form, post=found, thread=found.thread),
            400 if form.errors or form.form_errors else 200)


@bp.route("/threads/<id:thread_id>/watch", methods=["POST"])
@limit_watching
@login_required
def watch(thread_id):
    found = _thread(thread_id)
    if not policy.can_watch_thread(_viewer(), found):
        abort(403)
    level = request.form.get("level", "")
    if ActionForm().validate_on_submit() and attempt(
            lambda: services.set_watch_level(_viewer(), found, level), unnamed="flash"):
        flash(watching.CHOSEN["thread"][level], "success")
    return redirect(url_for("forum.thread", thread_id=found.id))



# --- moderation -----------------------------------------------------------------

def _moderate(form, title: str, action: str, back: str, act, done: str, extra=None):
    """Validate a reason form and run ``act(reason)``; a mistake re-renders the
    form with the reason kept (400), a repeated action says so and changes nothing."""
    if form.validate_on_submit():
        # Refusals go to the error page; "already done" (a Conflict naming no field)
        # is said on the thread, which is unchanged.
        outcome = attempt(lambda: act(form.reason.data), form, unnamed="flash",
                          escalate=(403, 404), category="warning")
        if outcome:
            flash(done, "success")
        if not outcome.on_form:
            return redirect(back)
    return render_template("forum/moderate.html", form=form, title=title, action=action,
                           back=back, extra=extra), 400


def _moderated_thread(thread_id: int) -> Thread:
    found = _thread(thread_id)
    if not policy.can_moderate_network(_viewer(), found.network):
        abort(403)
    return found


@bp.route("/threads/<id:thread_id>/pin", methods=["POST"])
@login_required
def pin(thread_id):
    found = _moderated_thread(thread_id)
    form = ReasonForm(prefix="pin")
    wanted = wanted_state(form, found.pinned)
    return _moderate(form, "Pin thread" if wanted else "Unpin thread",
                     url_for("forum.pin", thread_id=found.id),
                     url_for("forum.thread", thread_id=found.id),
                     lambda reason: thread_moderation.set_pinned(_viewer(), found, wanted, reason),
                     "The thread is pinned." if wanted else "The thread is unpinned.")


@bp.route("/threads/<id:thread_id>/lock", methods=["POST"])
@login_required
def lock(thread_id):
    found = _moderated_thread(thread_id)
    form = ReasonForm(prefix="lock")
    wanted = wanted_state(form, found.locked)
    return _moderate(form, "Lock thread" if wanted else "Unlock thread",
                     url_for("forum.lock", thread_id=found.id),
                     url_for("forum.thread", thread_id=found.id),
                     lambda reason: thread_moderation.set_locked(_viewer(), found, wanted, reason),
                     "The thread is locked." if wanted else "The thread is unlocked.")


@bp.route("/threads/<id:thread_id>/move", methods=["POST"])
@login_required
def move(thread_id):
    found = _moderated_thread(thread_id)
    form = MoveForm(prefix="move")
    form.network.choices = queries.move_choices(_viewer(), found)

    def act(reason):
        target = queries.network_by_id(form.network.data)
        thread_moderation.move_thread(_viewer(), found, target, reason)

    return _moderate(form, "Move thread", url_for("forum.move", thread_id=found.id),
                     url_for("forum.thread", thread_id=found.id), act, "The thread has moved.",
                     extra=form.network)
