"""Registration, sign-in and out, password reset, profiles and settings."""
from flask import (Blueprint, abort, flash, g, make_response, redirect,
                   render_template, request, session, url_for)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from itsdangerous import BadSignature

from network.accounts import (confirmation, directory, leaving, muting, services, sessions,
                              signed_in, twofactor_views)
from network.accounts.activity import recent_activity
from network.accounts.forms import (ChangeEmailForm, ChangePasswordForm, DeleteAccountForm,
                                    LoginForm, PasswordCheckForm, ProfileForm, RegisterForm,
                                    ResetForm, ResetRequestForm)
from network.core import policy
from network.core.errors import Invalid
from network.core.forms import ActionForm, attempt
from network.core.pagination import page_arg, paginate
from network.core.security import attempt_failed, person_key, safe_next
from network.core.time import until
from network.extensions import limiter
from network.notifications.mail import send_after_response

bp = Blueprint("accounts", __name__)

SIGN_IN_FAILED = "The username, email address or password is not right."


# Sign-in limits. Guesses from one address at one account stop soon; guesses at one
# account from many addresses stop later (with Retry-After), so nobody can lock a
# person out from one address, and a spread-out attack still stops. Only failed
# attempts count towards the two account limits; no worker ever sleeps.
ADDRESS_LIMIT = "30 per 10 minutes"
PAIR_LIMIT = "10 per 10 minutes"
ACCOUNT_LIMIT = "20 per hour"


def _account() -> str:
    """The account a sign-in names, by id when it exists (its username and email
    share one count), else the text typed; looked up once per request."""
    if "sign_in_account" not in g:
        login = (request.form.get("login") or "").strip().lower()[:254]
        user = services.get_by_login(login) if login else None
        g.sign_in_account = f"account:{user.id}" if user else f"login:{login}"
    return g.sign_in_account


def _account_address_key() -> str:
    return f"{_account()}@{get_remote_address()}"


def _from_known_device() -> bool:
    """``exempt_when`` of the account-wide limit: this browser signed in to the
    account the form names before."""
    raw = request.cookies.get(signed_in.KNOWN_DEVICE, "")
    if not raw or len(raw) > 200:
        return False
    try:
        user_id = signed_in.device_signer().loads(raw, max_age=signed_in.KNOWN_DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return _account() == f"account:{user_id}"


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    """Never signs in; ends on the same "check your inbox" page whether or not the
    address already has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterForm()
    form.region.choices = services.region_choices()
    if form.validate_on_submit():
        if attempt(lambda: confirmation.sign_up(
                username=form.username.data, email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, job_title=form.job_title.data,
                organisation=form.organisation.data, sector=form.sector.data,
                region_id=form.region.data, accepted_terms=form.accept_terms.data), form):
            return send_after_response(make_response(render_template(
                "accounts/check_inbox.html", email=form.email.data.strip().lower())))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.before_app_request
def _unconfirmed_may_only_read():
    """Until their address is confirmed a person may read, edit their profile and
    leave with their data; any other change is refused here, in one place, by an
    allowlist (``policy.must_confirm_first``), so a new route cannot forget it."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if policy.must_confirm_first(current_user, request.endpoint):
        return render_template("accounts/confirm_first.html"), 403
    return None


@bp.route("/auth/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def confirm_email(token):
    """GET shows a button (mail scanners open links); POST confirms."""
    if confirmation.find_confirmation(token) is None:
        return render_template("accounts/confirm_invalid.html"), 404
    form = ActionForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: confirmation.confirm_email(token), form)
        if outcome:
            flash("Your email address is confirmed.", "success")
            if current_user.is_authenticated:
                return redirect(url_for("site.home"))
            return redirect(url_for("accounts.login"))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("accounts/confirm_email.html", form=form), status


@bp.route("/auth/confirm/resend", methods=["POST"])
@login_required
@limiter.limit("3 per hour", key_func=person_key, methods=["POST"])
def resend_confirmation():
    user = current_user._get_current_object()
    if attempt(lambda: confirmation.resend_confirmation(user), category="info"):
        flash(f"We have sent a new confirmation link to {user.email}.", "success")
    return send_after_response(redirect(url_for("accounts.change_email")))


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", key_func=person_key, methods=["POST"])
def change_email():
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if attempt(lambda: confirmation.request_email_change(
                user, form.password.data, form.email.data), form):
            flash(f"We have sent a confirmation link to {form.email.data.strip().lower()}. "
                  "Your address changes when you open it.", "success")
            return send_after_response(redirect(url_for("accounts.change_email")))
    return render_template("accounts/change_email.html", form=form), 400 if form.errors else 200


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@limiter.limit(PAIR_LIMIT, key_func=_account_address_key, methods=["POST"], deduct_when=attempt_failed)
@limiter.limit(ACCOUNT_LIMIT, key_func=_account, methods=["POST"], deduct_when=attempt_failed,
               exempt_when=_from_known_device)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data))
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.form_errors.append(SIGN_IN_FAILED)
        elif user.is_suspended:
            form.form_errors.append(
                f"Your account is suspended {until(user.suspended_until)}. "
                f"Reason: {user.suspended_reason}")
        elif user.has_two_factor:
            return twofactor_views.start_pending(user, form.remember.data, form.next.data)
        else:
            return signed_in.finish_sign_in(user, form.remember.data, safe_next(form.next.data))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("accounts/login.html", form=form), status


def _signed_out(message: str, endpoint: str = "site.home"):
    logout_user()
    session.clear()
    flash(message, "success")
    return redirect(url_for(endpoint))


@bp.route("/auth/logout", methods=["POST"])
def logout():
    """Ends this session only; the person stays signed in on their other devices."""
    if current_user.is_authenticated:
        sessions.end_this_session(current_user._get_current_object())
    return _signed_out("You have signed out.")


@bp.route("/settings/sessions")
@login_required
def session_list():
    user = current_user._get_current_object()
    return render_template("accounts/sessions.html", sessions=sessions.sessions_of(user),
                           current_id=sessions.current_row_id(user),
                           device_label=sessions.device_label)


@bp.route("/settings/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    """End one of one's own sessions (another person's is 404)."""
    user = current_user._get_current_object()
    if not ActionForm().validate_on_submit():
        abort(400)
    this_one = session_id == sessions.current_row_id(user)
    sessions.end_session(user, session_id)
    if this_one:
        return _signed_out("You have signed out.")
    flash("That device has been signed out.", "success")
    return redirect(url_for("accounts.session_list"))


@bp.route("/settings/sessions/end-all", methods=["POST"])
@login_required
def sign_out_everywhere():
    user = current_user._get_current_object()
    if not ActionForm().validate_on_submit():
        abort(400)
    services.sign_out_everywhere(user)
    return _signed_out("You have signed out on every device.", "accounts.login")


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.start_password_reset(form.email.data)
        return send_after_response(make_response(
            render_template("accounts/reset_sent.html", email=form.email.data)))
    return render_template("accounts/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token):
    if services.find_reset(token) is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.reset_password(token, form.password.data), form)
        if outcome:
            user = outcome.value
            if user.has_two_factor:  # a mailed link is one factor, not two
                flash("Your password has been changed. Type your code to sign in.", "success")
                return twofactor_views.start_pending(user, False, url_for("site.home"))
            signed_in.sign_in(user, remember=False)
            flash("Your password has been changed and you are signed in.", "success")
            return redirect(url_for("site.home"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/members/")
@login_required
def member_directory():
    viewer = current_user._get_current_object()
    filters = directory.Filters(**{name: (request.args.get(name) or "").strip()[:100]
                                   for name in directory.Filters._fields})
    error, page = None, None
    try:
        page = paginate(directory.members(viewer, filters), page_arg(), per_page=30)
    except Invalid as refused:
        error = refused
    cards = directory.networks_of(viewer, [person.id for person in page.items]) if page else {}
    return render_template(
        "accounts/directory.html", page=page, filters=filters, error=error, cards=cards,
        sectors=services.SECTORS, regions=services.regions(), roles=directory.ROLES,
        networks=directory.network_choices(viewer)), 400 if error else 200


@bp.route("/members/<username>")
def profile(username):
    if len(username) > 30:
        abort(404)
    member = services.get_by_username(username)
    if member is None or member.deleted_at is not None:
        abort(404)
    viewer = current_user
    muted = muting.has_muted(viewer, member)
    # The activity is loaded inside a fragment shared by viewers of the same reach
    # (folded away for those who muted the member, as their posts are on threads).
    return render_template("accounts/profile.html", member=member,
                           verified=confirmation.has_verified_organisation_address(member),
                           muted=muted,
                           activity_key=("activity", member.id, policy.reach_key(viewer), muted),
                           load_activity=lambda: recent_activity(member, viewer))


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    form.region.choices = services.region_choices()
    if request.method == "GET":
        form.region.data = str(user.region_id or "")
    if form.validate_on_submit():
        if attempt(lambda: services.update_profile(
                user, display_name=form.display_name.data, job_title=form.job_title.data,
                organisation=form.organisation.data, sector=form.sector.data,
                region_id=form.region.data, bio=form.bio.data,
                hidden_from_directory=form.hidden_from_directory.data,
                timezone=form.timezone.data or ""), form):
            flash("Your profile has been saved.", "success")
            return redirect(url_for("accounts.profile", username=user.username))
    return render_template("accounts/edit_profile.html", form=form), 400 if form.errors else 200


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 10 minutes", methods=["POST"])
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if attempt(lambda: services.change_password(user, form.current.data,
                                                    form.password.data), form):
            # Other sessions ended with the old token; keep this one signed in.
            signed_in.sign_in(user, remember=False)
            flash("Your password has been changed. Other devices have been signed out.",
                  "success")
            return redirect(url_for("accounts.edit_profile"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/settings/account")
@login_required
def account():
    return render_template("accounts/account.html", export_form=PasswordCheckForm(prefix="export"),
                           delete_form=DeleteAccountForm(prefix="delete"))


def _account_page(export_form, delete_form):
    return render_template("accounts/account.html", export_form=export_form,
                           delete_form=delete_form), 400


@bp.route("/settings/account/export", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", key_func=person_key, methods=["POST"])
def export_account():
    """A ZIP download of everything the person wrote and set, with the password."""
    if request.method == "GET":
        return redirect(url_for("accounts.account"))
    user = current_user._get_current_object()
    form = PasswordCheckForm(prefix="export")
    if form.validate_on_submit():
        outcome = attempt(lambda: leaving.export_archive(user, form.password.data), form)
        if outcome:
            filename, archive = outcome.value
            response = make_response(archive)
            response.mimetype = "application/zip"
            response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
            response.headers["Cache-Control"] = "no-store"
            return response
    return _account_page(form, DeleteAccountForm(prefix="delete"))


@bp.route("/settings/account/delete", methods=["POST"])
@login_required
@limiter.limit("10 per hour", key_func=person_key, methods=["POST"])
def delete_account():
    user = current_user._get_current_object()
    form = DeleteAccountForm(prefix="delete")
    if form.validate_on_submit():
        if attempt(lambda: leaving.delete_account(user, form.password.data,
                                                  remove_text=form.remove_text.data), form):
            return _signed_out("Your account has been deleted.")
    return _account_page(PasswordCheckForm(prefix="export"), form)


bp.after_app_request(signed_in.mark_session_seen)
