"""Moderators remove a comment for good, with a reason; the page says a moderator did."""
from sqlalchemy import select

from network.articles.models import Article, Comment
from network.extensions import db
from network.moderation.models import ModerationAction
from network.notifications.models import Notification
from tests.moderation.conftest import get


def _log(app):
    with app.app_context():
        return [(e.action, e.target_type, e.target_id, e.reason, e.network_id)
                for e in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))]


def test_manager_removes_a_comment_with_a_reason_and_the_page_says_a_moderator_did(
        app, make_user, make_network, make_article, make_comment, login):
    manager, author = make_user(), make_user()
    client = login(app.test_client(), manager)
    network = make_network(managers=[manager], members=[author])
    article = make_article(make_user(role="associate"), network=network)
    comment_id = make_comment(article, author, body="Phone me on 07700 900123").id
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'href="/comments/{comment_id}/remove"' in page
    assert "Remove a comment" in client.get(f"/comments/{comment_id}/remove").get_data(as_text=True)
    refused = client.post(f"/comments/{comment_id}/remove", data={"reason": "  "})
    assert refused.status_code == 400 and "Give a reason" in refused.get_data(as_text=True)
    assert get(app, Comment, comment_id).status == "visible"
    response = client.post(f"/comments/{comment_id}/remove", data={"reason": "Personal data"})
    assert response.status_code == 302 and response.location.endswith(f"/comments/{comment_id}")
    assert get(app, Comment, comment_id).status == "deleted"
    assert get(app, Article, article.id).comment_count == 0
    assert _log(app) == [("delete_comment", "comment", comment_id, "Personal data", network.id)]
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
        assert "Personal data" in note.text
    for reader in (app.test_client(), login(app.test_client(), author), client):
        page = reader.get(f"/articles/{article.slug}").get_data(as_text=True)
        assert "Comment removed by a moderator" in page and "07700 900123" not in page
        assert "Comment deleted by its author" not in page


def test_removing_twice_says_so_and_changes_nothing(app, make_user, make_article, make_comment,
                                                    login):
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user()).id
    client = login(app.test_client(), make_user(role="moderator"))
    for _ in range(2):
        response = client.post(f"/comments/{comment_id}/remove", data={"reason": "Spam"})
        assert response.status_code == 302
    page = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "This comment is already deleted." in page
    assert [entry[0] for entry in _log(app)] == ["delete_comment"]


def test_only_the_articles_moderators_may_remove_a_comment(app, make_user, make_network,
                                                           make_article, make_comment, login):
    manager, other_manager, member = make_user(), make_user(), make_user()
    network = make_network(managers=[manager], members=[member])
    make_network(managers=[other_manager])
    in_network = make_comment(make_article(make_user(role="associate"), network=network),
                              make_user()).id
    loose_article = make_article(make_user(role="associate"))
    loose = make_comment(loose_article, make_user()).id
    for person, comment_id in ((member, in_network), (other_manager, in_network),
                               (manager, loose)):
        client = login(app.test_client(), person)
        assert client.post(f"/comments/{comment_id}/remove",
                           data={"reason": "Mine to remove?"}).status_code == 403
    page = login(app.test_client(), manager).get(
        f"/articles/{loose_article.slug}").get_data(as_text=True)
    assert f"/comments/{loose}/remove" not in page
    assert get(app, Comment, in_network).status == "visible"
    assert get(app, Comment, loose).status == "visible" and _log(app) == []


def test_a_comment_its_author_deleted_still_says_so(app, make_user, make_article, make_comment,
                                                   login):
    article = make_article(make_user(role="associate"))
    writer = make_user(trusted=True)
    comment_id = make_comment(article, writer, body="Second thoughts").id
    assert login(app.test_client(), writer).post(f"/comments/{comment_id}/delete").status_code == 302
    page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Comment deleted by its author" in page and "removed by a moderator" not in page
