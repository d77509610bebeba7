"""Admin: people, their roles and suspensions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from network.accounts import services
from network.accounts.forms import ReasonForm, RoleForm, SuspendForm
from network.core import policy
from network.core.forms import attempt
from network.core.pagination import page_arg, paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not policy.can_manage_users(current_user):
        abort(403)


@bp.route("/users")
def users():
    q = request.args.get("q", "")
    page = paginate(services.search_users(q), page_arg(), per_page=50)
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
def user(user_id):
    member = services.get_user(user_id)
    role_form = RoleForm(prefix="role", role=member.role)
    suspend_form = SuspendForm(prefix="suspend")
    reinstate_form = ReasonForm(prefix="reinstate")
    forms = {"role": role_form, "suspend": suspend_form, "reinstate": reinstate_form}
    action = request.form.get("action") if request.method == "POST" else None
    if action in forms and forms[action].validate_on_submit():
        form = forms[action]
        if attempt(lambda: _act_on_user(action, member, form), form, beside="reason"):
            return redirect(url_for("admin.user", user_id=member.id))
    elif request.method == "POST" and action not in forms:
        abort(400)
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render_template("admin/user.html", member=member, **{f"{k}_form": v for k, v in forms.items()}), status


def _act_on_user(action: str, member, form) -> None:
    if action == "role":
        services.change_role(current_user, member, form.role.data, form.reason.data)
        flash(f"{member.display_name} is now {member.role}.", "success")
    elif action == "suspend":
        services.suspend_user(current_user, member, int(form.days.data), form.reason.data)
        flash(f"{member.display_name} is suspended.", "success")
    else:
        services.reinstate_user(current_user, member, form.reason.data)
        flash(f"{member.display_name} is reinstated.", "success")
