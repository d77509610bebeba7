"""Leaving with one's data (issue 14): the export and deleting the account."""
import io
import json
import zipfile

from sqlalchemy import select

from network.accounts.models import User
from network.articles.models import Comment
from network.extensions import db
from network.forum.models import Post
from network.networks.models import Membership, Network
from network.notifications.services import notify
from tests.factories import TEST_PASSWORD


def _export(client, password=TEST_PASSWORD):
    return client.post("/settings/account/export", data={"export-password": password})


def _unzip(response) -> dict[str, str]:
    """{name: text} of the files in an export."""
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_export_holds_the_profile_memberships_and_writing(
        app, client, login, make_user, make_network, make_thread, make_article, make_comment):
    person = make_user(username="leaver", role="associate", job_title="Nurse")
    other = make_user(username="other")
    network = make_network(visibility="private", members=[person, other])
    make_thread(network, person, title="My private thread", body="My own words")
    make_thread(network, other, title="Their thread", body="Someone else's secret")
    article = make_article(person, title="My article")
    make_comment(article, other, body="A comment by someone else")
    make_comment(article, person, body="My reply")
    with app.app_context():
        notify(person.id, "moderation", "Something happened")
        db.session.commit()
    login(client, person)
    response = _export(client)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="what-works-network-leaver.zip"')
    files = _unzip(response)
    assert sorted(files) == ["what-works-network-leaver/data.json",
                             "what-works-network-leaver/index.html"]
    data = json.loads(files["what-works-network-leaver/data.json"])
    assert data["profile"]["username"] == "leaver" and data["profile"]["job_title"] == "Nurse"
    assert data["memberships"][0]["network"] == network.slug
    assert [t["title"] for t in data["threads"]] == ["My private thread"]
    assert [p["body"] for p in data["posts"]] == ["My own words"]
    assert [c["body"] for c in data["comments"]] == ["My reply"]
    assert [a["title"] for a in data["articles"]] == ["My article"]
    assert data["notifications"][0]["text"] == "Something happened"
    assert data["sessions"] and data["sessions"][0]["last_seen_at"]
    page = files["what-works-network-leaver/index.html"]
    assert "My own words" in page and "My private thread" in page and "Nurse" in page
    for text in files.values():
        assert "Someone else's secret" not in text and "A comment by someone else" not in text
        assert "other@example.org" not in text and "password" not in text
        assert "token" not in text


def test_export_holds_practices_adoptions_and_events_and_escapes_the_page(
        app, client, login, make_user, make_network):
    from datetime import timedelta

    from network.core.time import utcnow
    from network.events.models import Event
    from network.events.services import attend
    from tests.practices.factories import add_adoption, add_practice

    person = make_user(username="leaver", role="associate")
    manager = make_user()
    network = make_network(visibility="private", members=[person], managers=[manager])
    with app.app_context():
        mine = add_practice(person, title="<script>alert(1)</script> crisis café",
                            summary="Ours <b>bold</b>").slug
        theirs = add_practice(manager, title="Their practice")
        add_adoption(theirs, person, "Leaver Trust", note="We tried it")
        theirs = theirs.slug
        start = utcnow() + timedelta(days=3)
        event = Event(network_id=network.id, title="Secret planning day", starts_at=start,
                      ends_at=start + timedelta(hours=2), created_by_id=manager.id)
        db.session.add(event)
        db.session.commit()
        attend(db.session.get(User, person.id), event)
        db.session.commit()
    login(client, person)
    files = _unzip(_export(client))
    data = json.loads(files["what-works-network-leaver/data.json"])
    assert [p["slug"] for p in data["practices"]] == [mine]
    assert data["practices"][0]["measures"][0]["name"] == "Waiting time"
    assert data["adoptions"][0]["practice"] == theirs
    assert data["adoptions"][0]["organisation"] == "Leaver Trust"
    assert any(row.get("note") == "We tried it" for row in data["adoptions"])
    assert data["events"][0]["title"] == "Secret planning day"
    assert data["events"][0]["state"] == "going"
    page = files["what-works-network-leaver/index.html"]
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page


def test_export_with_a_wrong_password_gives_nothing(client, login, make_user):
    login(client, make_user(username="leaver"))
    response = _export(client, password="not it")
    assert response.status_code == 400
    assert "password is not right" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"


def _delete(client, password=TEST_PASSWORD, remove_text=False):
    data = {"delete-password": password}
    if remove_text:
        data["delete-remove_text"] = "y"
    return client.post("/settings/account/delete", data=data)


def test_deleting_keeps_threads_readable_as_by_a_former_member(
        app, client, login, make_user, make_network, make_thread):
    person = make_user(username="leaver", display_name="Leaving Person")
    other = make_user(username="stayer")
    network = make_network(visibility="open", members=[person], managers=[other])
    thread = make_thread(network, other, posts=2, repliers=[person], title="Rotas")
    login(client, person)
    assert _delete(client, password="wrong").status_code == 400
    response = _delete(client)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user.display_name == "Former member" and user.deleted_at is not None
        assert "leaver@example.org" != user.email and user.organisation == ""
        assert db.session.scalar(select(Membership).where(Membership.user_id == person.id)) is None
        assert db.session.get(Network, network.id).member_count == 1
        assert db.session.scalar(select(Post).where(Post.author_id == person.id)) is not None
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Leaving Person" not in page and "Former member" in page
    assert client.get("/members/leaver").status_code == 404
    assert client.get("/settings/profile").status_code == 302  # signed out
    assert client.post("/auth/login", data={"login": "leaver",
                                            "password": TEST_PASSWORD}).status_code == 400


def test_deleting_signs_out_every_other_device(app, login, make_user):
    person = make_user(username="leaver")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, person)
    login(laptop, person)
    assert _delete(laptop).status_code == 302
    assert phone.get("/settings/profile").status_code == 302


def test_deleting_with_remove_text_leaves_removed_by_its_author(
        app, client, login, make_user, make_network, make_thread, make_article, make_comment):
    person = make_user(username="leaver")
    other = make_user(username="stayer", role="associate")
    network = make_network(visibility="open", members=[person], managers=[other])
    make_thread(network, other, posts=2, repliers=[person])
    article = make_article(other)
    make_comment(article, person, body="My words to remove")
    login(client, person)
    assert _delete(client, remove_text=True).status_code == 302
    with app.app_context():
        bodies = list(db.session.scalars(select(Post.body).where(Post.author_id == person.id)))
        bodies += list(db.session.scalars(select(Comment.body).where(Comment.author_id == person.id)))
        assert bodies and set(bodies) == {"Removed by its author."}


def test_the_only_manager_must_hand_over_first(app, client, login, make_user, make_network):
    person = make_user(username="boss")
    make_network(visibility="open", managers=[person], members=[make_user()], name="Rota Network")
    login(client, person)
    response = _delete(client)
    assert response.status_code == 400
    assert "only manager of Rota Network" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, person.id).deleted_at is None


def test_a_deleted_username_is_never_given_again(app, client, login, make_user):
    from tests.accounts.test_register import _register

    person = make_user(username="alice.w")
    login(client, person)
    _delete(client)
    response = _register(client, email="someone.new@example.org")
    assert response.status_code == 400 and "That username is taken" in response.get_data(as_text=True)
