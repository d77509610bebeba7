"""The viewer's notifications."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from network.core.forms import ActionForm
from network.core.pagination import page_arg, paginate
from network.notifications import services

bp = Blueprint("notifications", __name__)


@bp.route("/notifications/")
@login_required
def index():
    page = paginate(services.notifications_for(current_user), page_arg(), per_page=30)
    return render_template("notifications/index.html", page=page)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    if ActionForm().validate_on_submit():
        services.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))
