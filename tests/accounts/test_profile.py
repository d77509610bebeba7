"""Profiles and profile settings."""
from sqlalchemy import select

from network.accounts.models import User
from network.extensions import db


def test_profile_shows_public_details(client, make_user):
    make_user(username="quinn", display_name="Quinn Jones", job_title="Head of Nursing",
              organisation="Sussex Partnership")
    page = client.get("/members/QUINN").get_data(as_text=True)
    assert "Quinn Jones" in page and "Head of Nursing" in page and "Sussex Partnership" in page
    assert "quinn@example.org" not in page


def test_unknown_profile_is_404(client):
    assert client.get("/members/nobody-here").status_code == 404


def test_settings_need_sign_in(client):
    response = client.get("/settings/profile")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_edit_profile_renders_bio_markdown_safely(app, make_user, login):
    user = make_user(username="ray")
    client = login(app.test_client(), user)
    response = client.post("/settings/profile", data={
        "display_name": "Ray Patel", "job_title": "GP", "organisation": "Bolton PCN",
        "sector": "nhs", "region": "2",
        "bio": "I lead **frailty** work. <script>alert(1)</script> [site](javascript:alert(1))"})
    assert response.status_code == 302
    page = client.get("/members/ray").get_data(as_text=True)
    assert "<strong>frailty</strong>" in page
    assert "<script>alert" not in page and 'href="javascript' not in page
    with app.app_context():
        saved = db.session.scalar(select(User).where(User.username == "ray"))
        assert saved.region.name == "North West" and saved.job_title == "GP"


def test_profile_errors_keep_what_was_typed(app, make_user, login):
    client = login(app.test_client(), make_user())
    response = client.post("/settings/profile", data={
        "display_name": "", "job_title": "Typed title", "organisation": "Typed org",
        "sector": "nhs", "region": "", "bio": "My typed bio"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your name" in page and "Typed org" in page and "My typed bio" in page


def test_region_id_too_large_for_the_database_is_a_field_error(app, make_user, login):
    client = login(app.test_client(), make_user())
    response = client.post("/settings/profile", data={
        "display_name": "Kept Name", "sector": "nhs", "region": "99999999999999999999",
        "bio": "My typed bio"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a region from the list." in page and "Kept Name" in page and "My typed bio" in page


def test_a_time_zone_from_the_list_is_kept_and_any_other_refused(app, make_user, login):
    from network.accounts.models import User
    from network.extensions import db

    user = make_user()
    client = login(app.test_client(), user)
    fields = {"display_name": "Zoe Zone", "sector": "nhs", "region": "", "bio": ""}
    response = client.post("/settings/profile", data=dict(fields, timezone="Mars/Olympus"))
    assert response.status_code == 400 and 'id="timezone-error"' in response.get_data(as_text=True)
    assert client.post("/settings/profile",
                       data=dict(fields, timezone="America/New_York")).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).timezone == "America/New_York"
    assert client.post("/settings/profile", data=dict(fields, timezone="")).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).timezone == ""
