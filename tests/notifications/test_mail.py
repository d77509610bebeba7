"""Notification mail end to end through a real SMTP server on loopback: what
arrives, one-click unsubscribe (RFC 8058), digests, and privacy."""
import email
import email.policy
import re

from sqlalchemy import delete, select

from network.extensions import db
from network.networks.models import Membership
from network.notifications.digest import send_digests
from network.notifications.mail import send_pending
from network.notifications.models import Notification, NotificationSetting, OutboxMail
from network.notifications.services import choose_delivery, settings_for
from tests.accounts.test_password_reset import smtp  # noqa: F401 - the loopback SMTP fixture


def _arrived(app, smtp):  # noqa: F811
    with app.app_context():
        send_pending()
    messages = [email.message_from_string(raw, policy=email.policy.default)
                for _to, raw in smtp.messages]
    smtp.messages.clear()
    return messages


def _parts(message):
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return plain, html


def _unsubscribe_path(message) -> str:
    link = re.search(r"<(http[^>]+)>", message["List-Unsubscribe"]).group(1)
    return link.removeprefix("http://whatworks.test")


def _scene(make_user, make_network, make_thread, visibility="open"):
    author = make_user(trusted=True, display_name="Sally Carter")
    reader = make_user(username="kim", email="kim@example.org")
    network = make_network(visibility=visibility, members=[author, reader],
                           name="Care-home in-reach")
    thread = make_thread(network, author, title="How often to visit")
    return author, reader, network, thread


def test_a_mention_mails_at_once_with_both_parts_and_unsubscribe_headers(
        make_app, smtp, make_user, make_network, make_thread, login):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url)
    author, reader, network, thread = _scene(make_user, make_network, make_thread)
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply",
                                          data={"body": "What do you think, @kim?"})
    [message] = _arrived(app, smtp)
    assert message["To"] == "kim@example.org"
    assert message["Subject"] == "Sally Carter mentioned you in How often to visit"
    plain, html = _parts(message)
    assert "http://whatworks.test/posts/" in plain and 'href="http://whatworks.test/posts/' in html
    assert "Stop these e-mails: http://whatworks.test/unsubscribe/" in plain
    assert "Stop these e-mails</a>" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://whatworks\.test/unsubscribe/[^>]+>, <mailto:[^>]+>",
                        message["List-Unsubscribe"])


def test_one_click_unsubscribe_needs_no_session_or_form_token(
        make_app, smtp, make_user, make_network, make_thread, login):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url, WTF_CSRF_ENABLED=True)
    author, reader, network, thread = _scene(make_user, make_network, make_thread)
    writer = login(app.test_client(), author)
    with app.app_context():  # the writer's form would need a token: post through the service
        from network.accounts.models import User
        from network.forum import services as forum
        from network.forum.models import Thread
        forum.reply(db.session.get(User, author.id), db.session.get(Thread, thread.id), "@kim hi")
    [message] = _arrived(app, smtp)
    path = _unsubscribe_path(message)
    stranger = app.test_client()
    confirm = stranger.get(path)
    assert confirm.status_code == 200 and "Stop these e-mails" in confirm.get_data(as_text=True)
    with app.app_context():
        assert settings_for(reader)["mentions"] == "immediate"  # GET changed nothing
    done = stranger.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no more e-mails" in done.get_data(as_text=True)
    with app.app_context():
        assert settings_for(reader)["mentions"] == "app"
        assert settings_for(reader)["replies"] == "immediate"  # only that kind
    again = stranger.post(path)
    assert "Nothing has been changed" in again.get_data(as_text=True)
    assert writer is not None


def test_a_tampered_token_changes_nothing(app, make_user):
    user = make_user()
    with app.app_context():
        from network.notifications.unsubscribe import make_token
        token = make_token(user.id, "mentions")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    answer = app.test_client().post(f"/unsubscribe/{forged}")
    assert answer.status_code == 400 and "not valid" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(NotificationSetting)) is None


def test_private_network_mail_names_the_network_and_carries_no_text(
        make_app, smtp, make_user, make_network, make_thread, login):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url)
    author, reader, network, thread = _scene(make_user, make_network, make_thread, "private")
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply",
                                          data={"body": "@kim the secret rota plan"})
    [message] = _arrived(app, smtp)
    plain, html = _parts(message)
    assert message["Subject"] == "You were mentioned in Care-home in-reach"
    for part in (plain, html, message["Subject"]):
        assert "secret rota" not in part and "How often to visit" not in part
    assert "something new for you in Care-home in-reach" in plain


def test_subjects_differ_for_different_things(make_app, smtp, make_user, make_network,
                                              make_thread, login):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url)
    author, reader, network, thread = _scene(make_user, make_network, make_thread)
    other = make_thread(network, author, title="Weekend cover")
    client = login(app.test_client(), author)
    client.post(f"/threads/{thread.id}/reply", data={"body": "@kim one"})
    client.post(f"/threads/{other.id}/reply", data={"body": "@kim two"})
    subjects = [m["Subject"] for m in _arrived(app, smtp)]
    assert len(subjects) == 2 and subjects[0] != subjects[1]


def test_settings_page_turns_a_kind_off(app, make_user, make_network, make_thread, login):
    author, reader, network, thread = _scene(make_user, make_network, make_thread)
    client = login(app.test_client(), reader)
    assert "When someone mentions you" in client.get("/settings/notifications").get_data(as_text=True)
    form = {"mentions": "off", "replies": "app", "watching": "daily", "networks": "immediate",
            "moderation": "weekly"}
    assert client.post("/settings/notifications", data=form).status_code == 302
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply", data={"body": "@kim"})
    with app.app_context():
        assert db.session.scalar(select(Notification).where(
            Notification.user_id == reader.id)) is None
        assert settings_for(reader)["watching"] == "daily"


def test_settings_refuse_an_unknown_choice(app, make_user, login):
    user = make_user()
    client = login(app.test_client(), user)
    answer = client.post("/settings/notifications", data={"mentions": "loud"})
    assert answer.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(NotificationSetting)) is None


def test_weekly_digest_sends_one_mail_with_what_is_unread(
        make_app, smtp, make_user, make_network, make_thread, login):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url)
    author, reader, network, thread = _scene(make_user, make_network, make_thread)
    other = make_thread(network, author, title="Weekend cover")
    client = login(app.test_client(), reader)
    client.post(f"/threads/{thread.id}/watch", data={"level": "watching"})
    client.post(f"/threads/{other.id}/watch", data={"level": "watching"})
    writer = login(app.test_client(), author)
    writer.post(f"/threads/{thread.id}/reply", data={"body": "First news"})
    writer.post(f"/threads/{other.id}/reply", data={"body": "Second news"})
    writer.post(f"/threads/{other.id}/reply", data={"body": "Third news"})
    with app.app_context():
        read_one = db.session.scalars(select(Notification).where(
            Notification.user_id == reader.id).order_by(Notification.id)).first()
        read_one.read_at = read_one.created_at
        db.session.commit()
    assert _arrived(app, smtp) == []  # watched threads: digest only, by default
    result = app.test_cli_runner().invoke(args=["notifications", "digest", "--weekly"])
    assert "Queued 1 weekly summaries" in result.output
    [message] = _arrived(app, smtp)
    plain, html = _parts(message)
    assert message["To"] == "kim@example.org" and "weekly summary: 2 new" in message["Subject"]
    assert plain.count("New reply in Weekend cover") == 2 and "How often" not in plain
    assert "Care-home in-reach" in plain and "<h2>Care-home in-reach</h2>" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with app.app_context():
        assert send_digests("weekly") == 0  # each notification goes out once
        assert send_digests("daily") == 0


def test_digest_says_nothing_of_a_network_left(make_app, smtp, make_user, make_network,
                                               make_thread, login):  # noqa: F811
    app = make_app(MAIL_URL=smtp.url)
    author, reader, network, thread = _scene(make_user, make_network, make_thread, "private")
    login(app.test_client(), reader).post(f"/threads/{thread.id}/watch",
                                         data={"level": "watching"})
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply", data={"body": "Hi"})
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == reader.id))
        db.session.commit()
        assert send_digests("weekly") == 0
    assert _arrived(app, smtp) == []


def test_daily_digest_takes_only_groups_chosen_daily(app, make_user):
    user = make_user()
    with app.app_context():
        from network.notifications.services import notify
        choose_delivery(user.id, "moderation", "daily")
        notify(user.id, "moderation", "A moderator approved your post")
        notify(user.id, "reply", "New reply in Weekly thing")  # watching: weekly
        db.session.commit()
        assert send_digests("daily") == 1
        mail = db.session.scalar(select(OutboxMail).where(OutboxMail.user_id == user.id))
        assert "approved your post" in mail.body and "Weekly thing" not in mail.body


def test_failed_delivery_backs_off(make_app, make_user):
    app = make_app(MAIL_URL="smtp://127.0.0.1:9")  # nothing listens on the discard port
    user = make_user()
    with app.app_context():
        from network.notifications.services import notify
        notify(user.id, "mention", "Someone mentioned you")
        db.session.commit()
        assert send_pending() == (0, 1)
        assert send_pending() == (0, 0)  # not due again yet
        mail = db.session.scalar(select(OutboxMail))
        assert mail.attempts == 1 and mail.next_try_at is not None
