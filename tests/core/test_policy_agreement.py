"""Each of policy's SQL filters says in SQL what its Python twin says of one object.

One world is built for the module: networks of every visibility, live and archived;
people with every site role, memberships and manager roles, silenced and suspended;
articles in every state, with and without a network, by authors inside and outside
those networks; comments, threads and posts in every state. For every viewer and
every item the Python answer and the SQL filter must agree, and viewers with equal
``reach_key`` must be shown the same lists.
"""
from datetime import timedelta
from itertools import cycle
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from network import create_app
from network.accounts.models import User
from network.articles.models import Article, Comment
from network.core import policy
from network.core.time import utcnow
from network.extensions import db
from network.forum import services as forum_services
from network.forum.models import Post, Thread
from network.networks.models import Membership, Network
from tests.conftest import _empty_tables, base_config

VISIBILITIES = ("open", "closed", "private")
STATES = ("visible", "pending", "hidden", "deleted")
NETWORK_KEYS = [(v, archived) for v in VISIBILITIES for archived in (False, True)]

# name -> (site role, {network key: role}, silenced, suspended)
PEOPLE = {
    "nobody": ("member", {}, False, False),
    "nobody_suspended": ("member", {}, False, True),
    "ann": ("member", {("open", False): "member", ("closed", False): "member",
                       ("private", True): "member", ("closed", True): "manager"}, False, False),
    # Ann's networks with other roles: the same reach as Ann's.
    "ann_twin": ("member", {("open", False): "manager", ("closed", False): "member",
                            ("private", True): "manager", ("closed", True): "member"},
                 True, False),
    "bob": ("member", {("private", False): "manager", ("open", True): "member"}, False, False),
    "cat": ("associate", {("closed", False): "member", ("private", False): "member"},
            False, False),
    "dan": ("associate", {}, False, False),
    "moderator": ("moderator", {}, False, False),
    "moderator_member": ("moderator", {("private", False): "member"}, False, False),
    "admin": ("admin", {("closed", True): "manager"}, False, False),
}
AUTHORS = ("cat", "dan", "ann")


def _build(now):
    networks = {}
    for visibility, archived in NETWORK_KEYS:
        slug = f"{visibility}-{'archived' if archived else 'live'}"
        networks[(visibility, archived)] = network = Network(
            slug=slug, name=slug.title(), visibility=visibility,
            archived_at=now - timedelta(days=1) if archived else None)
        db.session.add(network)
    users = {}
    for name, (role, _, silenced, suspended) in PEOPLE.items():
        users[name] = user = User(
            username=name, email=f"{name}@agreement.example", password_hash="x",
            display_name=name.title(), organisation="Agreement Trust", sector="nhs", role=role,
            silenced_until=now + timedelta(days=3) if silenced else None,
            suspended_until=now + timedelta(days=3) if suspended else None)
        db.session.add(user)
    db.session.flush()
    for name, (_, roles, _, _) in PEOPLE.items():
        for key, role in roles.items():
            db.session.add(Membership(user_id=users[name].id, network_id=networks[key].id,
                                      role=role))
    article_states = {"draft": ("draft", None), "published": ("published", now - timedelta(hours=1)),
                      "scheduled": ("published", now + timedelta(days=1)),
                      "withdrawn": ("withdrawn", now - timedelta(days=2))}
    commenters = cycle([users["ann"], users["bob"], users["nobody"], users["cat"]])
    n = 0
    for author in AUTHORS:
        for key in [None, *NETWORK_KEYS]:
            for state, (status, published_at) in article_states.items():
                n += 1
                article = Article(
                    slug=f"a-{n}", title=f"Article {n}", body="b", body_html="b",
                    author_id=users[author].id, status=status, published_at=published_at,
                    network_id=networks[key].id if key else None)
                db.session.add(article)
                db.session.flush()
                if state == "published" or (state == "draft" and author == "cat"):
                    for comment_status in STATES:
                        db.session.add(Comment(article_id=article.id,
                                               author_id=next(commenters).id, body="c",
                                               body_html="c", status=comment_status))
    posters = cycle([users["ann"], users["bob"], users["cat"], users["ann_twin"]])
    for key in NETWORK_KEYS:
        for status in ("visible", "pending", "hidden"):
            for author in ("ann", "bob"):
                thread = Thread(network_id=networks[key].id, title="t", author_id=users[author].id,
                                status=status, post_count=len(STATES))
                db.session.add(thread)
                db.session.flush()
                for number, post_status in enumerate(STATES, start=1):
                    db.session.add(Post(thread_id=thread.id, number=number, body="p",
                                        body_html="p", author_id=next(posters).id,
                                        status=post_status))
    db.session.commit()


@pytest.fixture(scope="module")
def world(migrated):
    app = create_app(base_config(migrated))
    now = utcnow()
    with app.app_context():
        _build(now)
        users = {u.username: u for u in db.session.scalars(select(User))}
        viewers = {"anonymous": policy.Anonymous(), **users}
        yield SimpleNamespace(
            now=now, users=users, viewers=viewers,
            networks=db.session.scalars(select(Network)).all(),
            articles=db.session.scalars(select(Article).options(
                joinedload(Article.network))).all(),
            comments=db.session.scalars(select(Comment).options(
                joinedload(Comment.article).joinedload(Article.network))).all(),
            threads=db.session.scalars(select(Thread).options(
                joinedload(Thread.network))).all(),
            posts=db.session.scalars(select(Post).options(
                joinedload(Post.thread).joinedload(Thread.network))).all())
    _empty_tables(app)


def _ids(stmt):
    return set(db.session.scalars(stmt))


def test_the_world_is_varied(world):
    assert len(world.viewers) == len(PEOPLE) + 1
    assert {(n.visibility, n.is_archived) for n in world.networks} == set(NETWORK_KEYS)
    assert {c.status for c in world.comments} == set(STATES)
    assert {p.status for p in world.posts} == set(STATES)
    assert any(a.network is None for a in world.articles)
    assert any(u.is_silenced for u in world.users.values())
    assert any(u.is_suspended for u in world.users.values())
    assert {u.role for u in world.users.values()} == {"member", "associate", "moderator", "admin"}
    # Every answer below is asked of someone who gets yes and of someone who gets no.
    readers = {name for name, v in world.viewers.items()
               for a in world.articles if policy.can_read_article(v, a, world.now)}
    assert readers == set(world.viewers)


@pytest.mark.parametrize("python_rule, sql_rule", [
    (policy.can_view_network, policy.visible_networks),
    (policy.can_read_network_content, policy.readable_networks),
], ids=["visible_networks", "readable_networks"])
def test_network_rules_agree(world, python_rule, sql_rule):
    answers = set()
    for name, viewer in world.viewers.items():
        expected = {n.id for n in world.networks if python_rule(viewer, n)}
        assert _ids(select(Network.id).where(sql_rule(viewer, Network))) == expected, name
        answers.add(frozenset(expected))
    assert len(answers) > 2  # the viewers are not all told the same


def test_can_read_article_agrees_with_readable_articles(world):
    for name, viewer in world.viewers.items():
        expected = {a.id for a in world.articles
                    if policy.can_read_article(viewer, a, world.now)}
        found = _ids(select(Article.id).where(
            policy.readable_articles(viewer, Article, Network, world.now)))
        assert found == expected, name


def _listed(viewer, article, now):
    """What ``visible_articles`` says, in the words of its docstring: live articles
    outside networks, or in networks whose content the viewer may read."""
    return policy.is_article_live(article, now) and (
        article.network is None or policy.can_read_network_content(viewer, article.network))


def test_visible_articles_lists_the_live_articles_the_viewer_may_read(world):
    for name, viewer in world.viewers.items():
        expected = {a.id for a in world.articles if _listed(viewer, a, world.now)}
        found = _ids(select(Article.id).where(
            policy.visible_articles(viewer, Article, Network, world.now)))
        assert found == expected, name
        # Listed implies readable: a list never links to a page that answers 404.
        assert all(policy.can_read_article(viewer, a, world.now)
                   for a in world.articles if a.id in found), name


def test_can_see_comment_agrees_with_visible_comments(world):
    for name, viewer in world.viewers.items():
        expected = {c.id for c in world.comments if policy.can_see_comment(viewer, c)}
        found = _ids(select(Comment.id).where(policy.visible_comments(viewer, Comment)))
        assert found == expected, name


def test_can_see_thread_agrees_with_thread_readers(world):
    users = world.users.values()
    for thread in world.threads:
        expected = {u.id for u in users if policy.can_see_thread(u, thread)}
        found = _ids(select(User.id).where(policy.thread_readers(thread, User, Membership)))
        assert found == expected, (thread.id, thread.status, thread.network.slug)


def test_thread_lists_show_the_threads_the_viewer_may_open(world):
    for name, viewer in world.viewers.items():
        for network in world.networks:
            if not policy.can_read_network_content(viewer, network):
                continue
            expected = {t.id for t in world.threads
                        if t.network_id == network.id and policy.can_see_thread(viewer, t)}
            found = _ids(select(Thread.id).where(
                forum_services.threads_clause(viewer, network)))
            assert found == expected, (name, network.slug)


def test_posts_shown_agree_with_the_page_count(world):
    """``last_shown_number`` (SQL, shared by viewers) counts exactly the posts that
    ``post_access`` lets the viewer open."""
    for name, viewer in world.viewers.items():
        for thread in world.threads:
            if policy.thread_access(viewer, thread) is not policy.Access.READABLE:
                continue
            shown = [p.number for p in world.posts if p.thread_id == thread.id
                     and policy.post_access(viewer, p) is policy.Access.READABLE]
            moderating = policy.can_moderate_network(viewer, thread.network)
            assert forum_services.last_shown_number(thread.id, viewer, moderating) == max(
                shown, default=0), (name, thread.id)


def test_posts_and_comments_share_one_text_rule(world):
    """A post and a comment with the same author, state and network get the same answer."""
    article_in = {a.network_id: a for a in world.articles}
    for name, viewer in world.viewers.items():
        for post in world.posts:
            network = post.thread.network
            twin = SimpleNamespace(author_id=post.author_id, status=post.status,
                                   article=article_in[network.id])
            assert policy.can_see_post_text(viewer, post, network) is \
                policy.can_see_comment_text(viewer, twin), (name, post.id)


def test_viewers_with_equal_reach_keys_are_shown_the_same_lists(world):
    groups = {}
    for name, viewer in world.viewers.items():
        groups.setdefault(policy.reach_key(viewer), []).append((name, viewer))
    shared = [group for group in groups.values() if len(group) > 1]
    assert len(shared) >= 3  # staff, Ann and her twin, the people in no network

    def lists(viewer):
        return (_ids(select(Network.id).where(policy.visible_networks(viewer, Network))),
                _ids(select(Network.id).where(policy.readable_networks(viewer, Network))),
                _ids(select(Article.id).where(
                    policy.visible_articles(viewer, Article, Network, world.now))))

    for group in groups.values():
        (first_name, first), *others = group
        for name, viewer in others:
            assert lists(viewer) == lists(first), (name, first_name)
