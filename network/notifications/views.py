"""The viewer's notifications, their settings, and one-click unsubscribe."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from network.core.converters import parse_id
from network.core.forms import ActionForm
from network.core.pagination import page_arg, paginate
from network.extensions import csrf
from network.notifications import kinds, services, watching
from network.notifications.forms import NotificationSettingsForm
from network.notifications.unsubscribe import read_token

bp = Blueprint("notifications", __name__)


def _unread_for_header() -> int:
    """The header's count: the column on the person's row, already loaded (no
    query). A person's own kept copy of a page is dropped on any committed write
    (``core.cache.writes``), and every new notification or read mark is one, so a
    kept copy never shows a stale count."""
    if not current_user.is_authenticated:
        return 0
    return current_user.unread_notifications or 0


@bp.app_context_processor
def header_count():
    return {"unread_notifications": _unread_for_header}


@bp.route("/notifications/")
@login_required
def index():
    show = request.args.get("show", "all")
    if show not in kinds.FILTERS:
        show = "all"
    services.correct_unread(current_user)
    page = paginate(services.notifications_for(current_user, show), page_arg(), per_page=30)
    return render_template("notifications/index.html", page=page, show=show,
                           filters=kinds.FILTERS)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    """Mark all read, or one (``id`` in the form: only the viewer's own)."""
    if ActionForm().validate_on_submit():
        one = parse_id(request.form.get("id"))
        if one is not None:
            services.mark_read(current_user, one)
        else:
            services.mark_all_read(current_user)
    show = request.form.get("show", "all")
    return redirect(url_for("notifications.index",
                            show=show if show in kinds.FILTERS and show != "all" else None))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    form = NotificationSettingsForm(data=services.settings_for(current_user))
    if form.validate_on_submit():
        services.save_settings(current_user, form.choices())
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


@bp.route("/settings/watching")
@login_required
def watching_list():
    """Everything one watches, mutes or set to normal, with a way back to normal."""
    return render_template("notifications/watching.html",
                           items=watching.listing(current_user._get_current_object()))


@bp.route("/settings/watching/<any(thread,network,practice):kind>/<id:target_id>/stop",
          methods=["POST"])
@login_required
def stop_watching(kind, target_id):
    if ActionForm().validate_on_submit():
        watching.stop(current_user.id, kind, target_id)
        flash("Back to normal: you will hear only of mentions and replies to you.", "success")
    return redirect(url_for("notifications.watching_list"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client's POST carries the signed token, nothing else
def unsubscribe(token):
    """GET shows what the token would do and a button; POST (the one-click of
    RFC 8058, or that button) turns that group's mail off for that person. The
    token is the only credential: no session, no CSRF token."""
    found = read_token(token) if len(token) <= 200 else None
    if found is None:
        return render_template("notifications/unsubscribe.html", valid=False), 400
    user_id, group = found
    done = False
    if request.method == "POST":
        done = services.stop_mail(user_id, group)
    elif request.method != "GET":
        abort(405)
    return render_template("notifications/unsubscribe.html", valid=True, done=done,
                           token=token, label=kinds.GROUPS[group][0])
