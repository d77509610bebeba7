"""Have your say: posting, pre-moderation, editing, deleting, closing and paging comments."""
from datetime import timedelta
from urllib.parse import unquote

import pytest

from network.accounts.models import User
from network.articles.models import Article, Comment
from network.core.time import utcnow
from network.extensions import db
from network.notifications.models import Notification
from tests.articles.conftest import stored


def _count(app, article):
    return stored(app, Article, id=article.id)[0].comment_count


def test_signed_out_visitors_are_asked_to_sign_in_and_come_back(app, make_user, make_article):
    article = make_article(make_user(role="associate"), slug="sign-in-please")
    page = app.test_client().get("/articles/sign-in-please").get_data(as_text=True)
    assert "You must sign in to make a comment" in page
    assert "No comments yet." in page
    assert 'id="comment-form"' not in page
    href = page.split("You must sign in to make a comment")[1].split('href="')[1].split('"')[0]
    assert unquote(href.replace("&amp;", "&")) == "/auth/login?next=/articles/sign-in-please#comments"
    reader = make_user(username="reader")
    response = app.test_client().post("/auth/login", data={
        "login": "reader", "password": "correct horse battery",
        "next": f"/articles/{article.slug}#comments"})
    assert response.status_code == 302
    assert response.location.endswith("/articles/sign-in-please#comments")
    assert reader


def test_signing_in_to_comment_comes_back_to_the_article_not_the_post_only_address(
        app, make_user, make_article):
    article = make_article(make_user(role="associate"), slug="come-back-here")
    visitor = app.test_client()
    response = visitor.post("/articles/come-back-here/comments", data={"body": "Hello"})
    assert response.status_code == 302
    assert unquote(response.location) == "/auth/login?next=/articles/come-back-here#comments"
    make_user(username="returner")
    response = visitor.post("/auth/login", data={
        "login": "returner", "password": "correct horse battery",
        "next": "/articles/come-back-here#comments"})
    assert response.location.endswith("/articles/come-back-here#comments")
    assert visitor.get(f"/articles/{article.slug}").status_code == 200
    assert stored(app, Comment) == []


def test_trusted_member_comment_is_shown_linked_escaped_and_counted(app, make_user, login,
                                                                    make_article):
    author = make_user(role="associate")
    article = make_article(author)
    client = login(app.test_client(), make_user(trusted=True, organisation="Leeds PCN"))
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Links may be included in your comments but HTML is not permitted" in page
    assert 'href="/terms"' in page
    response = client.post(f"/articles/{article.slug}/comments", data={
        "body": "See https://example.org/pack <b>bold</b> <script>alert(1)</script>"})
    assert response.status_code == 302
    [comment] = stored(app, Comment)
    assert response.location.endswith(f"/articles/{article.slug}#comment-{comment.id}")
    assert comment.status == "visible" and _count(app, article) == 1
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert '<a href="https://example.org/pack" rel="nofollow ugc noopener">' in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<script>alert(1)" not in page
    assert "Leeds PCN" in page and "1 comment)" in page
    with app.app_context():
        assert db.session.query(Notification).filter_by(user_id=author.id).count() == 1


def test_untrusted_member_comment_waits_for_approval(app, make_user, login, make_article):
    article = make_article(make_user(role="associate"))
    newcomer = make_user(trusted=False)
    client = login(app.test_client(), newcomer)
    client.post(f"/articles/{article.slug}/comments", data={"body": "My first thoughts"})
    [comment] = stored(app, Comment)
    assert comment.status == "pending" and _count(app, article) == 0
    own = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "My first thoughts" in own and "Awaiting approval" in own
    assert "My first thoughts" not in app.test_client().get(
        f"/articles/{article.slug}").get_data(as_text=True)
    moderator = login(app.test_client(), make_user(role="moderator"))
    assert "My first thoughts" in moderator.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "My first thoughts" in moderator.get("/moderation/").get_data(as_text=True)
    assert moderator.post(f"/moderation/pending/comment/{comment.id}/approve",
                          data={"reason": "Welcome"}).status_code == 302
    assert _count(app, article) == 1
    assert stored(app, User, id=newcomer.id)[0].approved_count == 1  # counts toward trust
    assert "My first thoughts" in app.test_client().get(
        f"/articles/{article.slug}").get_data(as_text=True)


def test_bad_comments_are_refused_and_the_text_kept(app, make_user, login, make_article):
    article = make_article(make_user(role="associate"))
    client = login(app.test_client(), make_user(trusted=True))
    url = f"/articles/{article.slug}/comments"
    response = client.post(url, data={"body": ""})
    assert response.status_code == 400
    assert "Write your comment before posting it." in response.get_data(as_text=True)
    response = client.post(url, data={"body": "   \n\t  "})
    assert response.status_code == 400
    assert "Write your comment before posting it." in response.get_data(as_text=True)
    long_text = "Kept words " + "x" * 10_000
    response = client.post(url, data={"body": long_text})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "10,000 characters or fewer" in page and long_text in page
    response = client.post(url, data={"body": "Hello\x00there"})
    assert response.status_code == 400 and "Hellothere" in response.get_data(as_text=True)
    assert stored(app, Comment) == [] and _count(app, article) == 0


def test_html_comment_is_shown_as_text(app, make_user, login, make_article):
    article = make_article(make_user(role="associate"))
    client = login(app.test_client(), make_user(trusted=True))
    client.post(f"/articles/{article.slug}/comments",
                data={"body": '<img src=x onerror="alert(1)"><iframe src="//evil"></iframe>'})
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "&lt;img src=x" in page and "<img src=x" not in page and "<iframe" not in page


def test_no_comments_on_withdrawn_closed_or_unseen_articles(app, make_user, make_network,
                                                            login, make_article):
    author = make_user(role="associate")
    private = make_network(visibility="private", members=[author])
    withdrawn = make_article(author, status="withdrawn", published_at=utcnow())
    closed = make_article(author, comments_open=False)
    secret = make_article(author, network=private)
    client = login(app.test_client(), make_user(trusted=True))
    assert client.post(f"/articles/{withdrawn.slug}/comments",
                       data={"body": "x"}).status_code == 404
    assert client.post(f"/articles/{closed.slug}/comments", data={"body": "x"}).status_code == 403
    assert client.post(f"/articles/{secret.slug}/comments", data={"body": "x"}).status_code == 404
    assert client.post("/articles/no-such/comments", data={"body": "x"}).status_code == 404
    assert stored(app, Comment) == []
    assert "Comments are closed on this article." in client.get(
        f"/articles/{closed.slug}").get_data(as_text=True)


def test_authors_edit_within_fifteen_minutes(app, make_user, login, make_article, make_comment):
    article = make_article(make_user(role="associate"))
    writer = make_user(trusted=True)
    fresh = make_comment(article, writer, body="Typo heer")
    old = make_comment(article, writer, body="Old words",
                       created_at=utcnow() - timedelta(minutes=16))
    client = login(app.test_client(), writer)
    assert "Typo heer" in client.get(f"/comments/{fresh.id}/edit").get_data(as_text=True)
    response = client.post(f"/comments/{fresh.id}/edit", data={"body": "Typo here"})
    assert response.status_code == 302
    [saved] = stored(app, Comment, id=fresh.id)
    assert saved.body == "Typo here" and saved.edited_at is not None
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "edited" in page and f"/comments/{old.id}/edit" not in page
    assert client.post(f"/comments/{old.id}/edit", data={"body": "Late"}).status_code == 403
    response = client.post(f"/comments/{fresh.id}/edit", data={"body": "  "})
    assert response.status_code == 400
    other = login(app.test_client(), make_user(trusted=True))
    assert other.post(f"/comments/{fresh.id}/edit", data={"body": "Mine"}).status_code == 403
    assert stored(app, Comment, id=fresh.id)[0].body == "Typo here"


def test_author_deletes_a_comment_leaving_a_placeholder(app, make_user, login, make_article,
                                                       make_comment):
    article = make_article(make_user(role="associate"))
    writer = make_user(trusted=True)
    comment = make_comment(article, writer, body="Regretted words")
    assert _count(app, article) == 1
    other = login(app.test_client(), make_user())
    assert other.post(f"/comments/{comment.id}/delete").status_code == 403
    client = login(app.test_client(), writer)
    assert client.post(f"/comments/{comment.id}/delete").status_code == 302
    assert client.post(f"/comments/{comment.id}/delete").status_code in (403, 404)
    assert stored(app, Comment)[0].status == "deleted" and _count(app, article) == 0
    page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Comment deleted by its author" in page and "Regretted words" not in page


def test_hidden_comment_text_is_for_staff_only(app, make_user, login, make_article,
                                               make_comment):
    article = make_article(make_user(role="associate"))
    make_comment(article, make_user(), body="Rude remark", status="hidden")
    page = login(app.test_client(), make_user()).get(f"/articles/{article.slug}").get_data(
        as_text=True)
    assert "Removed by a moderator" in page and "Rude remark" not in page
    page = login(app.test_client(), make_user(role="moderator")).get(
        f"/articles/{article.slug}").get_data(as_text=True)
    assert "Rude remark" in page


def test_network_managers_read_the_comments_they_hide_in_their_network(
        app, make_user, make_network, login, make_article, make_comment):
    manager, other_manager, member = make_user(), make_user(), make_user()
    network = make_network(managers=[manager], members=[member])
    make_network(managers=[other_manager])
    article = make_article(make_user(role="associate"), network=network)
    comment = make_comment(article, member, body="Names a resident")
    client = login(app.test_client(), manager)
    assert client.post(f"/comments/{comment.id}/hide",
                       data={"reason": "Personal data"}).status_code == 302
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Names a resident" in page and "Removed by a moderator" in page
    for someone in (member, other_manager):
        page = login(app.test_client(), someone).get(f"/articles/{article.slug}").get_data(
            as_text=True)
        assert "Removed by a moderator" in page and "Names a resident" not in page


def test_author_closes_and_reopens_comments(app, make_user, login, make_article):
    author = make_user(role="associate")
    article = make_article(author)
    url = f"/articles/{article.slug}/comments/close"
    assert login(app.test_client(), make_user()).post(url).status_code == 403
    client = login(app.test_client(), author)
    assert client.post(url, data={"state": "closed"}).status_code == 302
    assert stored(app, Article)[0].comments_open is False
    commenter = login(app.test_client(), make_user(trusted=True))
    assert commenter.post(f"/articles/{article.slug}/comments",
                          data={"body": "Too late"}).status_code == 403
    assert client.post(url, data={"state": "open"}).status_code == 302
    assert stored(app, Article)[0].comments_open is True
    assert commenter.post(f"/articles/{article.slug}/comments",
                          data={"body": "Now then"}).status_code == 302


def test_moderator_closing_comments_is_logged(app, make_user, login, make_article):
    from network.moderation.models import ModerationAction

    article = make_article(make_user(role="associate"))
    client = login(app.test_client(), make_user(role="moderator"))
    client.post(f"/articles/{article.slug}/comments/close", data={"state": "closed"})
    [entry] = stored(app, ModerationAction)
    assert entry.action == "comments_closed" and entry.target_id == article.id


def test_long_discussions_are_paged_oldest_first(app, make_user, make_article, bulk_comments):
    article = make_article(make_user(role="associate"))
    bulk_comments(article, make_user(), 120)
    first = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Bulk 0<" in first and "Bulk 49<" in first and "Bulk 50<" not in first
    assert first.index("Bulk 0<") < first.index("Bulk 1<")
    third = app.test_client().get(f"/articles/{article.slug}?page=3").get_data(as_text=True)
    assert "Bulk 100<" in third and "Bulk 119<" in third and "Bulk 99<" not in third


def test_reply_quotes_the_comment_and_is_stored(app, make_user, login, make_article,
                                                make_comment):
    article = make_article(make_user(role="associate"))
    original = make_comment(article, make_user(display_name="Ann Original"),
                            body="Weekly visits work best")
    client = login(app.test_client(), make_user(trusted=True))
    page = client.get(f"/articles/{article.slug}?reply_to={original.id}").get_data(as_text=True)
    assert "Ann Original wrote:\n&gt; Weekly visits work best" in page
    assert f'name="reply_to" type="hidden" value="{original.id}"' in page
    client.post(f"/articles/{article.slug}/comments",
                data={"body": "Agreed", "reply_to": str(original.id)})
    reply = stored(app, Comment, body="Agreed")[0]
    assert reply.reply_to_id == original.id
    assert client.get(f"/articles/{article.slug}?reply_to=abc").status_code == 200
    # A reply to a comment that does not exist is refused (it used to be stored as a
    # plain comment), like a reply to one that is not on show.
    refused = client.post(f"/articles/{article.slug}/comments",
                          data={"body": "Odd", "reply_to": "99999"})
    assert refused.status_code == 400 and stored(app, Comment, body="Odd") == []


def test_comment_posting_is_rate_limited(make_app, make_user, login, make_article):
    app = make_app(RATELIMIT_ENABLED=True)
    article = make_article(make_user(role="associate"))
    client = login(app.test_client(), make_user(trusted=True))
    codes = [client.post(f"/articles/{article.slug}/comments",
                         data={"body": f"Comment {i}"}).status_code for i in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429
    assert len(stored(app, Comment)) == 10


def test_silenced_members_cannot_comment(app, make_user, login, make_article):
    article = make_article(make_user(role="associate"))
    quiet = make_user(trusted=True, silenced_until=utcnow() + timedelta(days=1))
    client = login(app.test_client(), quiet)
    assert "You cannot post until" in client.get(
        f"/articles/{article.slug}").get_data(as_text=True)
    assert client.post(f"/articles/{article.slug}/comments",
                       data={"body": "Let me speak"}).status_code == 403
    assert stored(app, Comment) == []


def test_reply_to_that_is_not_an_id_is_ignored(app, make_user, login, make_article):
    """"²".isdigit() is true but int("²") fails: both of these were a 500."""
    article = make_article(make_user(role="associate"))
    client = login(app.test_client(), make_user(trusted=True))
    for bad in ("²", "99999999999999999999"):
        assert client.get(f"/articles/{article.slug}?reply_to={bad}").status_code == 200
        response = client.post(f"/articles/{article.slug}/comments",
                               data={"body": f"Reply {bad}", "reply_to": bad})
        assert response.status_code == 302
        assert stored(app, Comment, body=f"Reply {bad}")[0].reply_to_id is None


def test_articles_in_an_archived_network_take_no_comments(app, make_user, make_network, login,
                                                          make_article):
    author, member = make_user(role="associate"), make_user(trusted=True)
    network = make_network(members=[author, member], archived_at=utcnow())
    article = make_article(author, network=network)
    client = login(app.test_client(), member)
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "network is archived" in page and 'id="comment-form"' not in page
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "Still here?"})
    assert response.status_code == 403
    assert stored(app, Comment) == [] and _count(app, article) == 0


def test_comments_cannot_be_closed_or_reopened_in_an_archived_network(
        app, make_user, make_network, login, make_article):
    author, manager = make_user(role="associate"), make_user()
    network = make_network(members=[author], managers=[manager], archived_at=utcnow())
    article = make_article(author, network=network)
    url = f"/articles/{article.slug}/comments/close"
    for person in (manager, author, make_user(role="moderator")):
        client = login(app.test_client(), person)
        page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
        assert url not in page  # no Close comments button
        for state in ("closed", "open"):
            response = client.post(url, data={"state": state})
            assert response.status_code == 403, (person, state)
            assert "archived" in response.get_data(as_text=True)
    assert stored(app, Article, id=article.id)[0].comments_open is True


@pytest.mark.parametrize("status", ["pending", "hidden", "deleted"])
def test_reply_to_a_comment_not_on_show_is_refused_beside_the_text(
        app, make_user, login, make_article, make_comment, status):
    article = make_article(make_user(role="associate"))
    parent = make_comment(article, make_user(), body="Not on show", status=status)
    # A moderator may see the pending or hidden comment, and still may not answer it.
    for replier in (make_user(trusted=True), make_user(role="moderator")):
        client = login(app.test_client(), replier)
        response = client.post(f"/articles/{article.slug}/comments",
                               data={"body": f"Answer by {replier.username}",
                                     "reply_to": str(parent.id)})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert stored(app, Comment, body=f"Answer by {replier.username}") == []
        assert 'id="body-error"' in page and "is not on show any more" in page
        assert f"Answer by {replier.username}" in page  # the text is kept
        assert 'name="reply_to" type="hidden" value=""' in page  # next press: a new comment
        again = client.post(f"/articles/{article.slug}/comments",
                            data={"body": f"Answer by {replier.username}", "reply_to": ""})
        assert again.status_code == 302
        assert stored(app, Comment, body=f"Answer by {replier.username}")[0].reply_to_id is None


def test_reply_to_a_comment_on_another_article_is_refused(app, make_user, login, make_article,
                                                          make_comment):
    author = make_user(role="associate")
    article, other = make_article(author), make_article(author)
    elsewhere = make_comment(other, make_user(), body="On the other article")
    client = login(app.test_client(), make_user(trusted=True))
    response = client.post(f"/articles/{article.slug}/comments",
                           data={"body": "Crossed wires", "reply_to": str(elsewhere.id)})
    assert response.status_code == 400 and stored(app, Comment, body="Crossed wires") == []
