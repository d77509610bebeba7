"""Recording and editing practices through the pages."""
from sqlalchemy import func, select

from network.extensions import db
from network.practices.models import Practice, PracticeRevision
from tests.practices.conftest import practice_form


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Practice.id)))


def test_an_associate_publishes_a_practice_with_its_measures(app, make_user, login):
    author = make_user(role="associate", username="kokafor")
    client = login(app.test_client(), author)
    assert client.get("/practices/new").status_code == 200
    response = client.post("/practices/new", data=practice_form())
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Care-home in-reach team" in page and "Emergency admissions" in page
    assert "<strong>avoidable</strong>" in page and "<svg" in page
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.status == "published" and practice.published_at is not None
        assert [(m.name, m.before, m.after) for m in practice.measures] == [
            ("Emergency admissions", 212.0, 168.0)]
        assert practice.sectors == ["nhs", "third_sector"]
        assert [t.slug for t in practice.topics] == ["frailty-and-older-people"]
        assert practice.origin_region.slug == "north-east-and-yorkshire"
        assert practice.evidence_level == 2 and practice.cost_band == "under_10k"
        assert practice.contact_id == author.id  # left empty: the author


def test_an_untrusted_members_practice_waits_for_a_moderator(app, make_user, login):
    member = make_user()
    client = login(app.test_client(), member)
    response = client.post("/practices/new", data=practice_form())
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Practice.status)) == "pending"
    slug = response.location.rsplit("/", 1)[-1]
    assert app.test_client().get(f"/practices/{slug}").status_code == 404
    assert "waiting for a moderator" in client.get(f"/practices/{slug}").get_data(as_text=True)
    assert "Care-home" not in app.test_client().get("/practices/").get_data(as_text=True)


def test_a_practice_needs_at_least_one_measure(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/practices/new", data=practice_form(**{
        "measures-0-name": "", "measures-0-before": "", "measures-0-after": "",
        "measures-0-unit": "", "measures-0-period": ""}))
    assert response.status_code == 400
    assert "Add at least one measure" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_bad_figures_get_a_message_beside_the_row_and_keep_what_was_typed(app, make_user,
                                                                         login):
    client = login(app.test_client(), make_user(role="associate"))
    cases = [({"measures-0-before": "lots"}, "Enter a number"),
             ({"measures-0-after": "2e13"}, "Enter a number"),
             ({"measures-0-after": "9999999999999"}, "no bigger than a million million"),
             ({"measures-0-before": "", "measures-0-after": ""}, "Enter both the before"),
             ({"measures-1-unit": "weeks"}, "Name the measure"),
             ({"measures-0-name": ""}, "Name the measure")]
    for change, message in cases:
        response = client.post("/practices/new", data=practice_form(**change))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert message in page, change
        assert "Too many **avoidable** admissions." in page  # the rest kept
    assert _count(app) == 0


def test_the_error_summary_names_the_row_and_links_to_its_field(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    page = client.post("/practices/new", data=practice_form(**{
        "measures-0-before": "lots", "measures-1-unit": "weeks"})).get_data(as_text=True)
    start = page.index('class="error-summary"')
    summary = page[start:page.index("</ul>", start)]
    assert '<a href="#measures-0-before">Before (row 1): Enter a number' in summary
    assert '<a href="#measures-1-name">Measure (row 2): Name the measure' in summary
    assert 'id="measures-0-before"' in page and 'id="measures-1-name"' in page


def test_unknown_choices_are_refused_beside_their_fields(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    cases = [({"region": "atlantis"}, "Choose a region from the list."),
             ({"topics": ["no-such-topic"]}, "Choose topics from the list."),
             ({"sectors": ["pirates"]}, "Choose sectors from the list."),
             ({"evidence_level": "6"}, "Not a valid choice"),
             ({"evidence_level": None}, "Choose an evidence level"),
             ({"cost_band": "free"}, "Not a valid choice"),
             ({"contact": "nobody-here"}, "No member has that username"),
             ({"evidence_links": "javascript:alert(1)"}, "starting http:// or https://"),
             ({"network": "999999"}, "Choose a network you are a member of")]
    for change, message in cases:
        response = client.post("/practices/new", data=practice_form(**change))
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
    assert _count(app) == 0


def test_oversized_text_is_a_clear_error_not_a_500(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    for name in ("title", "summary", "problem", "approach", "results", "key_learning",
                 "measures-0-name", "measures-0-unit", "organisation"):
        response = client.post("/practices/new", data=practice_form(**{name: "y" * 30_000}))
        assert response.status_code == 400, name
        assert "characters or fewer" in response.get_data(as_text=True), name
    assert _count(app) == 0


def test_add_another_row_posts_back_with_one_more_row_and_keeps_the_text(app, make_user,
                                                                         login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/practices/new", data=practice_form(action="add_row"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="measures-2-name"' in page and 'value="Emergency admissions"' in page
    assert _count(app) == 0


def test_the_author_edits_and_the_old_version_is_kept(app, make_user, login):
    author = make_user(role="associate")
    client = login(app.test_client(), author)
    slug = client.post("/practices/new", data=practice_form()).location.rsplit("/", 1)[-1]
    form = client.get(f"/practices/{slug}/edit").get_data(as_text=True)
    assert 'value="212"' in form
    response = client.post(f"/practices/{slug}/edit", data=practice_form(
        title="Care-home in-reach, year two", **{"measures-0-after": "150"}))
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.title == "Care-home in-reach, year two" and practice.slug == slug
        assert practice.measures[0].after == 150
        revision = db.session.scalar(select(PracticeRevision))
        assert '"Care-home in-reach team"' in revision.content
    history = client.get(f"/practices/{slug}/history").get_data(as_text=True)
    assert "Care-home in-reach team" in history


def test_only_the_author_or_staff_may_edit(app, make_user, login, make_practice):
    author = make_user(role="associate")
    practice = make_practice(author)
    other = login(app.test_client(), make_user(role="associate"))
    assert other.get(f"/practices/{practice.slug}/edit").status_code == 403
    assert other.get(f"/practices/{practice.slug}/history").status_code == 403
    staff = login(app.test_client(), make_user(role="moderator"))
    assert staff.get(f"/practices/{practice.slug}/edit").status_code == 200


def test_a_practice_not_reviewed_for_two_years_says_so_until_reviewed(app, make_user, login,
                                                                      make_practice):
    from datetime import timedelta

    from network.core.time import utcnow

    author = make_user(role="associate")
    practice = make_practice(author, last_reviewed_at=utcnow() - timedelta(days=800))
    url = f"/practices/{practice.slug}"
    assert "has not been reviewed" in app.test_client().get(url).get_data(as_text=True)
    assert login(app.test_client(), make_user()).post(url + "/review").status_code == 403
    client = login(app.test_client(), author)
    assert client.post(url + "/review").status_code == 302
    assert "has not been reviewed" not in app.test_client().get(url).get_data(as_text=True)


def test_moderators_find_pending_practices_and_publish_them(app, make_user, login):
    member = make_user()
    slug = login(app.test_client(), member).post(
        "/practices/new", data=practice_form()).location.rsplit("/", 1)[-1]
    moderator = login(app.test_client(), make_user(role="moderator"))
    assert "Waiting for a moderator" in moderator.get("/practices/").get_data(as_text=True)
    assert "Waiting for a moderator" not in login(app.test_client(), make_user()).get(
        "/practices/").get_data(as_text=True)
    assert moderator.post(f"/practices/{slug}/edit", data=practice_form()).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Practice.status)) == "published"
    assert app.test_client().get(f"/practices/{slug}").status_code == 200
