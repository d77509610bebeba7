"""People, and the tokens that let people back in."""
from datetime import datetime

from flask import g, has_app_context
from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.core.time import utcnow
from network.extensions import db
from network.networks.taxonomy import Region

ROLES = ("member", "associate", "moderator", "admin")
SECTORS = {
    "nhs": "NHS",
    "local_government": "Local government",
    "third_sector": "Charity or social enterprise",
    "private": "Private provider",
    "academic": "Academic or research",
    "other": "Other",
}


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    sector: Mapped[str] = mapped_column(String(30), default="other")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    # An IANA zone ("America/New_York") events are also shown in; "" for none.
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    role: Mapped[str] = mapped_column(String(20), default="member")
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_count: Mapped[int] = mapped_column(Integer, default=0)
    # Kept by notifications.services with each notification added or read, so the
    # header's count costs no query (corrected when the list is shown).
    unread_notifications: Mapped[int] = mapped_column(Integer, default=0)
    silenced_until: Mapped[datetime | None] = mapped_column(DateTime)
    silenced_reason: Mapped[str] = mapped_column(Text, default="")
    suspended_until: Mapped[datetime | None] = mapped_column(DateTime)
    suspended_reason: Mapped[str] = mapped_column(Text, default="")
    accepted_terms_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When two-factor sign-in was turned on (``accounts.twofactor``); None when off.
    # The secret itself is in ``TwoFactorSecret``, never on this row (which the
    # cache keeps).
    two_factor_at: Mapped[datetime | None] = mapped_column(DateTime)
    # None until the person opens the link mailed to their address (issue 14).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    hidden_from_directory: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the account is deleted: the row stays, emptied, so threads still read
    # ("former member") and the username is never given to anyone else.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region | None] = relationship(lazy="joined")

    __table_args__ = (Index("uq_user_username_lower", func.lower(username), unique=True),)

    # The id of the session this object was signed in or loaded through
    # (``accounts.sessions``), set per request; never stored on the row.
    current_session_id = None  # str

    def get_id(self) -> str:
        """Flask-Login's session id: ``"<user id>:<session token>"`` of one
        ``UserSession``. Without one (not signed in through ``accounts.sessions``)
        the token is empty, and an empty token never signs anyone in."""
        return self.current_session_id or f"{self.id}:"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at sign-in
        return not self.is_suspended and self.deleted_at is None

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def sector_label(self) -> str:
        return SECTORS.get(self.sector, "Other")

    @property
    def network_roles(self) -> dict[int, str]:
        """{network_id: 'member'|'manager'} for this person, loaded once per request."""
        cache = g.setdefault("network_roles", {}) if has_app_context() else {}
        roles = cache.get(self.id)
        if roles is None:
            from network.core.cache import remembered
            from network.networks.models import Membership

            def load():
                rows = db.session.execute(
                    db.select(Membership.network_id, Membership.role)
                    .where(Membership.user_id == self.id)).all()
                return {network_id: role for network_id, role in rows}

            roles = cache[self.id] = dict(remembered(("network_roles", self.id), load))
        return roles

    def forget_network_roles(self) -> None:
        """Call after changing this person's memberships within a request."""
        if has_app_context():
            g.setdefault("network_roles", {}).pop(self.id, None)


class PasswordReset(db.Model):
    """A one-time reset token; only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class EmailConfirmation(db.Model):
    """A one-time link that confirms ``email`` for a person: their first address,
    or the new one they asked to change to. Only the token's SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """One signed-in device: ending it (signing out there, or from the list in
    settings) signs out that device only. Only the token's SHA-256 is stored; the
    token itself is in the device's signed session cookie."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Written at most every ``sessions.LAST_SEEN_EVERY``, outside the cache's notice.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(255), default="")


class TwoFactorSecret(db.Model):
    """A person's TOTP secret (RFC 6238), and the last time step a code was accepted
    at, so no code is accepted twice."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RecoveryCode(db.Model):
    """A single-use code for signing in without the authenticator; only its SHA-256
    is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class MemberMute(db.Model):
    """One person muting another (issue 14): the muted person's posts and comments
    are collapsed for the muter and what they do tells the muter nothing. Private to
    the muter; the muted person is not told. The pair is the key, so it is unique."""

    muter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                          primary_key=True)
    muted_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                          primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    # Moderators are told when several people mute one person within a while.
    __table_args__ = (Index("ix_member_mute_muted_created", "muted_id", "created_at"),)
