"""Issue 16, hole 2: a handful of throwaway accounts cannot hide anyone's words.
Only flags from established people count towards hiding content automatically
(trusted members and staff; in a network, its members of at least 7 days; outside
any network, accounts at least 7 days old); content by staff or trusted members is
never hidden by flags (its moderators are told instead); flagging is rate-limited
per person and per address."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from network.accounts.models import User
from network.articles.models import Comment
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post
from network.moderation.models import Flag
from network.networks.models import Membership
from network.notifications.models import Notification
from tests.moderation.conftest import get


def _post_ids(app, thread):
    with app.app_context():
        return list(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)
                                       .order_by(Post.number)))


def _age(app, users, days, network=None):
    """Make these accounts (and, with a network, their memberships of it) ``days`` old."""
    then = utcnow() - timedelta(days=days)
    with app.app_context():
        ids = [u.id for u in users]
        db.session.execute(update(User).where(User.id.in_(ids)).values(created_at=then))
        if network is not None:
            db.session.execute(update(Membership).where(
                Membership.user_id.in_(ids), Membership.network_id == network.id)
                .values(created_at=then))
        db.session.commit()


def _flag_all(app, login, users, path):
    for user in users:
        assert login(app.test_client(), user).post(
            path, data={"reason": "spam"}).status_code == 302


def test_three_new_members_cannot_hide_a_post(app, login, make_user, make_network, make_thread):
    author = make_user()
    newcomers = [make_user() for _ in range(3)]
    network = make_network(members=[author, *newcomers])
    post_id = _post_ids(app, make_thread(network, author))[0]
    _flag_all(app, login, newcomers, f"/posts/{post_id}/flag")
    assert get(app, Post, post_id).status == "visible"


def test_three_members_of_more_than_a_week_hide_a_post(app, login, make_user, make_network,
                                                       make_thread):
    author = make_user()
    members = [make_user() for _ in range(3)]
    network = make_network(members=[author, *members])
    _age(app, members, 8, network)
    post_id = _post_ids(app, make_thread(network, author))[0]
    _flag_all(app, login, members, f"/posts/{post_id}/flag")
    assert get(app, Post, post_id).status == "hidden"


def test_a_silenced_members_flag_reaches_moderators_but_hides_nothing(
        app, login, make_user, make_network, make_thread):
    """Silenced people may still report what they see (a way to ask for help is kept),
    but while silenced their flags do not count towards hiding anything."""
    author = make_user()
    members = [make_user() for _ in range(3)]
    network = make_network(members=[author, *members])
    _age(app, members, 8, network)
    with app.app_context():
        db.session.execute(update(User).where(User.id == members[0].id).values(
            silenced_until=utcnow() + timedelta(days=2), silenced_reason="Cooling off"))
        db.session.commit()
    post_id = _post_ids(app, make_thread(network, author))[0]
    _flag_all(app, login, members, f"/posts/{post_id}/flag")
    assert get(app, Post, post_id).status == "visible"
    with app.app_context():
        reporters = set(db.session.scalars(select(Flag.reporter_id).where(
            Flag.target_type == "post", Flag.target_id == post_id, Flag.status == "open")))
    assert reporters == {m.id for m in members}
    # A silence that has ended no longer holds a flag back.
    silenced_before = make_user()
    with app.app_context():
        db.session.add(Membership(user_id=silenced_before.id, network_id=network.id,
                                  role="member"))
        db.session.execute(update(User).where(User.id == silenced_before.id).values(
            silenced_until=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    _age(app, [silenced_before], 8, network)
    _flag_all(app, login, [silenced_before], f"/posts/{post_id}/flag")
    assert get(app, Post, post_id).status == "hidden"


def test_old_accounts_that_joined_the_network_today_do_not_count(app, login, make_user,
                                                                 make_network, make_thread):
    author = make_user()
    joiners = [make_user() for _ in range(3)]
    network = make_network(members=[author, *joiners])
    _age(app, joiners, 30)  # old accounts, new memberships
    post_id = _post_ids(app, make_thread(network, author))[0]
    _flag_all(app, login, joiners, f"/posts/{post_id}/flag")
    assert get(app, Post, post_id).status == "visible"


def test_outside_networks_only_accounts_older_than_a_week_count(app, login, make_user,
                                                                make_article, make_comment):
    article = make_article(make_user(role="associate"))
    comment_id = make_comment(article, make_user()).id
    _flag_all(app, login, [make_user() for _ in range(3)], f"/comments/{comment_id}/flag")
    assert get(app, Comment, comment_id).status == "visible"
    elders = [make_user() for _ in range(3)]
    _age(app, elders, 8)
    _flag_all(app, login, elders, f"/comments/{comment_id}/flag")
    assert get(app, Comment, comment_id).status == "hidden"


@pytest.mark.parametrize("author_fields", [dict(role="moderator"), dict(trusted=True)])
def test_staff_and_trusted_words_are_never_hidden_by_flags_moderators_are_told(
        app, login, make_user, make_network, make_thread, author_fields):
    author, manager = make_user(**author_fields), make_user()
    flaggers = [make_user(trusted=True) for _ in range(4)]
    network = make_network(members=[*flaggers], managers=[manager])
    post_id = _post_ids(app, make_thread(network, author))[0]
    _flag_all(app, login, flaggers, f"/posts/{post_id}/flag")
    assert get(app, Post, post_id).status == "visible"
    with app.app_context():
        told = db.session.scalars(select(Notification).where(
            Notification.user_id == manager.id, Notification.kind == "moderation")).all()
    assert len(told) == 1 and told[0].url == "/moderation/"  # once, not per flag


def test_flagging_is_rate_limited_per_person_with_a_clear_page(make_app, make_user, make_network,
                                                              make_thread, login):
    app = make_app(RATELIMIT_ENABLED=True, FLAG_LIMIT_PER_PERSON="3 per hour")
    author, reader = make_user(), make_user()
    post_ids = _post_ids(app, make_thread(make_network(), author, posts=4))
    client = login(app.test_client(), reader)
    codes = [client.post(f"/posts/{post_id}/flag", data={"reason": "spam"}).status_code
             for post_id in post_ids]
    assert codes == [302, 302, 302, 429]
    refused = client.post(f"/posts/{post_ids[3]}/flag", data={"reason": "spam"})
    assert "Too many attempts" in refused.get_data(as_text=True)


def test_flagging_is_rate_limited_per_address(make_app, make_user, make_network, make_thread,
                                              login):
    app = make_app(RATELIMIT_ENABLED=True, FLAG_LIMIT_PER_ADDRESS="3 per hour")
    author = make_user()
    thread = make_thread(make_network(), author)
    codes = [login(app.test_client(), make_user()).post(
        f"/threads/{thread.id}/flag", data={"reason": "spam"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
