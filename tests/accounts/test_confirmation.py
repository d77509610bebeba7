"""Verified addresses (issue 14): registration, confirming, the one gate on changes
before confirming, resending, changing one's address."""
import re
from datetime import timedelta

from sqlalchemy import select

from network.accounts.models import EmailConfirmation, User
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Membership
from network.notifications.models import OutboxMail
from tests.accounts.test_password_reset import smtp  # noqa: F401  (the loopback SMTP fixture)
from tests.accounts.test_register import GOOD, _register
from tests.factories import TEST_PASSWORD


def _outbox(app, to=None):
    with app.app_context():
        stmt = select(OutboxMail).order_by(OutboxMail.id)
        if to:
            stmt = stmt.where(OutboxMail.to_addr == to)
        return [(m.to_addr, m.subject, m.body) for m in db.session.scalars(stmt)]


def _confirm_path(body: str) -> str:
    return re.search(r"http://whatworks\.test(/auth/confirm/\S+)", body).group(1)


def _user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_a_new_address_gets_a_link_that_confirms_it_once(app, client):
    _register(client)
    [(to, subject, body)] = _outbox(app)
    assert to == "alice@example.org" and "Confirm your email address" in subject
    path = _confirm_path(body)
    assert client.get(path).status_code == 200
    assert _user(app, "alice.w").email_confirmed_at is None  # GET changes nothing
    assert client.post(path).status_code == 302
    assert _user(app, "alice.w").email_confirmed_at is not None
    assert client.post(path).status_code == 404  # used


def test_registering_a_known_address_mails_its_owner_and_shows_the_same_page(app, client, make_user):
    fresh = _register(client, username="fresh.one", email="fresh@example.org")
    make_user(username="owner", email="alice@example.org")
    again = _register(client, username="someone.else")
    assert fresh.status_code == again.status_code == 200
    strip = lambda page, email: page.replace(email, "EMAIL")  # noqa: E731
    assert strip(fresh.get_data(as_text=True), "fresh@example.org") == \
        strip(again.get_data(as_text=True), "alice@example.org")
    [(to, subject, body)] = _outbox(app, "alice@example.org")
    assert "tried to register" in subject and "/auth/confirm/" not in body
    assert _user(app, "someone.else") is None


def test_an_expired_link_does_not_confirm(app, client):
    _register(client)
    path = _confirm_path(_outbox(app)[0][2])
    with app.app_context():
        db.session.execute(db.update(EmailConfirmation).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    response = client.post(path)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    assert _user(app, "alice.w").email_confirmed_at is None


def test_an_unconfirmed_person_cannot_join_or_post_but_can_edit_their_profile(
        app, client, login, make_user, make_network, make_thread):
    person = make_user(username="newbie", confirmed=False)
    network = make_network(visibility="open")
    login(client, person)
    refused = client.post(f"/networks/{network.slug}/join")
    assert refused.status_code == 403
    page = refused.get_data(as_text=True)
    assert "Confirm your email address first" in page and "/auth/confirm/resend" in page
    with app.app_context():
        assert db.session.scalar(select(Membership).where(Membership.user_id == person.id)) is None
    saved = client.post("/settings/profile", data={"display_name": "New Name", "sector": "nhs"})
    assert saved.status_code == 302
    assert _user(app, "newbie").display_name == "New Name"


def test_a_confirmed_person_can_join(app, client, login, make_user, make_network):
    person = make_user(username="settled")
    network = make_network(visibility="open")
    login(client, person)
    assert client.post(f"/networks/{network.slug}/join").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Membership).where(Membership.user_id == person.id))


def test_an_unconfirmed_person_can_sign_in_and_read(app, client, make_user, make_network):
    make_user(username="reader", confirmed=False)
    response = client.post("/auth/login", data={"login": "reader", "password": TEST_PASSWORD})
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Confirm your email address to post" in page


def test_resend_is_rate_limited(make_app, login, make_user):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    from tests.factories import make_user as factory_make_user
    person = factory_make_user(app, username="waiting", confirmed=False)
    login(client, person)
    codes = [client.post("/auth/confirm/resend").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert len(_outbox(app, "waiting@example.org")) == 3


def test_changing_email_needs_the_password_and_confirms_the_new_address(app, client, login, make_user):
    person = make_user(username="mover", email="old@example.org")
    login(client, person)
    wrong = client.post("/settings/email", data={"email": "new@example.org", "password": "nope"})
    assert wrong.status_code == 400 and "password is not right" in wrong.get_data(as_text=True)
    assert _outbox(app) == []
    done = client.post("/settings/email", data={"email": "New@example.org", "password": TEST_PASSWORD})
    assert done.status_code == 302
    assert _user(app, "mover").email == "old@example.org"  # not until confirmed
    [(_, _, link_mail)] = _outbox(app, "new@example.org")
    assert "A change of email address" in _outbox(app, "old@example.org")[0][1]
    assert client.post(_confirm_path(link_mail)).status_code == 302
    assert _user(app, "mover").email == "new@example.org"
    assert any("has changed" in subject for _, subject, _ in _outbox(app, "old@example.org"))


def test_changing_to_an_address_in_use_is_refused(app, client, login, make_user):
    make_user(username="first", email="taken@example.org")
    person = make_user(username="second")
    login(client, person)
    response = client.post("/settings/email", data={"email": "taken@example.org",
                                                    "password": TEST_PASSWORD})
    assert response.status_code == 400 and "already used" in response.get_data(as_text=True)


def test_the_confirmation_mail_arrives_over_smtp(make_app, smtp):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url)
    client = app.test_client()
    client.post("/auth/register", data=GOOD, buffered=True)
    [(recipients, message)] = smtp.messages
    assert recipients == ["alice@example.org"]
    assert client.post(_confirm_path(message)).status_code == 302


def test_verified_domains_match_exactly_or_under_a_wildcard():
    from network.accounts.confirmation import on_verified_domain

    domains = ("nhs.net", "*.gov.uk")
    assert on_verified_domain("a.nurse@nhs.net", domains)
    assert on_verified_domain("Officer@Leeds.GOV.uk", domains)
    assert on_verified_domain("x@a.b.gov.uk", domains)
    for lookalike in ("x@evilnhs.net", "x@nhs.net.evil.com", "x@gov.uk", "x@fakegov.uk",
                      "nhs.net", "", "x@", "x@nhs.net@evil.com"):
        assert not on_verified_domain(lookalike, domains), lookalike


def test_a_confirmed_address_on_a_listed_domain_is_marked_on_the_profile(make_app, make_user):
    app = make_app(VERIFIED_DOMAINS=("nhs.net", "*.gov.uk"))
    nurse = make_user(username="nurse", email="nurse@nhs.net")
    waiting = make_user(username="waiting", email="waiting@nhs.net", confirmed=False)
    other = make_user(username="other", email="other@example.org")
    client = app.test_client()
    assert "Verified organisation address" in client.get("/members/nurse").get_data(as_text=True)
    for name in ("waiting", "other"):
        assert "Verified organisation address" not in client.get(
            f"/members/{name}").get_data(as_text=True)
    assert "nurse@nhs.net" not in client.get("/members/nurse").get_data(as_text=True)
    assert waiting and other


def test_verified_domains_that_are_not_domains_are_refused():
    import pytest

    from network.config import ConfigError, _domains

    assert _domains(" nhs.net , *.gov.uk ") == ("nhs.net", "*.gov.uk")
    for bad in ("*", "*.", "nhs", "a@nhs.net", "*.*.uk"):
        with pytest.raises(ConfigError):
            _domains(bad)
