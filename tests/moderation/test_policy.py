"""Moderation policy, as tables: persona x object state -> answer."""
from types import SimpleNamespace

import pytest

from network.core import policy

NETWORK = SimpleNamespace(id=10, visibility="open")


def person(role="member", uid=1, roles=None, trusted=False, silenced=False, suspended=False):
    return SimpleNamespace(id=uid, role=role, is_authenticated=True, network_roles=roles or {},
                           trusted=trusted, is_silenced=silenced, is_suspended=suspended)


ANON = policy.Anonymous()
MEMBER = person(roles={10: "member"})
MANAGER = person(uid=2, roles={10: "manager"})
OTHER_MANAGER = person(uid=3, roles={11: "manager"})
MODERATOR = person("moderator", uid=4)
ADMIN = person("admin", uid=5)


@pytest.mark.parametrize("user, expected", [
    (ANON, False), (MEMBER, False), (MANAGER, True), (OTHER_MANAGER, True), (MODERATOR, True),
    (ADMIN, True)])
def test_who_sees_the_review_queue(user, expected):
    assert policy.can_see_review_queue(user) is expected
    assert policy.can_view_moderation_log(user) is expected


@pytest.mark.parametrize("user, network, expected", [
    (MANAGER, NETWORK, True), (OTHER_MANAGER, NETWORK, False), (MEMBER, NETWORK, False),
    (MODERATOR, NETWORK, True), (MANAGER, None, False), (MODERATOR, None, True), (ANON, None, False)])
def test_who_moderates_content(user, network, expected):
    assert policy.can_moderate_content(user, network) is expected


@pytest.mark.parametrize("user, status, author_id, expected", [
    (ANON, "visible", 1, True), (MEMBER, "pending", 1, True), (MANAGER, "pending", 1, True),
    (OTHER_MANAGER, "pending", 1, False), (ANON, "pending", 1, False),
    (MEMBER, "hidden", 1, False), (MANAGER, "hidden", 1, True), (MODERATOR, "deleted", 1, True),
    (MEMBER, "deleted", 1, False), (ANON, "deleted", 1, False)])
def test_who_sees_content_in_each_state(user, status, author_id, expected):
    assert policy.can_see_content(user, NETWORK, status, author_id) is expected


@pytest.mark.parametrize("actor, member, expected", [
    (MODERATOR, MEMBER, True), (ADMIN, person("associate", uid=9), True),
    (MODERATOR, ADMIN, False), (MODERATOR, person("moderator", uid=8), False),
    (MODERATOR, MODERATOR, False), (MANAGER, MEMBER, False), (ANON, MEMBER, False)])
def test_who_may_sanction_whom(actor, member, expected):
    assert policy.can_sanction_member(actor, member) is expected


@pytest.mark.parametrize("user, author_id, expected", [
    (ANON, 9, False), (MEMBER, 1, False), (MEMBER, 9, True),
    (person(uid=7, suspended=True), 9, False), (person(uid=7, silenced=True), 9, True)])
def test_who_may_flag(user, author_id, expected):
    assert policy.can_flag_content(user, author_id) is expected


def test_silenced_notice_only_for_silenced_people():
    assert policy.is_silenced_member(person(silenced=True))
    assert not policy.is_silenced_member(MEMBER) and not policy.is_silenced_member(ANON)


def test_readable_articles_clause_agrees_with_can_read_article(app, make_user, make_network,
                                                               make_article):
    """The queue filters with the clause and its actions check with the function: one rule."""
    from datetime import timedelta

    from sqlalchemy import select

    from network.accounts.models import User
    from network.articles.models import Article
    from network.core.time import utcnow
    from network.extensions import db
    from network.networks.models import Network

    author, outsider = make_user(role="associate"), make_user()
    members = {v: make_user() for v in ("open", "closed", "private")}
    managers = {v: make_user() for v in ("open", "closed", "private")}
    networks = [None] + [make_network(visibility=v, members=[members[v], author],
                                      managers=[managers[v]]) for v in members]
    states = {"live": {}, "draft": dict(status="draft", published_at=None),
              "withdrawn": dict(status="withdrawn"),
              "scheduled": dict(published_at=utcnow() + timedelta(days=1))}
    made = [(make_article(author, network=network), values)
            for network in networks for values in states.values()]
    with app.app_context():
        for article, values in made:
            if values:
                db.session.execute(db.update(Article).where(Article.id == article.id)
                                   .values(**values))
        db.session.commit()
    people = [author, outsider, *members.values(), *managers.values(),
              make_user(role="moderator"), make_user(role="admin")]
    for who in [None] + [p.id for p in people]:
        with app.test_request_context():
            viewer = db.session.get(User, who) if who else policy.Anonymous()
            now = utcnow()
            articles = db.session.scalars(select(Article)).all()
            by_function = {a.id for a in articles if policy.can_read_article(viewer, a, now)}
            by_clause = set(db.session.scalars(select(Article.id).where(
                policy.readable_articles(viewer, Article, Network, now))))
            assert by_clause == by_function, getattr(viewer, "role", None)
            assert by_function  # never vacuous: everyone reads something
