"""Two-factor sign-in (issue 14): a time-based code from an authenticator app
(RFC 6238, through pyotp) after the password, or one of ten single-use recovery
codes. Available to everyone; site moderators and admins act as such only once it
is on (``policy.acts_as_staff``).

A code is accepted for the 30-second step it belongs to and the one before or
after (clocks drift), and never twice: the step of the last accepted code is kept
and moved forward by a conditional UPDATE, so two requests racing with one code
cannot both pass. Recovery codes are stored as SHA-256 and spent the same way.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash

from network.accounts.models import RecoveryCode, TwoFactorSecret, User
from network.core.errors import Conflict, Invalid
from network.core.time import utcnow
from network.extensions import db

ISSUER = "What Works Network"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_CODE = re.compile(r"^\d{6}$")
_RECOVERY = re.compile(r"^[a-z0-9]{5}-?[a-z0-9]{5}$")
WRONG_CODE = "That code is not right. Type the 6 digits your app shows now, or a recovery code."


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def setup_address(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(address: str) -> str:
    """The QR code of ``address`` as an inline SVG element (our own markup, no user
    text in it but the username, which segno escapes)."""
    return segno.make(address, error="m").svg_inline(scale=5, dark="#111", light="#fff",
                                                     title="QR code for your authenticator app")


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return re.sub(r"[\s]", "", (code or ""))[:40].lower()


def _step_matching(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (of now, the one before or after) whose code is ``code``."""
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    for drift in (0, -1, 1):
        at = now + drift * totp.interval
        if hmac.compare_digest(totp.at(at), code):
            return totp.timecode(at)
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new codes for ``user`` (the old ones end); returned once, to show."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def _check_password(user: User, password: str) -> None:
    if not check_password_hash(user.password_hash, password or ""):
        raise Invalid("Your password is not right.", field="password")


def check_setup_password(user: User, password: str) -> None:
    """Setting up starts with the password, so an unattended session cannot."""
    if user.has_two_factor:
        raise Conflict("Two-factor sign-in is already on.")
    _check_password(user, password)


def turn_on(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor sign-in on with ``secret`` once ``code`` shows the app has it;
    returns the recovery codes, to be shown once. Commits."""
    if user.has_two_factor:
        raise Conflict("Two-factor sign-in is already on.")
    code = _clean(code)
    step = _step_matching(secret, code) if _CODE.match(code) and secret else None
    if step is None:
        raise Invalid("That code is not right. Check the time on your phone and type "
                      "the 6 digits your app shows now.", field="code")
    db.session.execute(delete(TwoFactorSecret).where(TwoFactorSecret.user_id == user.id))
    db.session.add(TwoFactorSecret(user_id=user.id, secret=secret, last_step=step))
    user.two_factor_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def turn_on_with_key(user: User, secret: str) -> None:
    """Two-factor sign-in on with a key already known (the demo's published one), no
    code asked and no recovery codes made (the caller commits)."""
    db.session.add(TwoFactorSecret(user_id=user.id, secret=secret, last_step=0))
    user.two_factor_at = utcnow()


def _spend_step(user_id: int, step: int) -> bool:
    """Move the last accepted step to ``step`` if it is later; False if a code at
    this step (or a later one) was accepted already."""
    result = db.session.execute(update(TwoFactorSecret).where(
        TwoFactorSecret.user_id == user_id, TwoFactorSecret.last_step < step)
        .values(last_step=step))
    return result.rowcount == 1


def _spend_recovery(user_id: int, code: str) -> bool:
    result = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    return result.rowcount == 1


def _spend_code(user: User, code: str) -> bool:
    """True (and the code spent, in the caller's transaction) when ``code`` is this
    person's current app code or an unused recovery code."""
    code = _clean(code)
    if _CODE.match(code):
        secret = db.session.scalar(select(TwoFactorSecret.secret).where(
            TwoFactorSecret.user_id == user.id))
        step = _step_matching(secret, code) if secret else None
        return step is not None and _spend_step(user.id, step)
    if _RECOVERY.match(code):
        return _spend_recovery(user.id, code)
    return False


def check_code(user: User, code: str) -> bool:
    """True (and the code spent) when ``code`` is this person's current app code or
    an unused recovery code. Commits either way."""
    ok = _spend_code(user, code)
    db.session.commit()
    return ok


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def new_recovery_codes(user: User, password: str) -> list[str]:
    """Replace the recovery codes (the old ones stop working). Commits."""
    _check_password(user, password)
    if not user.has_two_factor:
        raise Conflict("Turn two-factor sign-in on first.")
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def forget(user: User) -> None:
    """Two-factor sign-in off and its secret and codes gone (the caller commits)."""
    db.session.execute(delete(TwoFactorSecret).where(TwoFactorSecret.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.two_factor_at = None


def turn_off(user: User, password: str, code: str) -> None:
    """Turning it off needs the password and a code, as signing in does. Commits."""
    _check_password(user, password)
    if not user.has_two_factor:
        raise Conflict("Two-factor sign-in is not on.")
    if not _spend_code(user, code):  # a wrong code spent nothing
        raise Invalid(WRONG_CODE, field="code")
    forget(user)  # one transaction with the code spent: both happen, or neither
    db.session.commit()
