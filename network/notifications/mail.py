"""Mail goes through the outbox table; it is sent over SMTP when MAIL_URL is set.

Links in mail are built from BASE_URL, never from the request's Host header.
"""
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from markupsafe import escape
from sqlalchemy import or_, select

from network.core.time import utcnow
from network.extensions import db
from network.notifications.models import OutboxMail

log = logging.getLogger("network.mail")
MAX_ATTEMPTS = 5


def absolute_url(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def notification_mail(kind: str, text: str, url: str,
                      network_id: int | None) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the mail for one notification. Content in a
    network that is not open is never quoted: the mail names the network (its
    reader is a member) and says there is something new, with a link."""
    from network.networks.models import Network
    from network.notifications.kinds import LABELS
    from network.notifications.services import CONTENT_KINDS

    link = absolute_url(url) if url else absolute_url("/notifications/")
    network = db.session.get(Network, network_id) if network_id is not None else None
    if kind in CONTENT_KINDS and network is not None and network.visibility != "open":
        subject = f"{LABELS.get(kind, 'Something new')} in {network.name}"
        said = f"There is something new for you in {network.name}. Sign in to read it."
    else:
        subject, said = text, text
    subject = " ".join(subject.split())[:200]
    body = f"{said}\n\n{link}\n"
    html = (f"<p>{escape(said)}</p>\n"
            f'<p><a href="{escape(link)}">{escape(link)}</a></p>\n')
    return subject, body, html


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


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 2, 4, 8, 16 minutes after the 1st to 4th failure."""
    return timedelta(minutes=2 ** attempts)


def _failed(mail: OutboxMail, error: str) -> None:
    mail.last_error = error[:1000]
    mail.next_try_at = utcnow() + retry_delay(mail.attempts)


def _message(mail: OutboxMail) -> EmailMessage:
    """The message as sent: plain text, an HTML part when there is one, and for
    notification mail a visible unsubscribe link with the RFC 8058 headers
    (built now, from the person and group stored with the mail)."""
    from network.notifications.unsubscribe import make_token

    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.to_addr
    message["Subject"] = mail.subject
    body, html = mail.body, mail.html_body
    if mail.user_id is not None and mail.group:
        link = absolute_url(f"/unsubscribe/{make_token(mail.user_id, mail.group)}")
        settings = absolute_url("/settings/notifications")
        body += (f"\n--\nStop these e-mails: {link}\n"
                 f"Choose which e-mails you get: {settings}\n")
        html += (f'<hr>\n<p><a href="{escape(link)}">Stop these e-mails</a> · '
                 f'<a href="{escape(settings)}">Choose which e-mails you get</a></p>\n')
        sender = current_app.config["MAIL_FROM"].rsplit("<", 1)[-1].rstrip(">").strip()
        message["List-Unsubscribe"] = (f"<{link}>, <mailto:{sender}"
                                       f"?subject=unsubscribe-{mail.group}>")
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    return message


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
                                 OutboxMail.attempts < MAX_ATTEMPTS,
                                 or_(OutboxMail.next_try_at.is_(None),
                                     OutboxMail.next_try_at <= utcnow()))
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
            _failed(mail, f"connect: {exc}")
        db.session.commit()
        log.warning("could not reach mail server %s:%s: %s", host, port, exc)
        return 0, len(pending)
    with smtp:
        for mail in pending:
            message = _message(mail)
            mail.attempts += 1
            try:
                smtp.send_message(message)
            except smtplib.SMTPException as exc:
                _failed(mail, str(exc))
                failed += 1
            else:
                mail.sent_at = utcnow()
                mail.last_error = ""
                sent += 1
    db.session.commit()
    return sent, failed
