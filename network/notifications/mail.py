"""Mail goes through the outbox table; it is sent over SMTP when MAIL_URL is set.

Links in mail are built from BASE_URL, never from the request's Host header.
"""
import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from network.core.time import utcnow
from network.extensions import db
from network.notifications.models import OutboxMail

log = logging.getLogger("network.mail")
MAX_ATTEMPTS = 5


def absolute_url(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def queue_mail(to_addr: str, subject: str, body: str) -> OutboxMail:
    """Add a message to the outbox in the caller's transaction."""
    mail = OutboxMail(to_addr=to_addr, subject=subject, body=body)
    db.session.add(mail)
    return mail


def _smtp_target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", ""}:
        raise ValueError(f"MAIL_URL must be smtp://host:port, not {parts.scheme}://")
    return parts.hostname or "127.0.0.1", parts.port or 25


def send_after_response(response):
    """Send queued mail once ``response`` has gone to the client.

    The answer to a reset request must not take longer when the address has an
    account (a mail server is slow, and timing would tell an attacker which
    addresses are registered), and nobody should wait for a mail server. The
    WSGI server closes the response after sending it; the mail goes then."""
    app = current_app._get_current_object()

    def send():
        with app.app_context():
            try:
                send_pending()
            except Exception:  # noqa: BLE001 - the answer has gone; log and keep the mail
                log.exception("sending queued mail failed")
            finally:
                db.session.remove()

    response.call_on_close(send)
    return response


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send queued mail over SMTP (if MAIL_URL is set). Returns (sent, failed).

    Without MAIL_URL the mail stays in the outbox and its subject is logged,
    so a development machine never needs a mail server.
    """
    mail_url = current_app.config.get("MAIL_URL")
    # Two workers sending at once must not send the same message twice: on
    # PostgreSQL each takes the rows the other has not locked; SQLite writes one
    # transaction at a time anyway (BEGIN IMMEDIATE).
    pending = db.session.scalars(
        select(OutboxMail).where(OutboxMail.sent_at.is_(None),
                                 OutboxMail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMail.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not mail_url:
        for mail in pending:
            log.info("mail kept in outbox (MAIL_URL unset): to=%s subject=%r",
                     mail.to_addr, mail.subject)
        return 0, 0
    host, port = _smtp_target(mail_url)
    sent = failed = 0
    try:
        smtp = smtplib.SMTP(host, port, timeout=10)
    except OSError as exc:
        for mail in pending:
            mail.attempts += 1
            mail.last_error = f"connect: {exc}"[:1000]
        db.session.commit()
        log.warning("could not reach mail server %s:%s: %s", host, port, exc)
        return 0, len(pending)
    with smtp:
        for mail in pending:
            message = EmailMessage()
            message["From"] = current_app.config["MAIL_FROM"]
            message["To"] = mail.to_addr
            message["Subject"] = mail.subject
            message.set_content(mail.body)
            mail.attempts += 1
            try:
                smtp.send_message(message)
            except smtplib.SMTPException as exc:
                mail.last_error = str(exc)[:1000]
                failed += 1
            else:
                mail.sent_at = utcnow()
                mail.last_error = ""
                sent += 1
    db.session.commit()
    return sent, failed
