"""The review queue: flagged content (uphold, dismiss) and content awaiting approval."""
import pytest
from sqlalchemy import select

from network.accounts.models import User
from network.articles.models import Article, Comment
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import Flag, ModerationAction
from network.notifications.models import Notification
from tests.moderation.conftest import get


def _post_ids(app, thread):
    with app.app_context():
        return list(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)
                                       .order_by(Post.number)))


def _flag(app, client_for, reporters, kind, target_id, reason="spam", note=""):
    for reporter in reporters:
        response = client_for(reporter).post(f"/{kind}s/{target_id}/flag",
                                             data={"reason": reason, "note": note})
        assert response.status_code == 302


@pytest.fixture
def client_for(app, login):
    return lambda user: login(app.test_client(), user)


@pytest.fixture
def scene(app, make_user, make_network, make_thread):
    """An open network with a manager, a flagged post by its author, and a moderator."""
    author, manager, moderator = make_user(), make_user(), make_user(role="moderator")
    network = make_network(members=[author], managers=[manager], name="Carers Network")
    thread = make_thread(network, author, posts=2, title="Respite care",
                         body="Post {number} of thread")
    return dict(author=author, manager=manager, moderator=moderator, network=network,
                thread=thread, post_id=_post_ids(app, thread)[1])


def test_queue_shows_one_row_per_item_with_flaggers_reasons_and_notes(app, scene, make_user,
                                                                     client_for):
    _flag(app, client_for, [make_user()], "post", scene["post_id"], "spam")
    _flag(app, client_for, [make_user()], "post", scene["post_id"], "other", "Selling pills")
    page = client_for(scene["moderator"]).get("/moderation/").get_data(as_text=True)
    assert page.count('class="moderation-item"') == 1
    assert "flagged by 2 members" in page
    assert "Spam, Something else" in page and "Selling pills" in page
    assert "Post 2 of thread" in page and "Respite care (Carers Network)" in page


def test_queue_lists_the_oldest_flagged_first(app, scene, make_user, make_thread, client_for):
    newer = make_thread(scene["network"], scene["author"], title="Newer thread")
    _flag(app, client_for, [make_user()], "post", scene["post_id"])
    _flag(app, client_for, [make_user()], "thread", newer.id)
    page = client_for(scene["moderator"]).get("/moderation/").get_data(as_text=True)
    assert page.index(f'id="flagged-post-{scene["post_id"]}"') < page.index(
        f'id="flagged-thread-{newer.id}"')


def test_managers_see_their_networks_only_and_others_are_refused(
        app, scene, make_user, make_network, make_thread, make_article, make_comment, client_for):
    other_network = make_network(name="Other Network")
    other_thread = make_thread(other_network, make_user(), title="Elsewhere thread")
    loose_comment = make_comment(make_article(make_user(role="associate")), make_user(),
                                 body="Comment outside networks").id
    reporter = make_user()
    _flag(app, client_for, [reporter], "post", scene["post_id"])
    _flag(app, client_for, [reporter], "thread", other_thread.id)
    _flag(app, client_for, [reporter], "comment", loose_comment)
    manager_page = client_for(scene["manager"]).get("/moderation/").get_data(as_text=True)
    assert "Respite care" in manager_page
    assert "Elsewhere thread" not in manager_page and "Comment outside networks" not in manager_page
    staff_page = client_for(scene["moderator"]).get("/moderation/").get_data(as_text=True)
    assert all(text in staff_page for text in ("Respite care", "Elsewhere thread",
                                               "Comment outside networks"))
    assert client_for(make_user()).get("/moderation/").status_code == 403
    # acting on another network's flags, or on a comment outside networks: refused
    manager = client_for(scene["manager"])
    for url in (f"/moderation/flags/thread/{other_thread.id}/uphold",
                f"/moderation/flags/comment/{loose_comment}/dismiss"):
        assert manager.post(url, data={"reason": "Mine now"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Flag)
                                 .where(Flag.status == "open")) == 3


def test_nav_shows_the_queue_to_managers_but_not_to_members(app, scene, client_for):
    assert 'href="/moderation/"' in client_for(scene["manager"]).get("/").get_data(as_text=True)
    assert 'href="/moderation/"' not in client_for(scene["author"]).get("/").get_data(as_text=True)


def test_upholding_hides_the_post_notifies_the_author_and_closes_every_flag(
        app, scene, make_user, client_for):
    _flag(app, client_for, [make_user(), make_user()], "post", scene["post_id"])
    response = client_for(scene["manager"]).post(
        f"/moderation/flags/post/{scene['post_id']}/uphold", data={"reason": "Advertising"})
    assert response.status_code == 302
    assert get(app, Post, scene["post_id"]).status == "hidden"
    assert get(app, Thread, scene["thread"].id).post_count == 1
    with app.app_context():
        assert {f.status for f in db.session.scalars(select(Flag))} == {"upheld"}
        assert all(f.resolved_by_id == scene["manager"].id for f in db.session.scalars(select(Flag)))
        note = db.session.scalar(select(Notification).where(
            Notification.user_id == scene["author"].id))
        assert "Advertising" in note.text and note.network_id == scene["network"].id
        entry = db.session.scalar(select(ModerationAction).where(
            ModerationAction.action == "uphold_flags"))
        assert (entry.actor_id, entry.reason, entry.network_id) == (
            scene["manager"].id, "Advertising", scene["network"].id)
    assert "Nothing is flagged" in client_for(scene["manager"]).get("/moderation/").get_data(
        as_text=True)


def test_dismissing_restores_content_that_flags_had_hidden(app, scene, make_user, client_for):
    _flag(app, client_for, [make_user(trusted=True) for _ in range(3)], "post", scene["post_id"])
    assert get(app, Post, scene["post_id"]).status == "hidden"
    response = client_for(scene["moderator"]).post(
        f"/moderation/flags/post/{scene['post_id']}/dismiss", data={"reason": "Fair comment"})
    assert response.status_code == 302
    assert get(app, Post, scene["post_id"]).status == "visible"
    assert get(app, Thread, scene["thread"].id).post_count == 2
    with app.app_context():
        assert {f.status for f in db.session.scalars(select(Flag))} == {"dismissed"}


def test_dismissing_keeps_content_a_moderator_hid_after_the_flags(
        app, make_user, make_article, make_comment, client_for):
    moderator = make_user(role="moderator")
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user()).id
    _flag(app, client_for, [make_user(trusted=True) for _ in range(3)], "comment", comment_id)
    mod = client_for(moderator)
    assert mod.post(f"/comments/{comment_id}/hide", data={"reason": "Restore"}).status_code == 302
    assert mod.post(f"/comments/{comment_id}/hide", data={"reason": "Hide it"}).status_code == 302
    mod.post(f"/moderation/flags/comment/{comment_id}/dismiss", data={"reason": "Closing"})
    assert get(app, Comment, comment_id).status == "hidden"


def test_dismissing_twice_is_a_clear_conflict_that_changes_nothing(app, scene, make_user,
                                                                   client_for):
    _flag(app, client_for, [make_user()], "post", scene["post_id"])
    mod = client_for(scene["moderator"])
    url = f"/moderation/flags/post/{scene['post_id']}/dismiss"
    assert mod.post(url, data={"reason": "Fine"}).status_code == 302
    again = mod.post(url, data={"reason": "Fine again"})
    assert again.status_code == 409 and "already been reviewed" in again.get_data(as_text=True)
    upheld = mod.post(f"/moderation/flags/post/{scene['post_id']}/uphold", data={"reason": "No"})
    assert upheld.status_code == 409
    assert get(app, Post, scene["post_id"]).status == "visible"
    with app.app_context():
        assert [e.action for e in db.session.scalars(select(ModerationAction))] == ["dismiss_flags"]


def test_a_decision_needs_a_reason_shown_beside_its_field(app, scene, make_user, client_for):
    _flag(app, client_for, [make_user()], "post", scene["post_id"])
    mod = client_for(scene["moderator"])
    url = f"/moderation/flags/post/{scene['post_id']}/uphold"
    for data, message in (({"reason": "  "}, "Give a reason"),
                          ({"reason": "x" * 501}, "500 characters or fewer"),
                          ({"reason": "nul\x00"}, "characters we cannot accept")):
        response = mod.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page
        assert f'id="reason-uphold-post-{scene["post_id"]}-error"' in page
    assert get(app, Post, scene["post_id"]).status == "visible"
    assert mod.post(f"/moderation/flags/post/{scene['post_id']}/delete",
                    data={"reason": "x"}).status_code == 404
    assert mod.post("/moderation/flags/user/1/uphold", data={"reason": "x"}).status_code == 404


# --- awaiting approval --------------------------------------------------------

def test_pending_posts_and_comments_wait_in_the_queue_for_their_moderators(
        app, make_user, make_network, make_thread, make_article, make_comment, client_for):
    newcomer, manager, moderator = make_user(), make_user(), make_user(role="moderator")
    network = make_network(members=[newcomer], managers=[manager])
    make_thread(network, newcomer, status="pending", post_status="pending", title="First thread")
    make_comment(make_article(make_user(role="associate"), network=network), newcomer,
                 status="pending", body="Networked comment")
    make_comment(make_article(make_user(role="associate")), newcomer, status="pending",
                 body="Loose comment")
    manager_page = client_for(manager).get("/moderation/").get_data(as_text=True)
    assert "New thread “First thread”" in manager_page and "Networked comment" in manager_page
    assert "Loose comment" not in manager_page and "Awaiting approval <span" in manager_page
    staff_page = client_for(moderator).get("/moderation/").get_data(as_text=True)
    assert "Loose comment" in staff_page and "(3)" in staff_page


def test_approving_shows_the_thread_counts_the_approval_and_trusts_after_three(
        app, make_user, make_network, make_thread, make_post, client_for):
    newcomer, moderator = make_user(), make_user(role="moderator")
    network = make_network(members=[newcomer])
    thread = make_thread(network, newcomer, status="pending", post_status="pending")
    first = _post_ids(app, thread)[0]
    mod = client_for(moderator)
    assert mod.post(f"/moderation/pending/post/{first}/approve",
                    data={"reason": "Welcome"}).status_code == 302
    assert get(app, Post, first).status == "visible"
    assert (get(app, Thread, thread.id).status, get(app, Thread, thread.id).post_count) == (
        "visible", 1)
    assert (get(app, User, newcomer.id).approved_count, get(app, User, newcomer.id).trusted) == (
        1, False)
    replies = [make_post(thread, newcomer, status="pending").id for _ in range(2)]
    for post_id in replies:
        mod.post(f"/moderation/pending/post/{post_id}/approve", data={"reason": "Fine"})
    person = get(app, User, newcomer.id)
    assert (person.approved_count, person.trusted) == (3, True)
    assert get(app, Thread, thread.id).post_count == 3
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ModerationAction).where(
            ModerationAction.action == "approve", ModerationAction.network_id == network.id)) == 3


def test_approving_twice_is_a_conflict_and_counts_once(app, make_user, make_network, make_thread,
                                                       make_post, client_for):
    newcomer = make_user()
    thread = make_thread(make_network(members=[newcomer]), make_user())
    post_id = make_post(thread, newcomer, status="pending").id
    mod = client_for(make_user(role="moderator"))
    url = f"/moderation/pending/post/{post_id}/approve"
    assert mod.post(url, data={"reason": "Ok"}).status_code == 302
    assert mod.post(url, data={"reason": "Ok"}).status_code == 409
    assert mod.post(f"/moderation/pending/post/{post_id}/reject",
                    data={"reason": "No"}).status_code == 409
    assert get(app, User, newcomer.id).approved_count == 1
    assert get(app, Post, post_id).status == "visible"


def test_rejecting_hides_the_comment_and_tells_the_author_why(
        app, make_user, make_network, make_article, make_comment, client_for):
    newcomer, manager = make_user(), make_user()
    network = make_network(members=[newcomer], managers=[manager])
    article = make_article(make_user(role="associate"), network=network)
    comment_id = make_comment(article, newcomer, status="pending").id
    response = client_for(manager).post(f"/moderation/pending/comment/{comment_id}/reject",
                                        data={"reason": "Off topic for this article"})
    assert response.status_code == 302
    assert get(app, Comment, comment_id).status == "hidden"
    assert get(app, Article, article.id).comment_count == 0
    assert get(app, User, newcomer.id).approved_count == 0
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.user_id == newcomer.id))
        assert "Off topic for this article" in note.text


def test_a_manager_of_another_network_cannot_approve(app, make_user, make_network, make_thread,
                                                     make_post, client_for):
    newcomer, stranger_manager = make_user(), make_user()
    make_network(managers=[stranger_manager])
    thread = make_thread(make_network(members=[newcomer]), make_user())
    post_id = make_post(thread, newcomer, status="pending").id
    response = client_for(stranger_manager).post(f"/moderation/pending/post/{post_id}/approve",
                                                 data={"reason": "Sure"})
    assert response.status_code == 404  # pending content is not shown to them at all
    assert get(app, Post, post_id).status == "pending"


# --- speed ------------------------------------------------------------------

def _fill_queue(app, make_user, make_network, make_thread, make_article, bulk_flags,
                items: int, pending: int):
    from network.core.text import render_markdown, render_plain

    author = make_user()
    reporters = [make_user().id for _ in range(3)]
    network = make_network()
    thread = make_thread(network, author)
    article = make_article(make_user(role="associate"), network=network)
    with app.app_context():
        posts = [Post(thread_id=thread.id, number=n + 2, author_id=author.id, body=f"p{n}",
                      body_html=render_markdown(f"p{n}"),
                      status="pending" if n < pending else "visible") for n in range(items)]
        comments = [Comment(article_id=article.id, author_id=author.id, body=f"c{n}",
                            body_html=render_plain(f"c{n}"),
                            status="pending" if n < pending else "visible") for n in range(items)]
        db.session.add_all(posts + comments)
        db.session.commit()
        targets = [pair for p, c in zip(posts[pending:], comments[pending:])
                   for pair in (("post", p.id, network.id), ("comment", c.id, network.id))]
    bulk_flags(targets, reporters)


def test_queue_runs_a_fixed_number_of_queries(app, make_user, make_network, make_thread,
                                              make_article, bulk_flags, client_for, count_queries):
    moderator = make_user(role="moderator")
    client = client_for(moderator)
    counts = []
    for items in (5, 250):  # 10 and 500 flagged items, 3 flags each, plus pending content
        _fill_queue(app, make_user, make_network, make_thread, make_article, bulk_flags,
                    items, pending=2)
        with count_queries() as queries:
            response = client.get("/moderation/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 8, counts


def test_a_manager_queue_runs_a_fixed_number_of_queries(app, make_user, make_network, make_thread,
                                                        make_article, bulk_flags, client_for,
                                                        count_queries, login):
    from network.networks.models import Membership

    manager = make_user()
    client = client_for(manager)
    counts = []
    for items in (5, 250):
        _fill_queue(app, make_user, make_network, make_thread, make_article, bulk_flags,
                    items, pending=2)
        with app.app_context():
            for network_id in db.session.scalars(select(Thread.network_id)):
                if not db.session.scalar(select(Membership.id).where(
                        Membership.user_id == manager.id, Membership.network_id == network_id)):
                    db.session.add(Membership(user_id=manager.id, network_id=network_id,
                                              role="manager"))
            db.session.commit()
        with count_queries() as queries:
            page = client.get("/moderation/").get_data(as_text=True)
        assert "Flagged by members" in page
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 9, counts


def test_flags_on_content_removed_for_good_can_still_be_closed(app, scene, make_user,
                                                                make_network, client_for):
    _flag(app, client_for, [make_user()], "post", scene["post_id"])
    other_manager = make_user()
    make_network(managers=[other_manager])
    with app.app_context():
        db.session.execute(db.delete(Post).where(Post.id == scene["post_id"]))
        db.session.commit()
    mod = client_for(scene["moderator"])
    assert "This post no longer exists" in mod.get("/moderation/").get_data(as_text=True)
    url = f"/moderation/flags/post/{scene['post_id']}/dismiss"
    assert client_for(other_manager).post(url, data={"reason": "Mine"}).status_code == 404
    assert mod.post(url, data={"reason": ""}).status_code == 400
    assert mod.post(url, data={"reason": "Gone"}).status_code == 302
    assert "Nothing is flagged" in mod.get("/moderation/").get_data(as_text=True)
    assert mod.post(url, data={"reason": "Gone"}).status_code == 404



def test_moderators_can_close_flags_on_content_its_author_deleted(app, scene, make_user,
                                                                   client_for):
    _flag(app, client_for, [make_user()], "post", scene["post_id"])
    with app.app_context():
        db.session.execute(db.update(Post).where(Post.id == scene["post_id"])
                           .values(status="deleted"))
        db.session.commit()
    manager = client_for(scene["manager"])
    response = manager.post(f"/moderation/flags/post/{scene['post_id']}/uphold",
                            data={"reason": "Was abusive"})
    assert response.status_code == 302
    assert get(app, Post, scene["post_id"]).status == "deleted"
    with app.app_context():
        assert {f.status for f in db.session.scalars(select(Flag))} == {"upheld"}


# --- only what the viewer may act on --------------------------------------------

def _unlisted_article_scene(app, make_user, make_network, make_article, make_comment,
                            bulk_flags):
    """A network with a manager; a flagged comment under a withdrawn article, a flagged
    comment under a scheduled one, and a comment awaiting approval under a draft."""
    from datetime import timedelta

    from network.core.time import utcnow

    manager, newcomer, author = make_user(), make_user(), make_user(role="associate")
    network = make_network(members=[newcomer, author], managers=[manager])
    withdrawn = make_article(author, network=network, title="Pulled piece")
    scheduled = make_article(author, network=network, title="Embargoed piece")
    draft = make_article(author, network=network, title="Unfinished piece")
    flagged = [make_comment(withdrawn, newcomer, body="Words under a pulled piece").id,
               make_comment(scheduled, newcomer, body="Words under an embargoed piece").id]
    pending = make_comment(draft, newcomer, status="pending", body="Waiting under a draft").id
    bulk_flags([("comment", comment_id, network.id) for comment_id in flagged],
               [make_user().id])
    with app.app_context():
        for article_id, values in ((withdrawn.id, dict(status="withdrawn")),
                                   (scheduled.id, dict(published_at=utcnow() + timedelta(days=2))),
                                   (draft.id, dict(status="draft", published_at=None))):
            db.session.execute(db.update(Article).where(Article.id == article_id).values(**values))
        db.session.commit()
    return dict(manager=manager, flagged=flagged, pending=pending)


SECRET_TEXT = ("Pulled piece", "Embargoed piece", "Unfinished piece", "Words under a pulled piece",
               "Words under an embargoed piece", "Waiting under a draft")


def test_queue_hides_and_does_not_count_comments_on_articles_moderators_cannot_read(
        app, make_user, make_network, make_article, make_comment, bulk_flags, client_for):
    scene = _unlisted_article_scene(app, make_user, make_network, make_article, make_comment,
                                    bulk_flags)
    for person in (scene["manager"], make_user(role="moderator")):
        page = client_for(person).get("/moderation/").get_data(as_text=True)
        assert not [text for text in SECRET_TEXT if text in page], person.role
        assert 'Flagged by members <span class="count">(0)</span>' in page
        assert 'Awaiting approval <span class="count">(0)</span>' in page
        assert "Nothing is flagged" in page and "Nothing is waiting for approval" in page


def test_queue_still_lists_and_counts_comments_on_unpublished_articles_for_admins(
        app, make_user, make_network, make_article, make_comment, bulk_flags, client_for):
    scene = _unlisted_article_scene(app, make_user, make_network, make_article, make_comment,
                                    bulk_flags)
    admin = client_for(make_user(role="admin"))
    page = admin.get("/moderation/").get_data(as_text=True)
    assert all(text in page for text in SECRET_TEXT)
    assert 'Flagged by members <span class="count">(2)</span>' in page
    assert 'Awaiting approval <span class="count">(1)</span>' in page
    for comment_id in scene["flagged"]:
        assert admin.post(f"/moderation/flags/comment/{comment_id}/dismiss",
                          data={"reason": "Fair comment"}).status_code == 302
    assert admin.post(f"/moderation/pending/comment/{scene['pending']}/approve",
                      data={"reason": "Fine"}).status_code == 302
    page = admin.get("/moderation/").get_data(as_text=True)
    assert "Nothing is flagged" in page and "Nothing is waiting for approval" in page


def test_every_item_a_moderator_is_shown_in_the_queue_can_be_acted_on(
        app, make_user, make_network, make_article, make_comment, make_thread, bulk_flags,
        client_for):
    import re

    scene = _unlisted_article_scene(app, make_user, make_network, make_article, make_comment,
                                    bulk_flags)
    thread = make_thread(make_network(managers=[scene["manager"]]), make_user(), title="Shown")
    bulk_flags([("thread", thread.id, thread.network_id)], [make_user().id])
    for person in (scene["manager"], make_user(role="moderator")):
        client = client_for(person)
        page = client.get("/moderation/").get_data(as_text=True)
        actions = re.findall(r'action="(/moderation/(?:flags|pending)/[^"]+/(?:dismiss|reject))"',
                             page)
        assert actions == [f"/moderation/flags/thread/{thread.id}/dismiss"], actions
        for url in actions:
            assert client.post(url, data={"reason": "Checked"}).status_code == 302, url
        # and the hidden ones answer 404 rather than lingering for ever
        for comment_id in scene["flagged"]:
            assert client.post(f"/moderation/flags/comment/{comment_id}/uphold",
                               data={"reason": "x"}).status_code == 404
        bulk_flags([("thread", thread.id, thread.network_id)], [make_user().id])
