"""Starting a network, its slug, its settings, and archiving."""
import re

import pytest
from sqlalchemy import select

from network.core.slugs import slugify
from network.extensions import db
from network.moderation.models import ModerationAction
from network.networks.models import Membership, Network


def _form(**overrides):
    data = {"name": "Frailty Leads North", "summary": "People leading frailty services.",
            "description": "We **share** what works. <script>alert(1)</script>",
            "region": "2", "topics": ["5", "7"], "visibility": "closed"}
    data.update(overrides)
    return data


def test_member_creates_a_network_and_becomes_its_manager(app, make_user, as_user, fetch):
    creator = make_user()
    client = as_user(creator)
    response = client.post("/networks/new", data=_form())
    assert response.status_code == 302
    assert response.location.endswith("/networks/frailty-leads-north/")
    network = fetch(Network, slug="frailty-leads-north")
    assert (network.visibility, network.region_id, network.member_count) == ("closed", 2, 1)
    assert "<strong>share</strong>" in network.description_html
    assert "<script" not in network.description_html
    membership = fetch(Membership, network_id=network.id)
    assert (membership.user_id, membership.role) == (creator.id, "manager")
    with app.app_context():
        topic_slugs = {t.slug for t in db.session.get(Network, network.id).topics}
    assert topic_slugs == {"frailty-and-older-people", "community-services"}
    page = client.get(response.location).get_data(as_text=True)
    assert "You are a manager of this network" in page


def test_national_network_has_no_region(app, make_user, as_user, fetch):
    as_user(make_user()).post("/networks/new", data=_form(region="national", topics=[]))
    assert fetch(Network, slug="frailty-leads-north").region_id is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/networks/new")
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("name, slug", [
    ("Réseau Santé Mentale", "reseau-sante-mentale"),
    ("Straße & Ærø", "strasse-and-aero"),
    ("  Care -- Homes!!  ", "care-homes"),
    ("精神健康", "network"),
])
def test_slugs_are_ascii_and_readable(name, slug):
    assert slugify(name, fallback="network") == slug


SUFFIXED = r"care-homes-[a-z0-9]{4}"


def test_slugs_get_a_random_suffix_when_taken_and_stay_after_a_rename(app, make_user, as_user,
                                                                      fetch):
    # A counter (-2, -3) told anyone how many networks, private ones included, had
    # taken the name's slug; a random suffix tells nothing of the others.
    client = as_user(make_user())
    client.post("/networks/new", data=_form(name="Care Homes"))
    client.post("/networks/new", data=_form(name="Care-Homes"))
    assert client.post("/networks/new", data=_form(name="CARE HOMES")).status_code == 400
    client.post("/networks/new", data=_form(name="Care homes!"))
    second, third = fetch(Network, name="Care-Homes").slug, fetch(Network, name="Care homes!").slug
    assert re.fullmatch(SUFFIXED, second) and re.fullmatch(SUFFIXED, third)
    assert second != third and "care-homes-2" not in (second, third)
    response = client.post("/networks/care-homes/settings", data=_form(name="Residential Care"))
    assert response.status_code == 302
    assert fetch(Network, slug="care-homes").name == "Residential Care"


def test_a_private_networks_name_is_not_refused_to_outsiders(app, make_user, make_network,
                                                             as_user, fetch):
    make_network(name="Quiet Circle", slug="quiet-circle", visibility="private")
    response = as_user(make_user()).post("/networks/new", data=_form(name="quiet circle"))
    assert response.status_code == 302
    assert re.fullmatch(r"quiet-circle-[a-z0-9]{4}", fetch(Network, name="quiet circle").slug)


def test_renaming_to_a_private_networks_name_is_not_refused_to_outsiders(
        app, make_user, make_network, as_user, fetch):
    manager = make_user()
    make_network(name="Quiet Circle", visibility="private")
    network = make_network(name="Mine", managers=[manager])
    response = as_user(manager).post(f"/networks/{network.slug}/settings",
                                     data=_form(name="Quiet Circle"))
    assert response.status_code == 302
    assert fetch(Network, id=network.id).name == "Quiet Circle"


def test_a_private_networks_name_is_refused_to_its_members(app, make_user, make_network,
                                                           as_user, fetch):
    member = make_user()
    make_network(name="Quiet Circle", visibility="private", members=[member])
    response = as_user(member).post("/networks/new", data=_form(name="quiet circle"))
    assert response.status_code == 400
    assert "A network with that name already exists" in response.get_data(as_text=True)


def test_a_network_called_new_does_not_shadow_the_create_page(app, make_user, as_user, fetch):
    as_user(make_user()).post("/networks/new", data=_form(name="New"))
    assert fetch(Network, name="New").slug == "new-network"


def test_duplicate_name_is_refused_beside_the_field(app, make_user, as_user, make_network):
    make_network(name="Frailty Leads North")
    response = as_user(make_user()).post("/networks/new",
                                         data=_form(name="FRAILTY leads north"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A network with that name already exists" in page
    assert "People leading frailty services." in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Network.id))) == 1


@pytest.mark.parametrize("overrides, message", [
    ({"name": "   "}, "Enter a name for the network."),
    ({"name": "x" * 121}, "Use 120 characters or fewer."),
    ({"summary": ""}, "Enter a one-line summary."),
    ({"summary": "s" * 301}, "Use 300 characters or fewer."),
    ({"description": "d" * 20001}, "Use 20,000 characters or fewer."),
    ({"visibility": "secret"}, "Choose open, closed or private."),
    ({"visibility": ""}, "Choose who can see the network."),
    ({"region": "999"}, "Choose a region from the list, or national."),
    ({"region": "atlantis"}, "Choose a region from the list, or national."),
    ({"topics": ["999"]}, "Choose topics from the list."),
    ({"topics": ["abc"]}, "Choose topics from the list."),
    # Ids past what a column holds, and digits int() cannot read, were a 500.
    ({"region": "99999999999999999999"}, "Choose a region from the list, or national."),
    ({"region": "²"}, "Choose a region from the list, or national."),
    ({"topics": ["99999999999999999999"]}, "Choose topics from the list."),
    ({"name": "Bad\x00name"}, "characters we cannot accept"),
])
def test_bad_input_gets_a_clear_message_and_creates_nothing(app, make_user, as_user,
                                                            overrides, message):
    response = as_user(make_user()).post("/networks/new", data=_form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Network.id))) == 0
        assert db.session.scalar(select(db.func.count(Membership.id))) == 0


def test_settings_change_visibility_everywhere_at_once(app, make_user, make_network, as_user,
                                                       client, fetch):
    manager = make_user()
    network = make_network(name="Soon Private", managers=[manager])
    assert "Soon Private" in client.get("/networks/").get_data(as_text=True)
    response = as_user(manager).post(f"/networks/{network.slug}/settings",
                                     data=_form(name="Soon Private", visibility="private"))
    assert response.status_code == 302
    assert "Soon Private" not in client.get("/networks/").get_data(as_text=True)
    assert client.get(f"/networks/{network.slug}/").status_code == 404
    entry = fetch(ModerationAction, action="change_visibility")
    assert (entry.network_id, entry.detail) == (network.id, "open -> private")


def test_settings_refuse_another_networks_name(app, make_user, make_network, as_user, fetch):
    manager = make_user()
    make_network(name="Taken Name")
    network = make_network(name="Mine", managers=[manager])
    response = as_user(manager).post(f"/networks/{network.slug}/settings",
                                     data=_form(name="taken name"))
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert fetch(Network, id=network.id).name == "Mine"


def test_settings_form_shows_current_values(app, make_user, make_network, as_user):
    manager = make_user()
    network = make_network(name="Shown Values", summary="Current summary", managers=[manager],
                           region_id=5)
    page = as_user(manager).get(f"/networks/{network.slug}/settings").get_data(as_text=True)
    assert 'value="Shown Values"' in page and "Current summary" in page
    assert '<option selected value="5">' in page


def test_members_and_moderators_cannot_change_settings(app, make_user, make_network, as_user):
    member, moderator = make_user(), make_user(role="moderator")
    network = make_network(members=[member])
    for person in (member, moderator):
        response = as_user(person).post(f"/networks/{network.slug}/settings",
                                        data=_form(name="Hijacked"))
        assert response.status_code == 403


def test_archived_network_settings_cannot_be_changed(app, make_user, make_network, as_user,
                                                    fetch):
    from network.core.time import utcnow

    manager, admin = make_user(), make_user(role="admin")
    network = make_network(managers=[manager], name="Dormant Network", archived_at=utcnow())
    for person in (manager, admin):
        client = as_user(person)
        page = client.get(f"/networks/{network.slug}/settings").get_data(as_text=True)
        assert "settings cannot be changed" in page and "Save settings" not in page
        response = client.post(f"/networks/{network.slug}/settings",
                               data=_form(name="Renamed", visibility="open"))
        assert response.status_code == 403
        assert "archived" in response.get_data(as_text=True)
    stored = fetch(Network, id=network.id)
    assert (stored.name, stored.visibility) == ("Dormant Network", "open")
    # The administrator can still unarchive it from the same page.
    assert "Unarchive network" in as_user(admin).get(
        f"/networks/{network.slug}/settings").get_data(as_text=True)


def test_admin_archives_and_unarchives_with_a_logged_reason(app, make_user, make_network,
                                                            as_user, client, fetch):
    member, outsider = make_user(), make_user()
    network = make_network(name="Old Network", members=[member])
    admin = as_user(make_user(role="admin"))
    response = admin.post(f"/networks/{network.slug}/archive",
                          data={"action": "archive", "reason": "Inactive for a year"})
    assert response.status_code == 302
    assert fetch(Network, id=network.id).archived_at is not None
    assert "Old Network" not in client.get("/networks/").get_data(as_text=True)
    member_page = as_user(member).get(f"/networks/{network.slug}/").get_data(as_text=True)
    assert "This network is archived" in member_page
    as_user(outsider).post(f"/networks/{network.slug}/join")
    assert fetch(Network, id=network.id).member_count == 1
    # Archiving twice changes nothing and says so.
    again = admin.post(f"/networks/{network.slug}/archive",
                       data={"action": "archive", "reason": "again"}, follow_redirects=True)
    assert "already archived" in again.get_data(as_text=True)
    admin.post(f"/networks/{network.slug}/archive",
               data={"action": "unarchive", "reason": "Revived"})
    assert fetch(Network, id=network.id).archived_at is None
    with app.app_context():
        log = db.session.execute(select(ModerationAction.action, ModerationAction.reason,
                                        ModerationAction.network_id)
                                 .order_by(ModerationAction.id)).all()
    assert log == [("archive_network", "Inactive for a year", network.id),
                   ("unarchive_network", "Revived", network.id)]


def test_archive_needs_a_reason(app, make_user, make_network, as_user, fetch):
    network = make_network()
    response = as_user(make_user(role="admin")).post(f"/networks/{network.slug}/archive",
                                                     data={"action": "archive", "reason": ""})
    assert response.status_code == 400 and "Give a reason" in response.get_data(as_text=True)
    assert fetch(Network, id=network.id).archived_at is None


def test_managers_cannot_archive(app, make_user, make_network, as_user, fetch):
    manager = make_user()
    network = make_network(managers=[manager])
    response = as_user(manager).post(f"/networks/{network.slug}/archive",
                                     data={"action": "archive", "reason": "mine"})
    assert response.status_code == 403
    assert fetch(Network, id=network.id).archived_at is None


def test_a_slug_taken_in_the_meantime_is_retried(app, make_user, make_network, as_user,
                                                  fetch, monkeypatch):
    from network.networks import services

    make_network(name="Taken", slug="taken")
    answers = iter(["taken", "taken-ab12"])  # the first answer is already stale
    monkeypatch.setattr(services, "unique_slug", lambda name: next(answers))
    response = as_user(make_user()).post("/networks/new", data=_form(name="Taken Too"))
    assert response.status_code == 302 and response.location.endswith("/networks/taken-ab12/")
    network = fetch(Network, slug="taken-ab12")
    assert (network.name, network.member_count) == ("Taken Too", 1)
