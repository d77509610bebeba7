"""Registration: happy path and every kind of bad input."""
import pytest
from sqlalchemy import func, select

from network.accounts.models import User
from network.extensions import db

GOOD = {
    "username": "alice.w", "email": "Alice@Example.org", "password": "a long password",
    "confirm": "a long password", "display_name": "Alice Walker",
    "job_title": "Service Manager", "organisation": "Leeds Community Health",
    "sector": "nhs", "region": "1", "accept_terms": "y",
}


def _register(client, **changes):
    data = dict(GOOD, **changes)
    return client.post("/auth/register", data={k: v for k, v in data.items() if v is not None})


def _count(app, **where):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)).filter_by(**where))


def test_register_creates_an_unconfirmed_account_and_does_not_sign_in(app, client):
    # Issue 14: registration no longer signs in (it used to answer 302 and sign in).
    response = _register(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    assert "Alice Walker" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "alice.w"))
        assert user.email == "alice@example.org"
        assert user.role == "member" and not user.trusted
        assert user.region.name == "North East and Yorkshire"
        assert user.accepted_terms_at is not None
        assert "a long password" not in user.password_hash
        assert user.email_confirmed_at is None


def test_duplicate_username_is_refused_whatever_the_case(app, client, make_user):
    make_user(username="Alice.W")
    response = _register(client, email="other@example.org")
    assert response.status_code == 400
    assert "That username is taken" in response.get_data(as_text=True)
    assert _count(app) == 1


def test_a_registered_email_gets_the_same_page_and_no_second_account(app, client, make_user):
    # Issue 14: the page no longer says "already exists" (that told anyone who is registered).
    make_user(username="someone", email="alice@example.org")
    response = _register(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check your inbox" in page and "already exists" not in page
    assert _count(app) == 1


def test_short_password_keeps_the_rest_of_the_form(client):
    response = _register(client, password="short", confirm="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Passwords must be between 10 and 200 characters" in page
    assert 'value="Leeds Community Health"' in page and 'value="alice.w"' in page
    assert 'aria-invalid="true"' in page


def test_mismatched_confirmation(client):
    response = _register(client, confirm="something else entirely")
    assert "The passwords do not match" in response.get_data(as_text=True)


def test_terms_must_be_accepted(app, client):
    response = _register(client, accept_terms=None)
    assert "You must accept the terms" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_over_long_fields_get_messages(client):
    response = _register(client, display_name="x" * 81, organisation="o" * 121, username="u" * 31)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use 80 characters or fewer" in page and "Use 120 characters or fewer" in page
    assert "3 to 30 characters" in page


def test_nul_bytes_get_a_message_not_a_500(app, client):
    response = _register(client, display_name="Alice\x00Walker")
    assert response.status_code == 400
    assert "characters we cannot accept" in response.get_data(as_text=True)
    assert _count(app) == 0


@pytest.mark.parametrize("bad", [b"Leeds%FF%FECouncil", b"Leeds\xff\xfeCouncil"])
def test_invalid_utf8_gets_a_message_not_a_500(app, client, bad):
    body = "&".join(f"{k}={v}" for k, v in GOOD.items() if k != "organisation").encode()
    response = client.post("/auth/register", data=body + b"&organisation=" + bad,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not valid text (UTF-8)" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_unknown_sector_or_region_is_refused(app, client):
    assert _register(client, sector="aliens").status_code == 400
    response = _register(client, region="999")
    assert "Choose a region from the list" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_username_with_markup_is_refused(client):
    response = _register(client, username="<script>")
    assert "Use only letters" in response.get_data(as_text=True)
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1].replace("&lt;script&gt;", "")
