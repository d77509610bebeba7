"""The pages a public-sector site must have (issue 14): privacy notice, accessibility
statement, contact form."""
from sqlalchemy import select

from network.extensions import db
from network.notifications.models import OutboxMail

CONTACT = {"name": "Sam Visitor", "email": "sam@example.org", "subject": "A question",
           "message": "How do I join?"}


def _outbox(app):
    with app.app_context():
        return [(m.to_addr, m.subject, m.body)
                for m in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))]


def test_privacy_notice_names_the_controller_the_basis_the_rights_and_the_ico(make_app):
    app = make_app(PRIVACY_CONTROLLER_NAME="Example Health Partnership",
                   PRIVACY_CONTROLLER_ADDRESS="1 High Street, Leeds")
    page = app.test_client().get("/privacy").get_data(as_text=True)
    for text in ("Example Health Partnership", "1 High Street, Leeds", "lawful basis",
                 "How long we keep it", "30 days", "90 days", "rectification", "erasure",
                 "portability", "object", "Information Commissioner", "/settings/account#export",
                 "/settings/account#delete", "/contact"):
        assert text in page, text


def test_accessibility_statement_has_what_the_regulations_ask(client):
    page = client.get("/accessibility").get_data(as_text=True)
    for text in ("WCAG) version 2.2 AA", "Non-accessible content", "How we tested",
                 "axe", "another format", "Equality and Human Rights Commission",
                 "Equality Commission for Northern Ireland", "/contact"):
        assert text in page, text


def test_a_visitor_s_message_goes_to_the_admins_only(app, client, make_user):
    make_user(username="admin1", email="admin1@example.org", role="admin")
    response = client.post("/contact", data=CONTACT)
    assert response.status_code == 302
    mails = _outbox(app)
    assert [to for to, _, _ in mails] == ["admin1@example.org"]  # never to the address typed
    assert "How do I join?" in mails[0][2] and "sam@example.org" in mails[0][2]


def test_a_signed_in_confirmed_sender_gets_a_copy(app, client, login, make_user):
    make_user(username="admin1", email="admin1@example.org", role="admin")
    sender = make_user(username="member1", email="member1@example.org")
    login(client, sender)
    client.post("/contact", data=dict(CONTACT, email="someone.else@example.org"))
    assert sorted(to for to, _, _ in _outbox(app)) == ["admin1@example.org", "member1@example.org"]


def test_an_unconfirmed_sender_is_refused(app, client, login, make_user):
    make_user(username="admin1", role="admin")
    login(client, make_user(username="new1", confirmed=False))
    assert client.post("/contact", data=CONTACT).status_code == 403
    assert _outbox(app) == []


def test_errors_sit_beside_their_fields(client):
    response = client.post("/contact", data=dict(CONTACT, email="not an address", message=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address like" in page and "Enter your message." in page
    assert 'value="Sam Visitor"' in page


def test_the_contact_form_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/contact", data=CONTACT).status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]


def test_the_contact_form_needs_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    assert app.test_client().post("/contact", data=CONTACT).status_code == 400
    assert _outbox(app) == []


def test_guidelines_and_help_pages_exist_and_are_linked_from_every_page(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/guidelines"' in home and 'href="/help"' in home
    guidelines = client.get("/guidelines").get_data(as_text=True)
    assert "What moderators act on" in guidelines and "Abusive or offensive" in guidelines
    index = client.get("/help").get_data(as_text=True)
    for slug in ("joining", "practice", "moderation"):
        assert f'href="/help/{slug}"' in index
        page = client.get(f"/help/{slug}")
        assert page.status_code == 200 and "<h1>" in page.get_data(as_text=True)
    assert client.get("/help/nothing-here").status_code == 404
    assert client.get("/help/..%2Fterms").status_code == 404


def test_flag_forms_and_moderation_notices_point_to_the_guidelines(app, client, login, make_user,
                                                                  make_network, make_thread):
    from network.extensions import db
    from network.notifications.services import notify

    author, reader = make_user(), make_user()
    network = make_network(members=[author, reader])
    thread = make_thread(network, author, posts=1)
    login(client, reader)
    with app.app_context():
        from sqlalchemy import select

        from network.forum.models import Post
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
        notify(reader.id, "moderation", "Your post is hidden. Reason: off-topic")
        db.session.commit()
    assert 'href="/guidelines"' in client.get(f"/posts/{post_id}/flag").get_data(as_text=True)
    notices = client.get("/notifications/").get_data(as_text=True)
    assert "Your post is hidden" in notices and notices.count('href="/guidelines"') >= 2
