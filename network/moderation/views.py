"""Moderation pages: flag forms, the review queue, the log, and members' status."""
from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required

from network.accounts.services import get_by_username
from network.core import policy
from network.core.converters import parse_id
from network.core.forms import ActionForm, attempt, wanted_state
from network.core.pagination import page_arg, paginate
from network.core.time import until
from network.core.security import person_key
from network.extensions import limiter
from network.moderation import listings, people, services
from network.moderation.forms import DurationForm, FlagForm, ReasonForm, StateReasonForm
from network.moderation.log import action_label
from network.moderation.models import FLAG_REASONS

bp = Blueprint("moderation", __name__)

QUEUE_DECISIONS = {
    "uphold": services.uphold_flags,
    "dismiss": services.dismiss_flags,
}
PENDING_DECISIONS = {
    "approve": services.approve_content,
    "reject": services.reject_content,
}


def _require_queue_access():
    if not policy.can_see_review_queue(current_user):
        abort(403)


# --- flags ------------------------------------------------------------------
# Flood control on flagging, across posts, comments and threads: per person (a
# shared office address must not block colleagues) and, more loosely, per address
# (against many throwaway accounts). Settings override them (tests, deployments).
FLAG_LIMIT_PER_PERSON = "10 per hour;40 per day"
FLAG_LIMIT_PER_ADDRESS = "30 per hour"

_flags_per_person = limiter.shared_limit(
    lambda: current_app.config.get("FLAG_LIMIT_PER_PERSON", FLAG_LIMIT_PER_PERSON),
    scope="flag-person", key_func=lambda: f"flag-person:{person_key()}",
    methods=["POST"])
_flags_per_address = limiter.shared_limit(
    lambda: current_app.config.get("FLAG_LIMIT_PER_ADDRESS", FLAG_LIMIT_PER_ADDRESS),
    scope="flag-address", methods=["POST"])


def _flag(kind: str, target_id: int):
    target = services.get_target(kind, target_id, current_user,
                                 lock=request.method == "POST")
    form = FlagForm()
    already = services.open_flag_by(current_user, target)
    own = target.author_id == current_user.id
    if request.method == "POST" and form.validate_on_submit():
        if attempt(lambda: services.flag_content(current_user, target, form.reason.data,
                                                 form.note.data), form, beside="reason"):
            flash("Thank you. A moderator will review what you flagged.", "success")
            return redirect(request.path)
    status = 400 if form.errors or any(f.errors for f in form) else 200
    return render_template("moderation/flag.html", form=form, target=target,
                           already=already, own=own), status


@bp.route("/posts/<id:post_id>/flag", methods=["GET", "POST"])
@login_required
@_flags_per_person
@_flags_per_address
def flag_post(post_id):
    return _flag("post", post_id)


@bp.route("/comments/<id:comment_id>/flag", methods=["GET", "POST"])
@login_required
@_flags_per_person
@_flags_per_address
def flag_comment(comment_id):
    return _flag("comment", comment_id)


@bp.route("/threads/<id:thread_id>/flag", methods=["GET", "POST"])
@login_required
@_flags_per_person
@_flags_per_address
def flag_thread(thread_id):
    return _flag("thread", thread_id)


# --- the review queue -------------------------------------------------------

def _render_queue(errors=None, typed=None, status=200):
    flagged_page = paginate(listings.flag_groups(current_user), page_arg(), per_page=20,
                            scalars=False)
    pending_page = paginate(listings.pending_items_statement(current_user),
                            page_arg("pending_page"), per_page=20, scalars=False)
    flagged, pending = listings.queue_items(flagged_page.items, pending_page.items)
    return render_template(
        "moderation/queue.html", flagged_page=flagged_page, flagged=flagged,
        pending_page=pending_page, pending=pending,
        errors=errors or {}, typed=typed or {}), status


@bp.route("/moderation/")
@login_required
def queue():
    _require_queue_access()
    return _render_queue()


def _decide(kind, target_id, decision, decisions):
    _require_queue_access()
    if decision not in decisions:
        abort(404)
    target = services.load_targets([(kind, target_id)], lock=True).get((kind, target_id))
    if target is None and decisions is QUEUE_DECISIONS:
        return _close_orphan_flags(kind, target_id, decision)
    if target is None or not target.visible_to(current_user):
        abort(404)
    if not policy.can_moderate_content(current_user, target.network) \
            or not policy.can_decide_on(current_user, target.author_id):
        abort(403)
    form = ReasonForm()
    key = f"{decision}-{kind}-{target_id}"
    if form.validate_on_submit():
        if attempt(lambda: decisions[decision](current_user, target, form.reason.data), form,
                   unnamed="raise"):
            flash(_done_message(decision, target), "success")
            return redirect(url_for("moderation.queue"))
    return _render_queue(errors={key: form.reason.errors or ["Give a reason."]},
                         typed={key: form.reason.data or ""}, status=400)


def _close_orphan_flags(kind, target_id, decision):
    """Flags on content that was removed for good: close them so the queue empties."""
    services.orphan_flags_network(current_user, kind, target_id)  # 404 when there are none
    form = ReasonForm()
    key = f"{decision}-{kind}-{target_id}"
    if form.validate_on_submit():
        if attempt(lambda: services.resolve_orphan_flags(
                current_user, kind, target_id, "upheld" if decision == "uphold" else "dismissed",
                form.reason.data), form, unnamed="raise"):
            flash(f"The flags on the removed {kind} are closed.", "success")
            return redirect(url_for("moderation.queue"))
    return _render_queue(errors={key: form.reason.errors or ["Give a reason."]},
                         typed={key: form.reason.data or ""}, status=400)


def _done_message(decision: str, target) -> str:
    return {
        "uphold": f"Flags upheld: the {target.kind} is hidden and its author told.",
        "dismiss": f"Flags dismissed on the {target.kind}.",
        "approve": f"The {target.kind} is approved and shown.",
        "reject": f"The {target.kind} is rejected and stays hidden.",
    }[decision]


@bp.route("/moderation/flags/<any(post,comment,thread):target_type>/<id:target_id>/"
          "<any(uphold,dismiss):decision>", methods=["POST"])
@login_required
def review_flags(target_type, target_id, decision):
    return _decide(target_type, target_id, decision, QUEUE_DECISIONS)


@bp.route("/moderation/pending/<any(post,comment,practice):target_type>/<id:target_id>/"
          "<any(approve,reject):decision>", methods=["POST"])
@login_required
def review_pending(target_type, target_id, decision):
    return _decide(target_type, target_id, decision, PENDING_DECISIONS)


# --- hide, restore or remove content -----------------------------------------
# One set of routes for every kind: the comment pages (GET shows what it is and
# the reason form) and the forum's inline forms (POST only, prefixed fields) all
# call services.set_hidden and services.remove_content.

def _moderated(kind: str, target_id: int):
    """The content: 404 when the viewer may not see it, 403 when they may not moderate it."""
    target = services.get_target(kind, target_id, current_user,
                                 lock=request.method == "POST")
    if not policy.can_moderate_content(current_user, target.network):
        abort(403)
    return target


def _content_action(target, form, act, done: str, action: str, allowed: bool):
    """A valid POST runs ``act(reason)`` and goes back to the content; otherwise the
    page shows what the content is and the reason form (400 with its error)."""
    if request.method == "POST" and form.validate_on_submit():
        if attempt(lambda: act(form.reason.data), form, unnamed="raise"):
            flash(done, "success")
            return redirect(target.url)
    status = 400 if form.reason.errors else 200
    return render_template("moderation/moderate_content.html", form=form, target=target,
                           action=action, allowed=allowed), status


def _already(target, status: str):
    """A second press of the same button: say so, change nothing."""
    flash(services.already_message(target, status), "warning")
    return redirect(target.url)


def _hide_or_restore(target, form):
    hidden_now = target.status == "hidden"
    hide = wanted_state(form, hidden_now)
    shown_or_hidden = target.status in ("visible", "hidden")
    if request.method == "POST" and shown_or_hidden and hide == hidden_now:
        return _already(target, target.status)
    form.state.data = "on" if hide else "off"
    return _content_action(
        target, form, lambda reason: services.set_hidden(current_user, target, hide, reason),
        f"The {target.kind} is hidden." if hide else f"The {target.kind} is shown again.",
        "hide" if hide else "restore", shown_or_hidden)


def _remove(target, form):
    if request.method == "POST" and target.status == "deleted":
        return _already(target, "deleted")
    return _content_action(
        target, form, lambda reason: services.remove_content(current_user, target, reason),
        f"The {target.kind} is removed.", "remove", target.status != "deleted")


@bp.route("/comments/<id:comment_id>/hide", methods=["GET", "POST"])
@login_required
def hide_comment(comment_id):
    return _hide_or_restore(_moderated("comment", comment_id), StateReasonForm())


@bp.route("/comments/<id:comment_id>/remove", methods=["GET", "POST"])
@login_required
def remove_comment(comment_id):
    return _remove(_moderated("comment", comment_id), ReasonForm())


@bp.route("/posts/<id:post_id>/hide", methods=["POST"])
@login_required
def hide_post(post_id):
    target = _moderated("post", post_id)
    if target.status not in ("visible", "hidden"):
        abort(404)
    return _hide_or_restore(target, StateReasonForm(prefix=f"p{post_id}-hide"))


@bp.route("/threads/<id:thread_id>/hide", methods=["POST"])
@login_required
def hide_thread(thread_id):
    return _hide_or_restore(_moderated("thread", thread_id), StateReasonForm(prefix="hide"))


@bp.route("/posts/<id:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id):
    """The stable address for both: the author withdraws their own post at once (the
    forum's rule, registered with the post kind); a moderator removes someone else's
    with a reason."""
    target = services.load_targets([("post", post_id)], lock=True).get(("post", post_id))
    if target is None:
        abort(404)
    if target.author_id == current_user.id:
        if ActionForm().validate_on_submit():  # the kind's rule checks they may still see it
            target.handler.withdraw(current_user._get_current_object(), target.obj)
            flash("Your post has been deleted.", "success")
        return redirect(target.url)
    if not target.visible_to(current_user):
        abort(404)
    if not policy.can_moderate_content(current_user, target.network):
        abort(403)
    return _remove(target, ReasonForm(prefix=f"p{post_id}-delete"))


# --- the log ----------------------------------------------------------------

def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


@bp.route("/moderation/log")
@login_required
def log():
    if not policy.can_view_moderation_log(current_user):
        abort(403)
    networks = listings.log_networks(current_user)
    actions = listings.log_actions(current_user)
    network_id = _int_arg("network")
    if network_id not in {n.id for n in networks}:
        network_id = None
    action = request.args.get("action", "")
    if action not in actions:
        action = ""
    page = paginate(listings.log_statement(current_user, network_id, action or None),
                    page_arg(), per_page=50)
    entries = listings.describe_log(page.items, current_user, _member_url)
    return render_template("moderation/log.html", page=page, entries=entries,
                           networks=networks, actions=actions, network_id=network_id,
                           action=action, action_label=action_label)


def _member_url(person) -> str:
    if policy.can_moderate_site(current_user):
        return url_for("moderation.member", username=person.username)
    return url_for("accounts.profile", username=person.username)


# --- people -----------------------------------------------------------------

MEMBER_ACTIONS = ("silence", "unsilence", "suspend", "reinstate", "trust", "untrust")


@bp.route("/moderation/members/<username>", methods=["GET", "POST"])
@login_required
def member(username):
    if not policy.can_moderate_site(current_user):
        abort(403)
    person = get_by_username(username) if len(username) <= 30 else None
    if person is None:
        abort(404)
    forms = {
        "silence": DurationForm(prefix="silence"),
        "unsilence": ReasonForm(prefix="unsilence"),
        "suspend": DurationForm(prefix="suspend"),
        "reinstate": ReasonForm(prefix="reinstate"),
        "trust": ReasonForm(prefix="trust"),
        "untrust": ReasonForm(prefix="untrust"),
    }
    if request.method == "POST":
        action = request.form.get("action")
        if action not in forms:
            abort(400)
        if not policy.can_sanction_member(current_user, person):
            abort(403)
        form = forms[action]
        if form.validate_on_submit():
            if attempt(lambda: _act_on_member(action, person, form), form, beside="reason"):
                return redirect(url_for("moderation.member", username=person.username))
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render_template("moderation/member.html", person=person,
                           flags=people.flags_against(person), flag_reasons=FLAG_REASONS,
                           **{f"{name}_form": form for name, form in forms.items()}), status


def _act_on_member(action: str, person, form) -> None:
    reason = form.reason.data
    if action == "silence":
        people.silence_member(current_user, person, form.days.data, reason)
        flash(f"{person.display_name} cannot post {until(person.silenced_until)}.", "success")
    elif action == "unsilence":
        people.unsilence_member(current_user, person, reason)
        flash(f"{person.display_name} can post again.", "success")
    elif action == "suspend":
        people.suspend_member(current_user, person, form.days.data, reason)
        flash(f"{person.display_name} is suspended and signed out.", "success")
    elif action == "reinstate":
        people.reinstate_member(current_user, person, reason)
        flash(f"{person.display_name} is reinstated.", "success")
    else:
        people.set_trusted(current_user, person, action == "trust", reason)
        flash(f"{person.display_name} is now {'trusted' if person.trusted else 'not trusted'}.",
              "success")
