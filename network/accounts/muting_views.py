"""Muting a member (issue 14): the buttons on a profile and the list in settings.
No JavaScript: each button is a small CSRF-checked form that redirects back with
a message. The rules are ``policy.can_mute_member``; the work is ``muting``."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from network.accounts import muting, services
from network.core.forms import ActionForm, attempt
from network.core.security import limit_watching
from network.core.viewer import viewer as _viewer

bp = Blueprint("muting", __name__)

# Whom the viewer muted is read once a request (``muting.muted_ids``), and afresh
# by the next one, even where an app context (so ``g``) outlives a request.
bp.before_app_request(muting.forget_muted_ids)


def _member(username: str):
    """The live member a mute is about, else 404."""
    member = services.get_by_username(username) if len(username) <= 30 else None
    if member is None or member.deleted_at is not None:
        abort(404)
    return member


def _back(member) -> str:
    """Where the button was: the settings list, else the member's profile."""
    if request.form.get("back") == "settings":
        return url_for("muting.muted_list")
    return url_for("accounts.profile", username=member.username)


@bp.route("/members/<username>/mute", methods=["POST"])
@limit_watching
@login_required
def mute_member(username):
    member = _member(username)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: muting.mute(_viewer(), member))
    if outcome and not outcome.value:
        flash(f"You had already muted {member.display_name}.", "info")
    elif outcome:
        flash(f"You muted {member.display_name}. Their posts and comments are folded away "
              "for you and they will not cause you notifications. They are not told.",
              "success")
    return redirect(_back(member))


@bp.route("/members/<username>/unmute", methods=["POST"])
@limit_watching
@login_required
def unmute_member(username):
    member = _member(username)
    if not ActionForm().validate_on_submit():
        abort(400)
    if muting.unmute(_viewer(), member):
        flash(f"You unmuted {member.display_name}.", "success")
    else:
        flash(f"You had not muted {member.display_name}.", "info")
    return redirect(_back(member))


@bp.route("/settings/muted")
@login_required
def muted_list():
    """Whom the signed-in person muted, with a button to unmute each."""
    return render_template("accounts/muted.html", muted=muting.muted_list(_viewer()))
