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


def _network(visibility="open", archived=False):
    return SimpleNamespace(id=NET, visibility=visibility, is_archived=archived)


def _thread(status="visible", locked=False, visibility="open", archived=False):
    return SimpleNamespace(id=1, status=status, locked=locked, author_id=2,
                           network=_network(visibility, archived))


def _post(status="visible", thread=None):
    return SimpleNamespace(id=1, status=status, author_id=2, thread=thread or _thread())


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
    # Staff post in a locked thread to say why it was locked (issue 9).
    ("manager", True, "visible", True),
    ("moderator", True, "visible", True),
    ("other_manager", True, "visible", False),
    ("manager", True, "hidden", False),
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


def test_nobody_replies_or_deletes_posts_in_an_archived_network():
    archived = _thread(archived=True)
    locked = _thread(locked=True, archived=True)
    assert {who for who, person in PEOPLE.items()
            if policy.can_reply_to_thread(person, archived)
            or policy.can_reply_to_thread(person, locked)} == set()
    assert not policy.can_delete_own_post(PEOPLE["author"], _post(thread=archived))
    assert policy.can_delete_own_post(PEOPLE["author"], _post())


A = policy.Access


@pytest.mark.parametrize("who, status, visibility, expected", [
    ("anonymous", "visible", "open", A.READABLE),
    ("anonymous", "visible", "closed", A.MEMBERS_ONLY),
    ("outsider", "hidden", "closed", A.MEMBERS_ONLY),  # the network answers first
    ("outsider", "visible", "private", A.NOT_FOUND),
    ("member", "hidden", "private", A.NOT_FOUND),
    ("author", "pending", "closed", A.READABLE),
    ("manager", "hidden", "private", A.READABLE),
    ("moderator", "hidden", "private", A.READABLE),
])
def test_thread_access_is_one_verdict(who, status, visibility, expected):
    thread = _thread(status, visibility=visibility)
    assert policy.thread_access(PEOPLE[who], thread) is expected
    assert policy.can_see_thread(PEOPLE[who], thread) is (expected is A.READABLE)


@pytest.mark.parametrize("who, post_status, visibility, expected", [
    ("member", "hidden", "open", A.READABLE),    # its place is kept, with a placeholder
    ("member", "pending", "open", A.NOT_FOUND),
    ("author", "pending", "open", A.READABLE),
    ("manager", "pending", "open", A.READABLE),
    ("anonymous", "pending", "closed", A.MEMBERS_ONLY),
    ("outsider", "visible", "private", A.NOT_FOUND),
])
def test_post_access_is_the_threads_verdict_then_the_posts(who, post_status, visibility,
                                                           expected):
    post = _post(post_status, thread=_thread(visibility=visibility))
    assert policy.post_access(PEOPLE[who], post) is expected
    assert policy.thread_access(None, None) is A.NOT_FOUND
