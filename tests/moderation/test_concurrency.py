"""Two moderators deciding at once, and flags arriving together, are applied in turn."""
from sqlalchemy import func, select

from network.accounts.models import User
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation import services
from network.moderation.models import ModerationAction
from tests.concurrency import race
from tests.moderation.conftest import get


def test_two_moderators_approving_at_once_count_one_approval(app, make_user, make_network,
                                                            make_thread, make_post):
    newcomer = make_user()
    moderators = [make_user(role="moderator"), make_user(role="moderator")]
    thread = make_thread(make_network(members=[newcomer]), make_user())
    post_id = make_post(thread, newcomer, status="pending").id

    def approve(n):
        actor = db.session.get(User, moderators[n].id)
        target = services.get_target("post", post_id, actor, lock=True)
        services.approve_content(actor, target, "Fine")

    assert race(app, 2, approve) == ["Conflict", "done"]
    assert get(app, User, newcomer.id).approved_count == 1
    assert get(app, Thread, thread.id).post_count == 2
    assert get(app, Post, post_id).status == "visible"


def test_flags_arriving_together_still_hide_at_three(app, make_user, make_network, make_thread):
    thread = make_thread(make_network(), make_user())
    reporters = [make_user(trusted=True) for _ in range(3)]  # established flaggers
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))

    def flag(n):
        reporter = db.session.get(User, reporters[n].id)
        target = services.get_target("post", post_id, reporter, lock=True)
        services.flag_content(reporter, target, "spam")

    assert race(app, 3, flag) == ["done", "done", "done"]
    assert get(app, Post, post_id).status == "hidden"
    assert get(app, Thread, thread.id).post_count == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 1
