"""Members flag posts, comments and threads; three flaggers hide content at once."""
from sqlalchemy import func, select

from network.articles.models import Article, Comment
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import Flag, ModerationAction
from tests.moderation.conftest import get


def _first_post_id(app, thread):
    with app.app_context():
        return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id,
                                                       Post.number == 1))


def _flags(app):
    with app.app_context():
        return db.session.scalars(select(Flag).order_by(Flag.id)).all()


def test_flag_form_works_without_javascript_and_records_the_flag(app, make_user, make_network,
                                                                 make_thread, login):
    author, reader = make_user(), make_user()
    network = make_network(members=[author, reader])
    thread = make_thread(network, author, body="Post {number} of thread")
    post_id = _first_post_id(app, thread)
    client = login(app.test_client(), reader)
    page = client.get(f"/posts/{post_id}/flag").get_data(as_text=True)
    assert "Flag this post" in page and 'type="radio"' in page and "Post 1 of thread" in page
    response = client.post(f"/posts/{post_id}/flag", data={"reason": "abusive", "note": " Rude "})
    assert response.status_code == 302 and response.location.endswith(f"/posts/{post_id}/flag")
    flags = _flags(app)
    assert [(f.target_type, f.target_id, f.network_id, f.reporter_id, f.reason, f.note, f.status)
            for f in flags] == [("post", post_id, network.id, reader.id, "abusive", "Rude", "open")]
    assert "A moderator will review it" in client.get(f"/posts/{post_id}/flag").get_data(as_text=True)


def test_a_member_cannot_flag_the_same_content_twice_while_open(app, make_user, make_network,
                                                               make_thread, login):
    author, reader = make_user(), make_user()
    thread = make_thread(make_network(), author)
    client = login(app.test_client(), reader)
    assert client.post(f"/threads/{thread.id}/flag", data={"reason": "spam"}).status_code == 302
    again = client.post(f"/threads/{thread.id}/flag", data={"reason": "spam"})
    assert again.status_code == 400  # the form is gone: the page says it is already flagged
    assert "A moderator will review it" in again.get_data(as_text=True)
    assert len(_flags(app)) == 1


def test_the_service_refuses_a_second_open_flag_from_the_same_member(app, make_user,
                                                                    make_network, make_thread):
    from network.accounts.models import User
    from network.core.errors import Conflict
    from network.moderation import services

    author, reader = make_user(), make_user()
    thread = make_thread(make_network(), author)
    with app.app_context():
        person = db.session.get(User, reader.id)
        services.flag_content(person, services.get_target("thread", thread.id, person), "spam")
        try:
            services.flag_content(person, services.get_target("thread", thread.id, person),
                                  "abusive")
        except Conflict as error:
            assert "already flagged" in error.message and error.field == "reason"
        else:
            raise AssertionError("a second open flag was accepted")
    assert len(_flags(app)) == 1


def test_members_cannot_flag_their_own_words(app, make_user, make_network, make_article,
                                             make_comment, login):
    author = make_user()
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, author).id
    client = login(app.test_client(), author)
    assert "your own comment" in client.get(f"/comments/{comment_id}/flag").get_data(as_text=True)
    response = client.post(f"/comments/{comment_id}/flag", data={"reason": "spam"})
    assert response.status_code == 400
    assert "You cannot flag it" in response.get_data(as_text=True)
    assert _flags(app) == []


def test_other_needs_a_note_and_bad_input_is_refused_beside_the_field(app, make_user, make_network,
                                                                     make_thread, login):
    thread = make_thread(make_network(), make_user())
    client = login(app.test_client(), make_user())
    url = f"/threads/{thread.id}/flag"
    cases = [
        ({"reason": "other", "note": "   "}, "Say what is wrong"),
        ({"reason": "nonsense"}, "Choose a reason from the list"),
        ({}, "Choose a reason"),
        ({"reason": "spam", "note": "x" * 1001}, "1,000 characters or fewer"),
        ({"reason": "other", "note": "bad\x00byte"}, "characters we cannot accept"),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, data
        assert 'class="error-message"' in page
    kept = client.post(url, data={"reason": "other", "note": "x" * 1001}).get_data(as_text=True)
    assert 'value="other" checked' in kept and "x" * 1001 in kept
    assert _flags(app) == []


def test_content_the_viewer_cannot_see_answers_404(app, make_user, make_network, make_thread,
                                                   make_article, make_comment, login):
    member, outsider = make_user(), make_user()
    private = make_network(visibility="private", members=[member])
    thread = make_thread(private, member)
    article = make_article(make_user(role="associate"), network=private)
    comment_id = make_comment(article, member).id
    hidden_thread = make_thread(make_network(), member, status="hidden")
    pending = make_thread(make_network(), member, post_status="pending")
    client = login(app.test_client(), outsider)
    for url in (f"/threads/{thread.id}/flag", f"/posts/{_first_post_id(app, thread)}/flag",
                f"/comments/{comment_id}/flag", f"/threads/{hidden_thread.id}/flag",
                f"/posts/{_first_post_id(app, hidden_thread)}/flag",
                f"/posts/{_first_post_id(app, pending)}/flag", "/posts/2147483647/flag",
                "/posts/99999999999/flag"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"reason": "spam"}).status_code == 404, url
    assert _flags(app) == []


def test_anonymous_visitors_are_sent_to_sign_in(app, client, make_user, make_network, make_thread):
    thread = make_thread(make_network(), make_user())
    response = client.get(f"/threads/{thread.id}/flag")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_three_flaggers_hide_a_post_at_once_with_an_automatic_log_entry(
        app, make_user, make_network, make_thread, login):
    author = make_user()
    network = make_network()
    thread = make_thread(network, author, posts=2)
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id,
                                                          Post.number == 2))
    for n in range(3):  # established flaggers (trusted): new accounts' flags do not hide
        client = login(app.test_client(), make_user(trusted=True))
        assert client.post(f"/posts/{post_id}/flag", data={"reason": "spam"}).status_code == 302
        status = get(app, Post, post_id).status
        assert status == ("hidden" if n == 2 else "visible")
    assert get(app, Thread, thread.id).post_count == 1
    with app.app_context():
        entry = db.session.scalar(select(ModerationAction))
        assert (entry.actor_id, entry.action, entry.target_type, entry.target_id, entry.reason,
                entry.network_id) == (None, "auto_hide", "post", post_id,
                                      "Hidden after 3 flags", network.id)
    # a fourth flagger now gets a 404: the content is hidden from them
    late = login(app.test_client(), make_user())
    assert late.get(f"/posts/{post_id}/flag").status_code == 404


def test_three_flaggers_hide_a_comment_and_a_thread(app, make_user, make_network, make_thread,
                                                    make_article, make_comment, login):
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user()).id
    thread = make_thread(make_network(), make_user())
    for _ in range(3):  # established flaggers (trusted): new accounts' flags do not hide
        client = login(app.test_client(), make_user(trusted=True))
        client.post(f"/comments/{comment_id}/flag", data={"reason": "abusive"})
        client.post(f"/threads/{thread.id}/flag", data={"reason": "off_topic"})
    assert get(app, Comment, comment_id).status == "hidden"
    assert get(app, Article, article.id).comment_count == 0
    assert get(app, Thread, thread.id).status == "hidden"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationAction).where(
            ModerationAction.action == "auto_hide")) == 2


def test_comments_on_unpublished_articles_cannot_be_flagged(app, make_user, make_article,
                                                            make_comment, login):
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user()).id
    with app.app_context():
        db.session.execute(db.update(Article).where(Article.id == article.id)
                           .values(status="draft"))
        db.session.commit()
    client = login(app.test_client(), make_user())
    assert client.get(f"/comments/{comment_id}/flag").status_code == 404
    assert client.post(f"/comments/{comment_id}/flag", data={"reason": "spam"}).status_code == 404
    assert _flags(app) == []
