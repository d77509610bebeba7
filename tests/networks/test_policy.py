"""The networks' permission rules, as tables: viewer x network state -> answer."""
from types import SimpleNamespace

import pytest

from network.core import policy

A = policy.Access
NET = 3


def _person(uid, role="member", roles=None):
    return SimpleNamespace(id=uid, role=role, is_authenticated=True, network_roles=roles or {},
                           trusted=True, is_suspended=False, is_silenced=False)


PEOPLE = {
    "anonymous": policy.Anonymous(),
    "outsider": _person(1, roles={NET + 1: "member"}),
    "member": _person(2, roles={NET: "member"}),
    "manager": _person(3, roles={NET: "manager"}),
    "moderator": _person(4, "moderator"),
    "admin": _person(5, "admin"),
}


def _network(visibility, archived=False):
    return SimpleNamespace(id=NET, visibility=visibility, is_archived=archived)


@pytest.mark.parametrize("visibility, verdicts", [
    ("open", dict.fromkeys(PEOPLE, A.READABLE)),
    ("closed", dict(dict.fromkeys(PEOPLE, A.READABLE), anonymous=A.MEMBERS_ONLY,
                    outsider=A.MEMBERS_ONLY)),
    ("private", dict(dict.fromkeys(PEOPLE, A.READABLE), anonymous=A.NOT_FOUND,
                     outsider=A.NOT_FOUND)),
])
def test_network_access_is_one_verdict(visibility, verdicts):
    network = _network(visibility)
    for who, person in PEOPLE.items():
        verdict = policy.network_access(person, network)
        assert verdict is verdicts[who], who
        assert policy.can_view_network(person, network) is (verdict is not A.NOT_FOUND)
        assert policy.can_read_network_content(person, network) is (verdict is A.READABLE)
    assert policy.network_access(PEOPLE["admin"], None) is A.NOT_FOUND


@pytest.mark.parametrize("archived, deciders", [
    (False, {"manager", "admin"}),
    (True, set()),  # read-only: declining too (issue 9)
])
def test_who_decides_requests_to_join(archived, deciders):
    network = _network("closed", archived)
    assert {who for who, person in PEOPLE.items()
            if policy.can_decide_join_requests(person, network)} == deciders
