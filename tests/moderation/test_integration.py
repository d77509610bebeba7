"""How moderation meets the pages built by the forum and articles domains."""
from datetime import timedelta

from sqlalchemy import select

from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.notifications.models import Watch
from network.notifications.models import Notification


def test_silenced_member_is_told_why_on_the_thread_and_article(app, make_user, make_network, login):
    from tests.world import build_world

    world = build_world(app)
    with app.app_context():
        from network.accounts.models import User

        member = db.session.get(User, world.user("member").id)
        member.silenced_until = utcnow() + timedelta(days=2)
        member.silenced_reason = "Cooling off"
        db.session.commit()
    client = login(app.test_client(), world.user("member"))
    thread_page = client.get(f"/threads/{world.places['open'].thread_id}").get_data(as_text=True)
    article_page = client.get(f"/articles/{world.places['open'].article_slug}").get_data(as_text=True)
    for page in (thread_page, article_page):
        assert "You cannot post until" in page and "Cooling off" in page


def test_silenced_people_are_told_why_and_until_when_wherever_writing_is_refused(app, login):
    from network.accounts.models import User
    from network.articles.models import Comment
    from network.core.time import date_time
    from tests.world import build_world

    world = build_world(app)
    until = utcnow() + timedelta(days=3)
    with app.app_context():
        for persona in ("member", "author"):
            person = db.session.get(User, world.user(persona).id)
            person.trusted = True
            person.silenced_until, person.silenced_reason = until, "Cooling off"
        db.session.commit()
        posts_before = db.session.scalar(select(db.func.count(Post.id)))
    place = world.places["open"]
    member = login(app.test_client(), world.user("member"))
    author = login(app.test_client(), world.user("author"))
    answers = {
        "new thread": member.get(f"/networks/{place.slug}/threads/new"),
        "new thread, sent": member.post(f"/networks/{place.slug}/threads/new",
                                        data={"title": "Hello", "body": "Hello"}),
        "reply": member.post(f"/threads/{place.thread_id}/reply", data={"body": "Hello"}),
        "comment": member.post(f"/articles/{place.article_slug}/comments",
                               data={"body": "Hello"}),
        "new network": member.get("/networks/new"),
        "new article": author.get("/articles/new"),
    }
    for name, response in answers.items():
        page = response.get_data(as_text=True)
        assert response.status_code == 403, name
        assert f"You cannot post until {date_time(until)}: Cooling off" in page, name
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Post.id))) == posts_before
        assert db.session.scalar(select(db.func.count(Comment.id))) == len(world.places)  # the world's own, one per network
    # Everyone else still gets the plain refusal.
    outsider = login(app.test_client(), world.user("outsider"))
    page = outsider.post(f"/threads/{place.thread_id}/reply", data={"body": "Hi"})
    assert page.status_code == 403 and "You cannot post until" not in page.get_data(as_text=True)


def test_post_and_comment_pages_link_to_the_report_forms(app, login):
    from tests.world import build_world

    world = build_world(app)
    client = login(app.test_client(), world.user("outsider"))
    place = world.places["open"]
    thread_page = client.get(f"/threads/{place.thread_id}").get_data(as_text=True)
    assert f"/posts/{place.post_ids[0]}/flag" in thread_page
    article_page = client.get(f"/articles/{place.article_slug}").get_data(as_text=True)
    assert f"/comments/{place.comment_id}/flag" in article_page
    assert client.get(f"/comments/{place.comment_id}/flag").status_code == 200


def test_thread_page_offers_report_this_thread_to_signed_in_readers_but_its_author(
        cached_app, login):
    from tests.world import build_world

    app = cached_app()  # fragments are kept: the link must still follow the viewer
    world = build_world(app)
    place = world.places["open"]
    link = f'href="/threads/{place.thread_id}/flag">Report this thread'
    author = login(app.test_client(), world.user("member"))  # started the thread
    others = [login(app.test_client(), world.user(p)) for p in ("outsider", "manager")]
    for _ in range(2):
        assert link not in app.test_client().get(f"/threads/{place.thread_id}").get_data(
            as_text=True)
        assert link not in author.get(f"/threads/{place.thread_id}").get_data(as_text=True)
        for client in others:
            assert link in client.get(f"/threads/{place.thread_id}").get_data(as_text=True)
    assert others[0].get(f"/threads/{place.thread_id}/flag").status_code == 200


def test_approving_a_pending_reply_notifies_watchers(app, login):
    from tests.world import build_world

    world = build_world(app)
    place = world.places["open"]
    with app.app_context():
        thread = db.session.get(Thread, place.thread_id)
        db.session.add(Watch(user_id=world.user("manager").id, target_type="thread",
                             target_id=thread.id))
        pending = Post(thread_id=thread.id, number=3, author_id=world.user("outsider").id,
                       body="Waiting", body_html="<p>Waiting</p>", status="pending")
        db.session.add(pending)
        db.session.commit()
        pending_id = pending.id
    client = login(app.test_client(), world.user("moderator"))
    response = client.post(f"/moderation/pending/post/{pending_id}/approve", data={"reason": "Fine"})
    assert response.status_code == 302
    with app.app_context():
        texts = db.session.scalars(select(Notification.text).where(
            Notification.user_id == world.user("manager").id)).all()
        assert any("New reply" in text for text in texts)
        assert db.session.get(Thread, place.thread_id).post_count == 3
