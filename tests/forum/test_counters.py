"""Counters stay right under concurrent replies, and ``flask recount`` finds and
repairs any drift."""
import threading

from sqlalchemy import func, select, update

from network.commands import recount
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Network

REPLIES_EACH = 8


def test_two_people_replying_at_once_both_succeed_with_distinct_numbers(
        app, make_user, make_network, make_thread, login):
    first, second = make_user(trusted=True), make_user(trusted=True)
    network = make_network(members=[first, second])
    tid = make_thread(network, first, posts=1).id
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def replying(user):
        try:
            client = login(app.test_client(), user)
            barrier.wait(timeout=10)
            for n in range(REPLIES_EACH):
                response = client.post(f"/threads/{tid}/reply", data={"body": f"Reply {n}"})
                statuses.append(response.status_code)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=replying, args=(user,)) for user in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    assert statuses == [302] * (2 * REPLIES_EACH)
    total = 1 + 2 * REPLIES_EACH
    with app.app_context():
        numbers = db.session.scalars(select(Post.number).where(Post.thread_id == tid)
                                     .order_by(Post.number)).all()
        assert numbers == list(range(1, total + 1))
        assert db.session.get(Thread, tid).post_count == total
        assert recount() == {"thread.post_count": 0, "thread.last_post": 0,
                             "article.comment_count": 0, "network.member_count": 0,
                             "practice.adoption_count": 0, "user.unread_notifications": 0}


def test_services_called_from_two_threads_keep_counts(app, make_user, make_network, make_thread):
    from network.accounts.models import User
    from network.forum import services

    first, second = make_user(trusted=True), make_user(trusted=True)
    network = make_network(members=[first, second])
    tid = make_thread(network, first, posts=1).id
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def replying(user_id):
        try:
            barrier.wait(timeout=10)
            with app.app_context():
                user = db.session.get(User, user_id)
                for n in range(REPLIES_EACH):
                    thread = db.session.get(Thread, tid)
                    services.reply(user, thread, f"Service reply {n}")
                    db.session.expire_all()
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=replying, args=(u.id,)) for u in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    with app.app_context():
        count = db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == tid))
        assert count == 1 + 2 * REPLIES_EACH
        assert db.session.scalar(select(func.count(func.distinct(Post.number)))
                                 .where(Post.thread_id == tid)) == count
        assert sum(recount().values()) == 0


def test_recount_reports_and_repairs_drift(app, make_user, make_network, make_thread):
    author = make_user(trusted=True)
    network = make_network(members=[author])
    tid = make_thread(network, author, posts=3).id
    with app.app_context():
        db.session.execute(update(Thread).where(Thread.id == tid)
                           .values(post_count=99, last_poster_id=None))
        db.session.execute(update(Network).values(member_count=7))
        db.session.commit()
        drift = recount()
        assert drift == {"thread.post_count": 1, "thread.last_post": 1,
                         "article.comment_count": 0, "network.member_count": 1,
                         "practice.adoption_count": 0, "user.unread_notifications": 0}
        thread = db.session.get(Thread, tid)
        assert (thread.post_count, thread.last_poster_id) == (3, author.id)
        assert db.session.get(Network, network.id).member_count == 1
        assert sum(recount().values()) == 0


def test_recount_command_reports_the_drift(app):
    result = app.test_cli_runner().invoke(args=["recount"])
    assert result.exit_code == 0, result.output
    assert "Drift: 0 rows were wrong." in result.output


def test_demo_content_follows_the_counter_rules(app):
    from network.site.demo import seed

    with app.app_context():
        seed()
        assert sum(recount().values()) == 0
