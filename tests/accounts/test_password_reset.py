"""Password reset by an emailed one-time token, sent through a real SMTP server."""
import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from network.accounts.models import PasswordReset
from network.core.time import utcnow
from network.extensions import db
from network.notifications.models import OutboxMail


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(MAIL_URL=smtp.url)


def _link(message: str) -> str:
    return re.search(r"http://whatworks\.test(/auth/reset/\S+)", message).group(1)


def test_reset_mail_arrives_and_the_link_works_once(mail_app, smtp, make_user):
    make_user(username="jo", email="jo@example.org")
    client = mail_app.test_client()
    response = client.post("/auth/reset", data={"email": "JO@example.org"}, buffered=True)
    assert "Check your email" in response.get_data(as_text=True)
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["jo@example.org"]
    path = _link(message)
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "brand new password", "confirm": "brand new password"})
    assert done.status_code == 302
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"login": "jo", "password": "brand new password"}).status_code == 302
    assert client.get(path).status_code == 404  # one time only
    with mail_app.app_context():
        assert db.session.scalar(select(OutboxMail.sent_at)) is not None


def test_reset_answers_the_same_for_unknown_addresses(mail_app, smtp, make_user):
    make_user(username="kim", email="kim@example.org")
    client = mail_app.test_client()
    known = client.post("/auth/reset", data={"email": "kim@example.org"},
                        buffered=True).get_data(as_text=True)
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"},
                          buffered=True).get_data(as_text=True)
    strip = lambda page: page.replace("kim@example.org", "X").replace("nobody@example.org", "X")  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(smtp.messages) == 1


def test_reset_link_uses_base_url_not_the_host_header(mail_app, smtp, make_user):
    make_user(username="lee", email="lee@example.org")
    mail_app.test_client().post("/auth/reset", data={"email": "lee@example.org"},
                                headers={"Host": "evil.example"}, buffered=True)
    assert "evil.example" not in smtp.messages[0][1]
    assert "http://whatworks.test/auth/reset/" in smtp.messages[0][1]


def test_expired_token_is_refused(mail_app, smtp, make_user):
    make_user(username="max", email="max@example.org")
    client = mail_app.test_client()
    client.post("/auth/reset", data={"email": "max@example.org"}, buffered=True)
    path = _link(smtp.messages[0][1])
    with mail_app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        reset.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)


def test_reset_ends_other_sessions(mail_app, smtp, make_user, login):
    user = make_user(username="ned", email="ned@example.org")
    other_device = login(mail_app.test_client(), user)
    assert other_device.get("/settings/profile").status_code == 200
    client = mail_app.test_client()
    client.post("/auth/reset", data={"email": "ned@example.org"}, buffered=True)
    client.post(_link(smtp.messages[0][1]), data={"password": "another password", "confirm": "another password"})
    assert other_device.get("/settings/profile").status_code == 302


def test_without_mail_url_mail_stays_in_the_outbox(app, client, make_user):
    make_user(username="ola", email="ola@example.org")
    client.post("/auth/reset", data={"email": "ola@example.org"}, buffered=True)
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail))
        assert mail.sent_at is None and "reset" in mail.subject.lower()


def test_unreachable_mail_server_keeps_the_mail_and_records_the_error(make_app, make_user):
    app = make_app(MAIL_URL="smtp://127.0.0.1:1")
    make_user(username="pat", email="pat@example.org")
    response = app.test_client().post("/auth/reset", data={"email": "pat@example.org"}, buffered=True)
    assert response.status_code == 200
    with app.app_context():
        mail = db.session.scalar(select(OutboxMail))
        assert mail.sent_at is None and mail.attempts == 1 and mail.last_error


def test_mail_goes_after_the_answer_so_timing_tells_nothing(mail_app, smtp, make_user):
    """A WSGI server closes the response once it has been sent; only then does the
    mail go, so an address with an account is not answered more slowly."""
    make_user(username="tam", email="tam@example.org")
    response = mail_app.test_client().post("/auth/reset", data={"email": "tam@example.org"})
    assert response.status_code == 200 and smtp.messages == []
    response.close()
    assert len(smtp.messages) == 1 and smtp.messages[0][0] == ["tam@example.org"]


def _outbox_link(app) -> str:
    with app.app_context():
        body = db.session.scalars(select(OutboxMail.body).order_by(OutboxMail.id.desc())).first()
    return re.search(r"http://whatworks\.test(/auth/reset/\S+)", body).group(1)


def test_changing_the_password_ends_every_outstanding_reset_link(app, make_user):
    make_user(username="quin", email="quin@example.org")
    attacker = app.test_client()  # someone who once read the person's mail
    attacker.post("/auth/reset", data={"email": "quin@example.org"}, buffered=True)
    first = _outbox_link(app)
    attacker.post("/auth/reset", data={"email": "quin@example.org"}, buffered=True)
    second = _outbox_link(app)
    assert attacker.get(first).status_code == attacker.get(second).status_code == 200
    owner = app.test_client()
    owner.post("/auth/login", data={"login": "quin", "password": "correct horse battery"})
    changed = owner.post("/settings/password", data={
        "current": "correct horse battery", "password": "a fresh password", "confirm": "a fresh password"})
    assert changed.status_code == 302
    for link in (first, second):
        assert attacker.get(link).status_code == 404
        used = attacker.post(link, data={"password": "attacker password", "confirm": "attacker password"})
        assert used.status_code == 404
    assert owner.get("/settings/profile").status_code == 200
    assert app.test_client().post("/auth/login", data={
        "login": "quin", "password": "attacker password"}).status_code == 400


def test_resetting_the_password_ends_the_other_reset_links(app, make_user):
    make_user(username="rio", email="rio@example.org")
    client = app.test_client()
    client.post("/auth/reset", data={"email": "rio@example.org"}, buffered=True)
    first = _outbox_link(app)
    client.post("/auth/reset", data={"email": "rio@example.org"}, buffered=True)
    second = _outbox_link(app)
    done = client.post(second, data={"password": "brand new password", "confirm": "brand new password"})
    assert done.status_code == 302
    assert client.get(first).status_code == 404


def test_reset_link_ignores_a_forwarded_host_behind_a_proxy(make_app, make_user):
    app = make_app(PROXY_HOPS=1)
    make_user(username="sam", email="sam@example.org")
    page = app.test_client().post("/auth/reset", data={"email": "sam@example.org"}, buffered=True,
                                  headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example",
                                           "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"})
    assert page.status_code == 200 and "evil.example" not in page.get_data(as_text=True)
    assert _outbox_link(app).startswith("/auth/reset/")
    with app.app_context():
        assert "evil.example" not in db.session.scalar(select(OutboxMail.body))
