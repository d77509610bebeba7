"""Moderators hide a comment and show it again, with a reason; counters stay right."""
from sqlalchemy import select

from network.articles.models import Article, Comment
from network.extensions import db
from network.moderation.models import ModerationAction
from tests.moderation.conftest import get


def test_hide_toggles_and_keeps_the_comment_count(app, make_user, make_network, make_article,
                                                  make_comment, login):
    manager, author = make_user(), make_user()
    network = make_network(managers=[manager], members=[author])
    article = make_article(make_user(role="associate"), network=network)
    comment_id = make_comment(article, author).id
    client = login(app.test_client(), manager)
    assert "Hide a comment" in client.get(f"/comments/{comment_id}/hide").get_data(as_text=True)
    response = client.post(f"/comments/{comment_id}/hide", data={"reason": "Names a patient"})
    assert response.status_code == 302
    assert response.location.endswith(f"/comments/{comment_id}")  # lands on the right page
    assert get(app, Comment, comment_id).status == "hidden"
    assert get(app, Article, article.id).comment_count == 0
    assert "Restore a comment" in client.get(f"/comments/{comment_id}/hide").get_data(as_text=True)
    client.post(f"/comments/{comment_id}/hide", data={"reason": "Edited by author"})
    assert get(app, Comment, comment_id).status == "visible"
    assert get(app, Article, article.id).comment_count == 1
    with app.app_context():
        assert [(e.action, e.network_id, e.reason) for e in db.session.scalars(
            select(ModerationAction).order_by(ModerationAction.id))] == [
            ("hide", network.id, "Names a patient"), ("restore", network.id, "Edited by author")]


def test_hiding_a_comment_uncounts_it_and_is_logged_and_members_cannot(
        app, make_user, make_article, make_comment, login):
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user(), body="Spam spam").id
    member = login(app.test_client(), make_user())
    assert member.post(f"/comments/{comment_id}/hide", data={"reason": "x"}).status_code == 403
    assert get(app, Comment, comment_id).status == "visible"
    moderator = login(app.test_client(), make_user(role="moderator"))
    assert moderator.post(f"/comments/{comment_id}/hide",
                          data={"reason": "spam"}).status_code == 302
    assert get(app, Comment, comment_id).status == "hidden"
    assert get(app, Article, article.id).comment_count == 0
    with app.app_context():
        [entry] = db.session.scalars(select(ModerationAction)).all()
        assert (entry.action, entry.target_type, entry.target_id, entry.reason) == (
            "hide", "comment", comment_id, "spam")


def test_comments_outside_networks_are_for_site_moderators_only(app, make_user, make_network,
                                                                make_article, make_comment, login):
    manager = make_user()
    make_network(managers=[manager])
    comment_id = make_comment(make_article(make_user(role="associate")), make_user()).id
    response = login(app.test_client(), manager).post(f"/comments/{comment_id}/hide",
                                                      data={"reason": "x"})
    assert response.status_code == 403
    response = login(app.test_client(), make_user(role="moderator")).post(
        f"/comments/{comment_id}/hide", data={"reason": "Spam"})
    assert response.status_code == 302 and get(app, Comment, comment_id).status == "hidden"


def test_hiding_needs_a_reason_and_refuses_deleted_comments(app, make_user, make_article,
                                                            make_comment, login):
    moderator = make_user(role="moderator")
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user()).id
    deleted_id = make_comment(article, make_user(), status="deleted").id
    client = login(app.test_client(), moderator)
    response = client.post(f"/comments/{comment_id}/hide", data={"reason": "   "})
    assert response.status_code == 400 and "Give a reason" in response.get_data(as_text=True)
    assert get(app, Comment, comment_id).status == "visible"
    refused = client.post(f"/comments/{deleted_id}/hide", data={"reason": "x"})
    assert refused.status_code == 409 and "Only content that is shown" in refused.get_data(as_text=True)
    assert get(app, Comment, deleted_id).status == "deleted"
    assert client.post("/comments/4294967296/hide", data={"reason": "x"}).status_code == 404


def test_moderators_get_404_for_comments_of_a_withdrawn_article(app, make_user, make_article,
                                                                make_comment, login):
    article = make_article(make_user(role="associate"), title="Pulled piece")
    comment_id = make_comment(article, make_user(), body="Words under a pulled piece").id
    with app.app_context():
        db.session.execute(db.update(Article).where(Article.id == article.id)
                           .values(status="withdrawn"))
        db.session.commit()
    moderator = login(app.test_client(), make_user(role="moderator"))
    assert moderator.get(f"/articles/{article.slug}").status_code == 404
    for url in (f"/comments/{comment_id}/hide", f"/comments/{comment_id}/flag"):
        response = moderator.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 404, url
        assert "Pulled piece" not in page and "Words under a pulled piece" not in page
        assert moderator.post(url, data={"reason": "spam"}).status_code == 404, url
    assert get(app, Comment, comment_id).status == "visible"
    # Admins may read withdrawn articles, so they may act on their comments.
    admin = login(app.test_client(), make_user(role="admin"))
    assert admin.get(f"/comments/{comment_id}/hide").status_code == 200


def test_pressing_hide_twice_does_not_show_the_comment_again(app, make_user, make_article,
                                                             make_comment, login):
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user(), body="Twice pressed").id
    client = login(app.test_client(), make_user(role="moderator"))
    url = f"/comments/{comment_id}/hide"
    assert 'name="state" type="hidden" value="on"' in client.get(url).get_data(as_text=True)
    for _ in range(2):
        response = client.post(url, data={"state": "on", "reason": "Spam"})
        assert response.status_code == 302
        assert get(app, Comment, comment_id).status == "hidden"
    page = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "This comment is already hidden." in page
    assert 'name="state" type="hidden" value="off"' in client.get(url).get_data(as_text=True)
    for _ in range(2):
        client.post(url, data={"state": "off", "reason": "Fine after all"})
        assert get(app, Comment, comment_id).status == "visible"
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "This comment is already on show." in page
    assert get(app, Article, article.id).comment_count == 1
    with app.app_context():
        assert [e.action for e in db.session.scalars(
            select(ModerationAction).order_by(ModerationAction.id))] == ["hide", "restore"]
