"""The article and comment rules in core.policy, as tables of persona x state -> answer."""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from network.core import policy

NOW = datetime(2026, 1, 1, 12, 0)


def _user(uid, role="member", networks=None, trusted=False):
    return SimpleNamespace(id=uid, role=role, is_authenticated=True, trusted=trusted,
                           is_suspended=False, is_silenced=False, network_roles=networks or {})


NETWORKS = {v: SimpleNamespace(id=i, visibility=v, is_archived=False)
            for i, v in enumerate(("open", "closed", "private"), start=1)}
PEOPLE = {
    "anonymous": policy.Anonymous(),
    "author": _user(1, "associate", {1: "member", 2: "member", 3: "member"}),
    "member": _user(2, "member", {1: "member", 2: "member", 3: "member"}),
    "manager": _user(3, "member", {1: "manager", 2: "manager", 3: "manager"}),
    "outsider": _user(4, "member"),
    "moderator": _user(5, "moderator"),
    "admin": _user(6, "admin"),
}


def _article(status="published", network=None, published_at=NOW - timedelta(hours=1),
             comments_open=True):
    return SimpleNamespace(author_id=1, status=status, network=NETWORKS.get(network),
                           published_at=published_at, comments_open=comments_open)


READ = [
    # state, network, who may read
    ("published", None, {"anonymous", "author", "member", "manager", "outsider", "moderator",
                         "admin"}),
    ("published", "open", {"anonymous", "author", "member", "manager", "outsider", "moderator",
                           "admin"}),
    ("published", "closed", {"author", "member", "manager", "moderator", "admin"}),
    ("published", "private", {"author", "member", "manager", "moderator", "admin"}),
    ("draft", None, {"author", "admin"}),
    ("draft", "private", {"author", "admin"}),
    ("withdrawn", None, {"author", "admin"}),
    ("scheduled", None, {"author", "admin"}),
]


@pytest.mark.parametrize("state,network,readers", READ)
def test_who_may_read_an_article(state, network, readers):
    if state == "scheduled":
        article = _article(network=network, published_at=NOW + timedelta(days=1))
    else:
        article = _article(state, network)
    allowed = {name for name, person in PEOPLE.items()
               if policy.can_read_article(person, article, NOW)}
    assert allowed == readers


def test_who_may_comment_edit_and_close():
    article = _article()
    assert not policy.can_comment(PEOPLE["anonymous"], article, NOW)
    assert policy.can_comment(PEOPLE["outsider"], article, NOW)
    assert not policy.can_comment(PEOPLE["outsider"], _article(comments_open=False), NOW)
    assert not policy.can_comment(PEOPLE["admin"], _article("draft"), NOW)
    assert {n for n, p in PEOPLE.items() if policy.can_edit_article(p, article)} == {
        "author", "admin"}
    closers = {n for n, p in PEOPLE.items() if policy.can_close_comments(p, article)}
    assert closers == {"author", "moderator", "admin"}
    in_network = _article(network="closed")
    assert policy.can_close_comments(PEOPLE["manager"], in_network)


def test_nobody_comments_in_an_archived_network():
    archived = SimpleNamespace(id=9, visibility="open", is_archived=True)
    article = _article()
    article.network = archived
    assert {n for n, p in PEOPLE.items() if policy.can_comment(p, article, NOW)} == set()
    assert policy.can_comment(PEOPLE["member"], _article(network="open"), NOW)


def test_comment_edit_window_and_visibility():
    writer = PEOPLE["member"]
    comment = SimpleNamespace(author_id=writer.id, status="visible",
                              created_at=NOW - timedelta(minutes=14))
    assert policy.can_edit_comment(writer, comment, NOW)
    assert not policy.can_edit_comment(writer, comment, NOW + timedelta(minutes=2))
    assert not policy.can_edit_comment(PEOPLE["admin"], comment, NOW)
    pending = SimpleNamespace(author_id=writer.id, status="pending")
    hidden = SimpleNamespace(author_id=writer.id, status="hidden", article=_article())
    assert policy.can_see_comment_text(writer, pending)
    assert not policy.can_see_comment_text(PEOPLE["outsider"], pending)
    assert not policy.can_see_comment_text(writer, hidden)
    assert policy.can_see_comment_text(PEOPLE["moderator"], hidden)


@pytest.mark.parametrize("network,readers", [
    (None, {"moderator", "admin"}),
    ("closed", {"manager", "moderator", "admin"}),
])
def test_who_may_read_a_hidden_comment(network, readers):
    hidden = SimpleNamespace(author_id=2, status="hidden", article=_article(network=network))
    assert {name for name, person in PEOPLE.items()
            if policy.can_see_comment_text(person, hidden)} == readers
