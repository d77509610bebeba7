"""An archived network is read-only: its comments are neither edited (even inside the
15 minutes) nor deleted by their authors (issue 9's defects)."""
from network.articles.models import Comment
from network.core.time import utcnow
from network.extensions import db


def _status_and_body(app, comment_id):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status, comment.body


def test_comments_in_an_archived_network_cannot_be_edited_or_deleted(
        app, client, login, make_user, make_network, make_article, make_comment):
    writer = make_user(role="associate")
    member = make_user(trusted=True)
    network = make_network(members=[writer, member], archived_at=utcnow())
    article = make_article(writer, network=network)
    comment = make_comment(article, member, body="First thoughts")
    login(client, member)
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f"/comments/{comment.id}/edit" not in page
    assert f"/comments/{comment.id}/delete" not in page
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit",
                       data={"body": "Second thoughts"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    assert _status_and_body(app, comment.id) == ("visible", "First thoughts")


def test_comments_in_a_live_network_can_still_be_edited_and_deleted(
        app, client, login, make_user, make_network, make_article, make_comment):
    writer = make_user(role="associate")
    member = make_user(trusted=True)
    network = make_network(members=[writer, member])
    article = make_article(writer, network=network)
    comment = make_comment(article, member, body="First thoughts")
    login(client, member)
    assert client.post(f"/comments/{comment.id}/edit",
                       data={"body": "Second thoughts"}).status_code == 302
    assert client.post(f"/comments/{comment.id}/delete").status_code == 302
    assert _status_and_body(app, comment.id) == ("deleted", "Second thoughts")
