"""Adoptions: one per organisation, a timeline of updates, notifications, replication."""
import re

import pytest
from sqlalchemy import func, select

from network.core.errors import Conflict, Invalid
from network.extensions import db
from network.notifications.models import Notification
from network.practices import adoptions, library, services
from network.practices.models import Adoption, AdoptionUpdate, Practice
from tests.practices.conftest import adoption_form


def _practice(app, slug):
    return db.session.scalar(select(Practice).where(Practice.slug == slug))


def test_a_member_adopts_then_reports_adopted_with_figures(app, make_user, login,
                                                           make_practice):
    author = make_user(role="associate")
    practice = make_practice(author, region="north-east-and-yorkshire")
    adopter = make_user(organisation="Midlands Partnership")
    client = login(app.test_client(), adopter)
    assert client.get(f"/practices/{practice.slug}/adopt").status_code == 200
    response = client.post(f"/practices/{practice.slug}/adopt", data=adoption_form())
    assert response.status_code == 302
    with app.app_context():
        adoption = db.session.scalar(select(Adoption))
        assert adoption.stage == "trying" and adoption.region.slug == "midlands"
        assert _practice(app, practice.slug).adoption_count == 1
        adoption_id = adoption.id
    response = client.post(f"/practices/{practice.slug}/adoptions/{adoption_id}", data={
        "stage": "adopted", "note": "Admissions down here too.", "figures-0-before": "20",
        "figures-0-after": "9", "figures-0-period": "2025", "own-0-name": "Staff sickness",
        "own-0-before": "6", "own-0-after": "5", "own-0-unit": "%", "own-0-direction": "lower",
        "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 302, page[page.find("error-summary"):][:800]
    page = client.get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert "Midlands Partnership" in page and "Admissions down here too." in page
    assert "Staff sickness" in page and "(their own)" in page
    assert "Adopted in 1 region" in page
    assert "1 adopter reported it, 1 saw it improve" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(AdoptionUpdate.id))) == 2
        assert db.session.scalar(select(Adoption.stage)) == "adopted"


def test_one_organisation_has_one_adoption_however_its_name_is_written(app, make_user, login,
                                                                       make_practice,
                                                                       make_adoption):
    practice = make_practice(make_user(role="associate"))
    first = make_user()
    adoption_id = make_adoption(practice.slug, first, "St. Mary's NHS Trust")
    client = login(app.test_client(), make_user())
    response = client.post(f"/practices/{practice.slug}/adopt",
                           data=adoption_form(organisation="st marys  nhs-trust"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already recorded this practice" in page
    assert f"#adoption-{adoption_id}" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Adoption.id))) == 1
        assert _practice(app, practice.slug).adoption_count == 1


def test_the_unique_index_refuses_a_second_adoption_the_service_did_not_see(app, make_user,
                                                                           make_practice):
    practice = make_practice(make_user(role="associate"))
    adopter = make_user()
    data = adoptions.AdoptionInput(stage="planning", region="london", organisation="Acme Care")
    with app.app_context():
        p = _practice(app, practice.slug)
        user = db.session.merge(adopter)
        adoptions.adopt_practice(user, p, data)
        original = adoptions.existing_adoption
        adoptions.existing_adoption = lambda *_: None  # as if two arrived at once
        try:
            with pytest.raises(Conflict):
                adoptions.adopt_practice(user, _practice(app, practice.slug), data)
        finally:
            adoptions.existing_adoption = original
        assert db.session.scalar(select(func.count(Adoption.id))) == 1
        assert _practice(app, practice.slug).adoption_count == 1


def test_giving_up_and_starting_again_need_a_note(app, make_user, login, make_practice,
                                                  make_adoption):
    practice = make_practice(make_user(role="associate"))
    adopter = make_user()
    adoption_id = make_adoption(practice.slug, adopter, "Acme Care", stage="abandoned",
                                note="Funding ended.")
    client = login(app.test_client(), adopter)
    url = f"/practices/{practice.slug}/adoptions/{adoption_id}"
    response = client.post(url, data={"stage": "planning", "note": "", "action": "save"})
    assert response.status_code == 400 and "a note is needed" in response.get_data(as_text=True)
    response = client.post(url, data={"stage": "planning", "note": "New funding.",
                                      "action": "save"})
    assert response.status_code == 302
    with app.app_context():
        with pytest.raises(Invalid):
            adoptions.update_adoption(db.session.merge(adopter),
                                      db.session.get(Adoption, adoption_id),
                                      adoptions.AdoptionInput(stage="abandoned", note=" "))


def test_an_adoption_is_updated_only_by_its_adopter_or_staff(app, make_user, login,
                                                            make_practice, make_adoption):
    practice = make_practice(make_user(role="associate"))
    adoption_id = make_adoption(practice.slug, make_user(), "Acme Care")
    url = f"/practices/{practice.slug}/adoptions/{adoption_id}"
    assert login(app.test_client(), make_user()).get(url).status_code == 403
    assert login(app.test_client(), make_user(role="moderator")).get(url).status_code == 200
    other = make_practice(make_user(role="associate"))
    assert login(app.test_client(), make_user(role="moderator")).get(
        f"/practices/{other.slug}/adoptions/{adoption_id}").status_code == 404


def test_the_author_and_contact_hear_of_adoptions_and_adopters_of_new_results(
        app, make_user, login, make_practice, make_adoption):
    author = make_user(role="associate")
    contact = make_user(username="contactperson")
    practice = make_practice(author, contact_id=contact.id)
    adopter = make_user()
    client = login(app.test_client(), adopter)
    assert client.post(f"/practices/{practice.slug}/adopt",
                       data=adoption_form()).status_code == 302
    with app.app_context():
        told = set(db.session.scalars(select(Notification.user_id)))
        assert told == {author.id, contact.id}
        p = _practice(app, practice.slug)
        data = services.PracticeInput(
            title=p.title, summary=p.summary, problem=p.problem, approach=p.approach,
            results="Even better in year two.", region="london", organisation=p.organisation,
            evidence_level=2, measures=[services.MeasureInput("Waiting time", 18, 4, "weeks")])
        services.update_practice(db.session.merge(author), p, data, "publish")
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == adopter.id)) == 1


def test_private_practices_notifications_do_not_name_them(app, make_user, make_network,
                                                          make_practice):
    author = make_user(role="associate")
    adopter = make_user()
    network = make_network(visibility="private", members=[author, adopter], name="Hidden Ones")
    practice = make_practice(author, network=network, title="Secret scheme")
    with app.app_context():
        adoptions.adopt_practice(db.session.merge(adopter), _practice(app, practice.slug),
                                 adoptions.AdoptionInput(stage="planning", region="london",
                                                         organisation="Acme"))
        text = db.session.scalar(select(Notification.text))
    assert "Secret scheme" not in text and "Hidden Ones" in text


def test_replicated_in_two_other_regions_is_said(app, make_user, make_practice,
                                                 make_adoption, login):
    author = make_user(role="associate")
    practice = make_practice(author, region="london")
    make_adoption(practice.slug, make_user(), "A", region="midlands", stage="adopted",
                  figures=[(0, 20, 8)])
    make_adoption(practice.slug, make_user(), "B", region="wales", stage="adopted",
                  figures=[(0, 20, 10)])
    make_adoption(practice.slug, make_user(), "C", region="london", stage="trying",
                  figures=[(0, 20, 5)])  # the origin's own region does not count
    make_adoption(practice.slug, make_user(), "D", region="scotland", stage="abandoned",
                  figures=[(0, 20, 25)], note="Got worse.")
    with app.app_context():
        p = _practice(app, practice.slug)
        summary = library.replication(p, services.timeline(p))
    assert summary["replicated_regions"] == 2
    assert summary["regions_at"] == {"adopted": 2, "trying": 1, "abandoned": 1}
    assert summary["measures"][0][1] == {"reported": 4, "improved": 3}
    page = app.test_client().get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert "Replicated in 2 regions" in page and "Got worse." in page


def test_only_published_practices_can_be_adopted(app, make_user, login, make_practice):
    practice = make_practice(make_user(role="associate"), status="draft")
    client = login(app.test_client(), make_user(role="moderator"))
    assert client.get(f"/practices/{practice.slug}/adopt").status_code == 403


def test_recount_repairs_a_drifted_adoption_count_and_the_demo_has_none(app, make_user,
                                                                       make_practice,
                                                                       make_adoption):
    from sqlalchemy import update

    from network.commands import recount
    from network.site.demo import seed

    practice = make_practice(make_user(role="associate"))
    make_adoption(practice.slug, make_user(), "Acme")
    with app.app_context():
        db.session.execute(update(Practice).values(adoption_count=9))
        db.session.commit()
        assert recount()["practice.adoption_count"] == 1
        assert _practice(app, practice.slug).adoption_count == 1
        assert seed() is True
        assert sum(recount().values()) == 0
        assert db.session.scalar(select(func.count(Practice.id))) == 7
        regions = set(db.session.scalars(select(Practice.origin_region_id)))
        assert len(regions) >= 4
        assert db.session.scalar(select(func.count(Adoption.id)).where(
            Adoption.stage == "abandoned")) >= 1
