"""Never leak private content: told only when one may read it, shown only while one still may."""
from sqlalchemy import delete, select, update

from network.extensions import db
from network.networks.models import Membership, Network
from network.notifications.models import Notification


def test_mention_shown_only_while_the_network_is_readable(app, make_user, make_network,
                                                         make_thread, login):
    author, reader = make_user(trusted=True), make_user(username="leaver")
    network = make_network(visibility="private", members=[author, reader])
    thread = make_thread(network, author, title="Staffing secrets")
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply",
                                          data={"body": "@leaver see this"})
    client = login(app.test_client(), reader)
    assert "Staffing secrets" in client.get("/notifications/?show=mentions").get_data(as_text=True)
    assert "Notifications, 1 unread" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == reader.id))
        db.session.commit()
    for show in ("all", "unread", "mentions"):
        assert "Staffing secrets" not in client.get(f"/notifications/?show={show}").get_data(as_text=True)
    assert "unread" not in client.get("/").get_data(as_text=True).split("</header>")[0]


def test_closed_network_content_hidden_from_former_members(app, make_user, make_network,
                                                           make_thread, login):
    author, reader = make_user(trusted=True), make_user(username="closedreader")
    network = make_network(visibility="closed", members=[author, reader])
    thread = make_thread(network, author, title="Members only plan")
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply",
                                          data={"body": "@closedreader here"})
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == reader.id))
        db.session.commit()
    page = login(app.test_client(), reader).get("/notifications/").get_data(as_text=True)
    assert "Members only plan" not in page


def test_a_network_turned_private_hides_what_was_said_in_it(app, make_user, make_network,
                                                            make_thread, login):
    author, outsider = make_user(trusted=True), make_user(username="openreader")
    network = make_network(visibility="open", members=[author])
    thread = make_thread(network, author, title="Was public")
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply",
                                          data={"body": "@openreader hello"})
    with app.app_context():
        assert db.session.scalar(select(Notification.user_id)) == outsider.id
        db.session.execute(update(Network).where(Network.id == network.id)
                           .values(visibility="private"))
        db.session.commit()
    page = login(app.test_client(), outsider).get("/notifications/").get_data(as_text=True)
    assert "Was public" not in page


def test_a_comment_in_a_private_network_tells_only_its_readers(app, make_user, make_network,
                                                              make_thread, make_article, login):
    writer = make_user(role="associate", trusted=True)
    member, outsider = make_user(username="insider"), make_user(username="stranger")
    network = make_network(visibility="private", members=[writer, member])
    article = make_article(writer, title="Private piece", network=network)
    login(app.test_client(), writer).post(f"/articles/{article.slug}/comments",
                                          data={"body": "@insider and @stranger"})
    with app.app_context():
        told = db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "mention")).all()
    assert told == [member.id]
