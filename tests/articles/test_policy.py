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
    comment = SimpleNamespace(author_id=writer.id, status="visible", article=_article(),
                              created_at=NOW - timedelta(minutes=14))
    assert policy.can_edit_comment(writer, comment, NOW)
    assert not policy.can_edit_comment(writer, comment, NOW + timedelta(minutes=2))
    assert not policy.can_edit_comment(PEOPLE["admin"], comment, NOW)
    pending = SimpleNamespace(author_id=writer.id, status="pending", article=_article())
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


@pytest.mark.parametrize("status, network, readers", [
    # One rule for the text of comments and posts (policy.can_see_content): a network's
    # managers read pending and hidden comments in their own network, as they do posts.
    # Before, a pending comment's text was for its author and site staff only.
    ("pending", "closed", {"member", "manager", "moderator", "admin"}),
    ("pending", None, {"member", "moderator", "admin"}),
    ("hidden", "open", {"manager", "moderator", "admin"}),
    ("visible", "open", set(PEOPLE)),
])
def test_who_may_read_a_comment_in_each_state(status, network, readers):
    comment = SimpleNamespace(author_id=PEOPLE["member"].id, status=status,
                              article=_article(network=network))
    assert {name for name, person in PEOPLE.items()
            if policy.can_see_comment_text(person, comment)} == readers
    # The same rule answers for a post with the same author, state and network.
    post = SimpleNamespace(author_id=PEOPLE["member"].id, status=status)
    assert {name for name, person in PEOPLE.items()
            if policy.can_see_post_text(person, post, NETWORKS.get(network))} == readers


def test_an_archived_network_keeps_its_comments_as_they_are():
    """Read-only: their authors neither edit (even inside the 15 minutes) nor delete them."""
    archived = SimpleNamespace(id=9, visibility="open", is_archived=True)
    writer = PEOPLE["member"]
    article = _article()
    article.network = archived
    comment = SimpleNamespace(author_id=writer.id, status="visible", article=article,
                              created_at=NOW - timedelta(minutes=1))
    assert not policy.can_edit_comment(writer, comment, NOW)
    assert not policy.can_delete_comment(writer, comment)
    comment.article = _article(network="open")
    assert policy.can_edit_comment(writer, comment, NOW)
    assert policy.can_delete_comment(writer, comment)


@pytest.mark.parametrize("status, who, expected", [
    ("visible", "outsider", policy.Access.READABLE),
    ("pending", "outsider", policy.Access.NOT_FOUND),
    ("pending", "manager", policy.Access.READABLE),
    ("hidden", "member", policy.Access.NOT_FOUND),
    ("hidden", "manager", policy.Access.READABLE),
    ("deleted", "author", policy.Access.NOT_FOUND),
    ("deleted", "moderator", policy.Access.NOT_FOUND),
])
def test_comment_access_is_one_verdict(status, who, expected):
    comment = SimpleNamespace(author_id=PEOPLE["author"].id, status=status,
                              article=_article(network="open"))
    assert policy.comment_access(PEOPLE[who], comment, NOW) is expected
    draft = SimpleNamespace(author_id=PEOPLE["author"].id, status="visible",
                            article=_article("draft"))
    assert policy.comment_access(PEOPLE["member"], draft, NOW) is policy.Access.NOT_FOUND
