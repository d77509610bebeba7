"""The forum's permission rules, as a table: viewer x object state -> answer."""
from types import SimpleNamespace

import pytest

from network.core import policy

NET = 7


class Person:
    is_authenticated = True

    def __init__(self, id, role="member", roles=None, silenced=False):
        self.id, self.role, self.network_roles = id, role, roles or {}
        self.is_silenced, self.is_suspended, self.trusted = silenced, False, True


PEOPLE = {
    "anonymous": policy.Anonymous(),
    "outsider": Person(1),
    "author": Person(2, roles={NET: "member"}),
    "member": Person(3, roles={NET: "member"}),
    "manager": Person(4, roles={NET: "manager"}),
    "other_manager": Person(5, roles={NET + 1: "manager"}),
    "moderator": Person(6, role="moderator"),
    "silenced_author": Person(2, roles={NET: "member"}, silenced=True),
}


def _network(visibility="open"):
    return SimpleNamespace(id=NET, visibility=visibility, is_archived=False)


def _thread(status="visible", locked=False, visibility="open"):
    return SimpleNamespace(id=1, status=status, locked=locked, author_id=2,
                           network=_network(visibility))


def _post(status="visible"):
    return SimpleNamespace(id=1, status=status, author_id=2)


@pytest.mark.parametrize("who, status, visibility, expected", [
    ("anonymous", "visible", "open", True),
    ("anonymous", "visible", "closed", False),
    ("outsider", "visible", "private", False),
    ("member", "visible", "private", True),
    ("member", "hidden", "open", False),
    ("manager", "hidden", "open", True),
    ("other_manager", "hidden", "open", False),
    ("moderator", "hidden", "private", True),
    ("author", "pending", "open", True),
    ("member", "pending", "open", False),
])
def test_can_see_thread(who, status, visibility, expected):
    assert policy.can_see_thread(PEOPLE[who], _thread(status, visibility=visibility)) is expected


@pytest.mark.parametrize("who, locked, status, expected", [
    ("member", False, "visible", True),
    ("member", True, "visible", False),
    ("member", False, "hidden", False),
    ("outsider", False, "visible", False),
    ("moderator", False, "visible", False),  # staff who are not members do not post
    ("silenced_author", False, "visible", False),
    ("anonymous", False, "visible", False),
])
def test_can_reply_to_thread(who, locked, status, expected):
    assert policy.can_reply_to_thread(PEOPLE[who], _thread(status, locked)) is expected


@pytest.mark.parametrize("who, post_status, expected", [
    ("author", "visible", True),
    ("author", "pending", True),
    ("author", "deleted", False),
    ("author", "hidden", False),
    ("member", "visible", False),
    ("manager", "visible", False),
    ("silenced_author", "visible", False),
])
def test_can_edit_post(who, post_status, expected):
    assert policy.can_edit_post(PEOPLE[who], _post(post_status), _thread()) is expected


@pytest.mark.parametrize("who, post_status, expected", [
    ("anonymous", "visible", True), ("anonymous", "hidden", False),
    ("member", "pending", False), ("author", "pending", True),
    ("manager", "deleted", True), ("other_manager", "hidden", False),
])
def test_can_see_post_text(who, post_status, expected):
    assert policy.can_see_post_text(PEOPLE[who], _post(post_status), _network()) is expected
