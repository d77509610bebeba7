"""The article's author hears of a comment once it is shown, however it got there
(posted by a trusted member, or approved from the queue), with a link to the
comment's own address, which finds its page of the discussion."""
from sqlalchemy import select

from network.extensions import db
from network.notifications.models import Notification


def _notices(app, user):
    with app.app_context():
        return [(n.kind, n.text, n.url) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.id))]


def test_an_approved_comment_tells_the_articles_author_as_a_direct_one_does(
        app, login, make_user, make_article, make_comment):
    author = make_user(role="associate")
    newcomer = make_user(display_name="Nia Newcomer")
    article = make_article(author, title="Rotas that work")
    comment_id = make_comment(article, newcomer, status="pending").id
    client = login(app.test_client(), make_user(role="moderator"))
    response = client.post(f"/moderation/pending/comment/{comment_id}/approve",
                           data={"reason": "Fine"})
    assert response.status_code == 302
    assert _notices(app, author) == [
        ("comment", "Nia Newcomer commented on your article “Rotas that work”.",
         f"/comments/{comment_id}")]


def test_a_comment_notice_links_to_the_comments_own_address(app, login, make_user,
                                                            make_article):
    author = make_user(role="associate")
    article = make_article(author)
    client = login(app.test_client(), make_user(trusted=True))
    client.post(f"/articles/{article.slug}/comments", data={"body": "Useful, thank you."})
    [(kind, _text, url)] = _notices(app, author)
    assert kind == "comment" and url.startswith("/comments/")
    landing = client.get(url)
    assert landing.status_code == 302
    assert landing.location.endswith(f"/articles/{article.slug}#comment-{url.rsplit('/', 1)[1]}")
