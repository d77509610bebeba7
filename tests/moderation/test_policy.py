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
