"""Registration, sign-in and out, password reset, profiles and settings."""
from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   session, url_for)
from flask_login import current_user, login_required, login_user, logout_user

from network.accounts import services
from network.accounts.activity import recent_activity
from network.accounts.forms import (ChangePasswordForm, LoginForm, ProfileForm, RegisterForm,
                                    ResetForm, ResetRequestForm)
from network.core import policy
from network.core.cache import remembered_user
from network.core.errors import DomainError
from network.core.forms import show_domain_error
from network.core.security import safe_next
from network.core.time import until
from network.extensions import db, limiter
from network.notifications.mail import send_after_response

bp = Blueprint("accounts", __name__)

SIGN_IN_FAILED = "The username, email address or password is not right."


def _login_key() -> str:
    return "login:" + (request.form.get("login") or "").strip().lower()[:254]


def _sign_in(user, remember: bool) -> None:
    # A fresh session on sign-in: nothing from before carries over.
    session.clear()
    login_user(user, remember=remember)


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterForm()
    form.region.choices = services.region_choices()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                username=form.username.data, email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, job_title=form.job_title.data,
                organisation=form.organisation.data, sector=form.sector.data,
                region_id=form.region.data, accepted_terms=form.accept_terms.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            _sign_in(user, remember=False)
            flash(f"Welcome, {user.display_name}. Your account is ready.", "success")
            return redirect(url_for("site.home"))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit("30 per 10 minutes", methods=["POST"])
@limiter.limit("10 per 10 minutes", key_func=_login_key, methods=["POST"])
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
        else:
            _sign_in(user, remember=form.remember.data)
            flash(f"Signed in as {user.display_name}.", "success")
            return redirect(safe_next(form.next.data))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/auth/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("site.home"))


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
        try:
            user = services.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            _sign_in(user, remember=False)
            flash("Your password has been changed and you are signed in.", "success")
            return redirect(url_for("site.home"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/members/<username>")
def profile(username):
    if len(username) > 30:
        abort(404)
    member = services.get_by_username(username)
    if member is None:
        abort(404)
    viewer = current_user
    # The activity is loaded inside a fragment shared by viewers of the same reach.
    return render_template("accounts/profile.html", member=member,
                           activity_key=("activity", member.id, policy.reach_key(viewer)),
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
        try:
            services.update_profile(
                user, display_name=form.display_name.data, job_title=form.job_title.data,
                organisation=form.organisation.data, sector=form.sector.data,
                region_id=form.region.data, bio=form.bio.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
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
        try:
            services.change_password(user, form.current.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            # Other sessions ended with the old token; keep this one signed in.
            _sign_in(user, remember=False)
            flash("Your password has been changed. Other devices have been signed out.",
                  "success")
            return redirect(url_for("accounts.edit_profile"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


def load_user(session_id: str):
    """Flask-Login's loader: ``"<id>:<session token>"``, refused when the token has
    changed (signed out elsewhere, password changed, suspended)."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token or len(user_id) > 12:
        return None
    user = remembered_user(int(user_id))  # no query while nothing has been written
    if not services.verify_session_token(user, token) or user.is_suspended:
        return None
    return user


def init_login(login_manager) -> None:
    from network.core.policy import Anonymous

    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
