"""Two-factor sign-in pages (``accounts.twofactor``): the code asked for after the
password, and turning it on and off in settings."""
from flask import (Blueprint, flash, make_response, redirect, render_template, request, session,
                   url_for)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from markupsafe import Markup

from network.accounts import signed_in, twofactor
from network.accounts.forms import PasswordCheckForm, TwoFactorCodeForm, TwoFactorOffForm
from network.accounts.models import User
from network.core import policy
from network.core.forms import attempt
from network.core.security import attempt_failed, safe_next
from network.core.time import utcnow
from network.extensions import db, limiter

bp = Blueprint("twofactor", __name__)

# Between the password and the code: who, for how long, and where to after.
PENDING = "_two_factor_pending"
PENDING_SECONDS = 300
# While setting up: the new secret, until a code shows the app has it.
SETUP = "_two_factor_setup"
# Guesses at one person's code stop soon (a 6-digit code, one in a million a guess);
# only wrong codes count.
CODE_LIMIT = "5 per 10 minutes"
ADDRESS_LIMIT = "30 per 10 minutes"


def start_pending(user: User, remember: bool, next_url: str):
    """After the right password, for a person with two-factor sign-in on: remember
    who (in the signed session), and ask for the code."""
    session.clear()
    session[PENDING] = {"user": user.id, "remember": bool(remember), "next": next_url,
                        "at": int(utcnow().timestamp())}
    return redirect(url_for("twofactor.sign_in"))


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    if utcnow().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending["user"])
    return user if user is not None and user.is_active and user.has_two_factor else None


def _pending_key() -> str:
    pending = session.get(PENDING)
    return f"two-factor:{pending.get('user') if isinstance(pending, dict) else 'none'}"


@bp.route("/auth/two-factor", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, key_func=get_remote_address, methods=["POST"])
@limiter.limit(CODE_LIMIT, key_func=_pending_key, methods=["POST"], deduct_when=attempt_failed)
def sign_in():
    user = _pending_user()
    if user is None and current_user.is_authenticated:
        return redirect(url_for("site.home"))  # signed in already
    if user is None:
        flash("Sign in again: the time to type your code ran out.", "info")
        return redirect(url_for("accounts.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        if twofactor.check_code(user, form.code.data):
            pending = session.pop(PENDING)
            return signed_in.finish_sign_in(user, pending["remember"], safe_next(pending["next"]))
        form.code.errors.append(twofactor.WRONG_CODE)
    return render_template("accounts/two_factor_sign_in.html", form=form), \
        400 if form.errors else 200


def _settings_page(**forms):
    forms.setdefault("setup_form", PasswordCheckForm(prefix="setup"))
    forms.setdefault("off_form", TwoFactorOffForm(prefix="off"))
    forms.setdefault("codes_form", PasswordCheckForm(prefix="codes"))
    user = current_user._get_current_object()
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render_template(
        "accounts/two_factor.html", codes_left=(twofactor.recovery_codes_left(user)
                                                if user.has_two_factor else 0),
        waiting=policy.staff_waiting_for_two_factor(user), **forms), status


@bp.route("/settings/two-factor")
@login_required
def settings():
    return _settings_page()


def _secret_page(template: str, status: int = 200, **context):
    """A page holding a key or recovery codes: no browser or proxy keeps it."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _setup_page(form, secret: str, status: int = 200):
    address = twofactor.setup_address(current_user, secret)
    return _secret_page("accounts/two_factor_setup.html", status, form=form,
                        qr=Markup(twofactor.qr_svg(address)), key=twofactor.spaced(secret))


@bp.route("/settings/two-factor/setup", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def setup():
    form = PasswordCheckForm(prefix="setup")
    if not form.validate_on_submit() or not attempt(
            lambda: twofactor.check_setup_password(current_user, form.password.data), form):
        return _settings_page(setup_form=form)
    session[SETUP] = twofactor.new_secret()
    return _setup_page(TwoFactorCodeForm(), session[SETUP])


@bp.route("/settings/two-factor/turn-on", methods=["POST"])
@login_required
@limiter.limit("10 per 10 minutes")
def turn_on():
    secret = session.get(SETUP)
    if not isinstance(secret, str) or not secret:
        flash("Start again: enter your password to set up two-factor sign-in.", "info")
        return redirect(url_for("twofactor.settings"))
    form = TwoFactorCodeForm()
    done = form.validate_on_submit() and attempt(
        lambda: twofactor.turn_on(current_user, secret, form.code.data), form)
    if not done:
        return _setup_page(form, secret, 400)
    session.pop(SETUP, None)
    flash("Two-factor sign-in is on. From now on you will be asked for a code after "
          "your password.", "success")
    return _secret_page("accounts/two_factor_codes.html", codes=done.value)


@bp.route("/settings/two-factor/turn-off", methods=["POST"])
@login_required
@limiter.limit("10 per 10 minutes")
def turn_off():
    form = TwoFactorOffForm(prefix="off")
    if form.validate_on_submit() and attempt(
            lambda: twofactor.turn_off(current_user, form.password.data, form.code.data), form):
        message = "Two-factor sign-in is off."
        if policy.holds_staff_role(current_user) and policy.staff_need_two_factor():
            message += " Until you turn it on again you cannot act as a moderator."
        flash(message, "success")
        return redirect(url_for("twofactor.settings"))
    return _settings_page(off_form=form)


@bp.route("/settings/two-factor/recovery-codes", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def recovery_codes():
    form = PasswordCheckForm(prefix="codes")
    done = form.validate_on_submit() and attempt(
        lambda: twofactor.new_recovery_codes(current_user, form.password.data), form)
    if not done:
        return _settings_page(codes_form=form)
    flash("New recovery codes made. The old ones no longer work.", "success")
    return _secret_page("accounts/two_factor_codes.html", codes=done.value)


STAFF_PATHS = ("/moderation/", "/admin/")


def staff_set_up_first():
    """before_app_request: staff by role who have not turned two-factor sign-in on
    are sent to set it up when they open a moderation or admin page (the policy
    already refuses what they would send from there)."""
    if (request.method == "GET" and request.path.startswith(STAFF_PATHS)
            and policy.staff_waiting_for_two_factor(current_user)):
        flash("Turn on two-factor sign-in to act as a moderator or admin.", "info")
        return redirect(url_for("twofactor.settings"))
    return None


bp.before_app_request(staff_set_up_first)
