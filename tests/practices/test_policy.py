"""The practice rules in core.policy.practices, as tables of persona x state -> answer."""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from network.core.policy import practices as rules
from tests.articles.test_policy import NETWORKS, PEOPLE  # the same personas

ALL = {"anonymous", "author", "member", "manager", "outsider", "moderator", "admin"}


def _user(uid, role="member", trusted=False):
    return SimpleNamespace(id=uid, role=role, is_authenticated=True, trusted=trusted,
                           is_suspended=False, is_silenced=False, network_roles={})


def _practice(status="published", network=None, reviewed=datetime(2026, 1, 1)):
    return SimpleNamespace(author_id=1, status=status, network=NETWORKS.get(network),
                           last_reviewed_at=reviewed)


READ = [
    ("published", None, ALL),
    ("published", "open", ALL),
    ("published", "closed", {"author", "member", "manager", "moderator", "admin"}),
    ("published", "private", {"author", "member", "manager", "moderator", "admin"}),
    ("pending", None, {"author", "moderator", "admin"}),
    ("draft", "private", {"author", "moderator", "admin"}),
    ("withdrawn", "open", {"author", "moderator", "admin"}),
]


@pytest.mark.parametrize("status,network,readers", READ)
def test_who_may_read_a_practice(status, network, readers):
    practice = _practice(status, network)
    assert {p for p, u in PEOPLE.items() if rules.can_read_practice(u, practice)} == readers


EDIT = [
    ("published", None, {"author", "moderator", "admin"}),
    ("draft", "private", {"author", "moderator", "admin"}),
]


@pytest.mark.parametrize("status,network,editors", EDIT)
def test_who_may_edit_a_practice(status, network, editors):
    practice = _practice(status, network)
    assert {p for p, u in PEOPLE.items() if rules.can_edit_practice(u, practice)} == editors
    assert {p for p, u in PEOPLE.items()
            if rules.can_read_practice_history(u, practice)} == editors


def test_nobody_edits_or_adopts_in_an_archived_network():
    practice = _practice("published", "open")
    practice.network = SimpleNamespace(id=1, visibility="open", is_archived=True)
    assert not any(rules.can_edit_practice(u, practice) for u in PEOPLE.values())
    assert not any(rules.can_adopt_practice(u, practice) for u in PEOPLE.values())


@pytest.mark.parametrize("status,network,adopters", [
    ("published", None, ALL - {"anonymous"}),
    ("published", "private", {"author", "member", "manager", "moderator", "admin"}),
    ("pending", None, set()),
])
def test_who_may_adopt(status, network, adopters):
    practice = _practice(status, network)
    assert {p for p, u in PEOPLE.items() if rules.can_adopt_practice(u, practice)} == adopters


def test_an_adoption_is_updated_by_its_adopter_and_staff_while_they_may_read_it():
    adoption = SimpleNamespace(adopter_id=4, practice=_practice("published", None))
    assert {p for p, u in PEOPLE.items() if rules.can_update_adoption(u, adoption)} == {
        "outsider", "moderator", "admin"}
    adoption.practice = _practice("published", "private")
    assert {p for p, u in PEOPLE.items() if rules.can_update_adoption(u, adoption)} == {
        "moderator", "admin"}


def test_untrusted_members_wait_for_approval_associates_do_not():
    assert rules.practice_needs_approval(PEOPLE["member"])
    assert not rules.practice_needs_approval(_user(9, trusted=True))
    assert not rules.practice_needs_approval(_user(9, "associate"))


def test_a_practice_needs_review_after_24_months():
    now = datetime(2026, 6, 1)
    assert rules.needs_review(_practice(reviewed=now - timedelta(days=731)), now)
    assert not rules.needs_review(_practice(reviewed=now - timedelta(days=700)), now)
