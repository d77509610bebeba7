"""Leaving with one's data (issue 14): the export of everything a person wrote and
set (a ZIP of JSON and the same as a readable page), and deleting the account.

Accounts know nothing of what people write, so each kind of writing registers an
export section and an erasure step (network/site/contents.py wires them, as it
does for profile activity). A section returns only the person's own rows: never
another person's private content.

A deleted account keeps its row, emptied: posts and comments stay where they are
shown as by "Former member" (or with their text removed, if the person asks), and
the username stays taken so nobody else is ever given it.
"""
import io
import json
import zipfile
from typing import Callable

from flask import Flask, current_app, render_template
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash

from network.accounts import twofactor
from network.accounts.models import EmailConfirmation, MemberMute, PasswordReset, User, UserSession
from network.accounts.muting import forget_all_mutes
from network.accounts.sessions import end_all_sessions
from network.core.errors import Conflict, Invalid
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import JoinRequest, Membership, Network
from network.notifications.models import Notification, OutboxMail
from network.search import index as search_index

_SECTIONS = "account_export_sections"
_ERASERS = "account_erasers"
FORMER_MEMBER = "Former member"
REMOVED_TEXT = "Removed by its author."


def register_export(app: Flask, name: str, section: Callable[[User], list[dict]]) -> None:
    """``section(user)`` -> the person's own rows of one kind, as plain values."""
    app.extensions.setdefault(_SECTIONS, []).append((name, section))


def register_erasure(app: Flask, erase: Callable[[User, bool], None]) -> None:
    """``erase(user, remove_text)``: what deleting the account does to one kind of
    writing, in the caller's transaction (with ``remove_text`` the text goes)."""
    app.extensions.setdefault(_ERASERS, []).append(erase)


def _check_password(user: User, password: str) -> None:
    if not check_password_hash(user.password_hash, password or ""):
        raise Invalid("Your password is not right.", field="password")


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _profile(user: User) -> dict:
    return {"username": user.username, "email": user.email, "display_name": user.display_name,
            "job_title": user.job_title, "organisation": user.organisation,
            "sector": user.sector, "region": user.region.name if user.region else None,
            "bio": user.bio, "role": user.role, "created_at": _when(user.created_at),
            "email_confirmed_at": _when(user.email_confirmed_at),
            "accepted_terms_at": _when(user.accepted_terms_at),
            # Whether two-factor sign-in is on; never its secret or codes.
            "two_factor_on_since": _when(user.two_factor_at),
            "settings": {"hidden_from_directory": user.hidden_from_directory,
                         "timezone": user.timezone}}


def _memberships(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Network.slug, Network.name, Membership.role, Membership.created_at)
        .join(Network, Membership.network_id == Network.id)
        .where(Membership.user_id == user.id).order_by(Membership.created_at)).all()
    requests = db.session.execute(
        select(Network.slug, JoinRequest.message, JoinRequest.status, JoinRequest.created_at)
        .join(Network, JoinRequest.network_id == Network.id)
        .where(JoinRequest.user_id == user.id).order_by(JoinRequest.created_at)).all()
    return ([{"network": slug, "name": name, "role": role, "since": _when(since)}
             for slug, name, role, since in rows]
            + [{"network": slug, "join_request": status, "message": message, "at": _when(at)}
               for slug, message, status, at in requests])


def _notifications(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Notification.kind, Notification.text, Notification.url, Notification.created_at,
               Notification.read_at).where(Notification.user_id == user.id)
        .order_by(Notification.created_at)).all()
    return [{"kind": kind, "text": text, "url": url, "at": _when(at), "read_at": _when(read)}
            for kind, text, url, at, read in rows]


def _sessions(user: User) -> list[dict]:
    """The devices signed in (never the token or its hash)."""
    rows = db.session.execute(
        select(UserSession.created_at, UserSession.last_seen_at, UserSession.user_agent)
        .where(UserSession.user_id == user.id).order_by(UserSession.created_at)).all()
    return [{"signed_in_at": _when(at), "last_seen_at": _when(seen), "device": agent}
            for at, seen, agent in rows]


def _muted(user: User) -> list[dict]:
    """Whom they muted (who muted them is those people's own business)."""
    rows = db.session.execute(
        select(User.username, MemberMute.created_at)
        .join(MemberMute, MemberMute.muted_id == User.id)
        .where(MemberMute.muter_id == user.id).order_by(MemberMute.created_at)).all()
    return [{"username": username, "since": _when(since)} for username, since in rows]


def export_data(user: User, password: str) -> dict:
    """Everything the person wrote and set, with the password; nobody else's rows."""
    _check_password(user, password)
    data = {"exported_at": _when(utcnow()), "profile": _profile(user),
            "memberships": _memberships(user), "notifications": _notifications(user),
            "sessions": _sessions(user), "muted_members": _muted(user)}
    for name, section in current_app.extensions.get(_SECTIONS, []):
        data[name] = section(user)
    return data


def export_archive(user: User, password: str) -> tuple[str, bytes]:
    """(file name, ZIP bytes): ``data.json`` for machines and ``index.html``, the same
    in readable form (escaped by the template, so nothing anyone wrote runs as HTML).
    Built in the request: a person's own rows are few enough for that."""
    data = export_data(user, password)
    folder = f"what-works-network-{user.username}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr(f"{folder}/index.html",
                         render_template("accounts/export.html", data=data, user=user))
    return f"{folder}.zip", buffer.getvalue()


def _sole_managed(user: User) -> list[str]:
    managed = select(Membership.network_id).where(Membership.user_id == user.id,
                                                  Membership.role == "manager")
    others = (select(Membership.network_id).where(Membership.role == "manager",
                                                  Membership.user_id != user.id))
    return list(db.session.scalars(select(Network.name).where(
        Network.id.in_(managed), Network.id.not_in(others), Network.archived_at.is_(None))
        .order_by(Network.name)))


def delete_account(user: User, password: str, remove_text: bool = False) -> None:
    """With the password: erase the person's personal fields, end every session,
    drop memberships (counts kept), requests, notifications, mutes (both ways),
    pending mail links;
    their writing stays as by "Former member" (or its text removed). A person who
    alone manages a network must hand it over first. Commits."""
    _check_password(user, password)
    erase_account(user, remove_text)


def erase_account(user: User, remove_text: bool = False) -> None:
    """``delete_account`` without the password: for the retention command (addresses
    never confirmed). Refuses a person who alone manages a network. Commits."""
    sole = _sole_managed(user)
    if sole:
        raise Conflict("You are the only manager of " + ", ".join(sole) + ". Make another "
                       "member a manager (or archive the network) before deleting your account.")
    network_ids = list(db.session.scalars(
        select(Membership.network_id).where(Membership.user_id == user.id)))
    if network_ids:
        db.session.execute(update(Network).where(Network.id.in_(network_ids))
                           .values(member_count=Network.member_count - 1))
    twofactor.forget(user)
    for model in (Membership, JoinRequest, Notification, PasswordReset, EmailConfirmation):
        db.session.execute(delete(model).where(model.user_id == user.id))
    forget_all_mutes(user.id)
    db.session.execute(delete(OutboxMail).where(OutboxMail.to_addr == user.email,
                                                OutboxMail.sent_at.is_(None)))
    for erase in current_app.extensions.get(_ERASERS, []):
        erase(user, remove_text)
    user.display_name = FORMER_MEMBER
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.password_hash = "!"  # matches no password
    user.job_title = user.organisation = user.bio = user.bio_html = user.timezone = ""
    user.region_id = None
    user.sector = "other"
    user.hidden_from_directory = True
    user.deleted_at = utcnow()
    search_index.index_member(user)
    end_all_sessions(user)  # every device is signed out at once
    user.forget_network_roles()
    db.session.commit()
