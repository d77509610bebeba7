"""The contact form (issue 14): messages go to the admins through the outbox; a copy
goes only to a signed-in sender's confirmed address, so the form cannot mail strangers."""
from flask import current_app
from sqlalchemy import select

from network.accounts.models import User
from network.core import policy
from network.extensions import db
from network.notifications.mail import queue_mail


def admin_addresses() -> list[str]:
    """CONTACT_EMAIL when configured, else every active admin's address."""
    configured = current_app.config.get("CONTACT_EMAIL")
    if configured:
        return [configured]
    return list(db.session.scalars(select(User.email).where(
        User.role == "admin", User.deleted_at.is_(None)).order_by(User.id)))


def send_contact_message(sender, *, name: str, email: str, subject: str, message: str) -> None:
    """Queue the message for the admins (and a copy to a signed-in, confirmed sender).
    Commits."""
    who = f"{name} <{email}>"
    if policy.is_signed_in(sender):
        who += f" (signed in as {sender.username})"
    body = f"From: {who}\nSubject: {subject}\n\n{message}\n"
    for address in admin_addresses():
        queue_mail(address, f"Contact form: {subject}"[:200], body)
    if policy.is_signed_in(sender) and sender.is_confirmed:
        queue_mail(sender.email, "Your message to What Works Network",
                   "A copy of what you sent us through the contact form:\n\n" + body)
    db.session.commit()
