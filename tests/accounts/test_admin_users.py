"""Admins manage people: list, search, role changes, suspension, with a log."""
from sqlalchemy import select

from network.accounts.models import User
from network.extensions import db
from network.moderation.models import ModerationAction


def test_only_admins_reach_the_people_pages(app, client, make_user, login):
    assert client.get("/admin/users").status_code == 302
    for role in ("member", "associate", "moderator"):
        assert login(app.test_client(), make_user(role=role)).get("/admin/users").status_code == 403
    assert login(app.test_client(), make_user(role="admin")).get("/admin/users").status_code == 200


def test_search_finds_people_and_treats_wildcards_literally(app, make_user, login):
    make_user(username="sam", display_name="Sam Smith", organisation="Kent County Council")
    make_user(username="tia", display_name="Tia Brown")
    client = login(app.test_client(), make_user(role="admin", display_name="Admin Person"))
    page = client.get("/admin/users?q=kent").get_data(as_text=True)
    assert "Sam Smith" in page and "Tia Brown" not in page
    assert "No one matches" in client.get("/admin/users?q=%25").get_data(as_text=True)


def test_change_role_is_logged_with_reason(app, make_user, login):
    member = make_user(username="uma")
    admin = make_user(role="admin")
    client = login(app.test_client(), admin)
    response = client.post(f"/admin/users/{member.id}", data={
        "action": "role", "role-role": "associate", "role-reason": "Writes for us"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id).role == "associate"
        entry = db.session.scalar(select(ModerationAction))
        assert (entry.action, entry.actor_id, entry.target_id, entry.reason) == (
            "change_role", admin.id, member.id, "Writes for us")


def test_role_change_needs_a_reason(app, make_user, login):
    member = make_user()
    client = login(app.test_client(), make_user(role="admin"))
    response = client.post(f"/admin/users/{member.id}", data={"action": "role", "role-role": "admin",
                                                              "role-reason": ""})
    assert response.status_code == 400 and "Give a reason" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, member.id).role == "member"


def test_suspend_ends_sessions_and_reinstate_restores(app, make_user, login):
    member = make_user(username="vic")
    member_client = login(app.test_client(), member)
    assert member_client.get("/settings/profile").status_code == 200
    client = login(app.test_client(), make_user(role="admin"))
    client.post(f"/admin/users/{member.id}", data={"action": "suspend", "suspend-days": "7",
                                                   "suspend-reason": "Spam"})
    assert member_client.get("/settings/profile").status_code == 302
    login_page = app.test_client().post("/auth/login", data={"login": "vic", "password": "correct horse battery"})
    assert "suspended" in login_page.get_data(as_text=True)
    client.post(f"/admin/users/{member.id}", data={"action": "reinstate", "reinstate-reason": "Appeal upheld"})
    assert app.test_client().post("/auth/login", data={"login": "vic", "password": "correct horse battery"}).status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(ModerationAction.action).order_by(ModerationAction.id)).all()
        assert actions == ["suspend", "reinstate"]


def test_admin_cannot_demote_themselves(app, make_user, login):
    admin = make_user(role="admin")
    client = login(app.test_client(), admin)
    response = client.post(f"/admin/users/{admin.id}", data={"action": "role", "role-role": "member",
                                                             "role-reason": "oops"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, admin.id).role == "admin"


def test_create_user_command_makes_an_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--username", "root", "--email", "root@example.org",
                                 "--name", "Root Admin", "--role", "admin",
                                 "--password", "a very long password"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "root")) == "admin"


def test_seed_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    assert "added" in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        first = db.session.scalar(select(db.func.count(User.id)))
    assert "already present" in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == first > 0


def test_the_demo_staff_sign_in_with_a_code_from_the_published_demo_key(make_app):
    import pyotp

    from network.site.demo import DEMO_PASSWORD, DEMO_TWO_FACTOR_KEY

    app = make_app(STAFF_TWO_FACTOR=True)
    assert "added" in app.test_cli_runner().invoke(args=["seed-demo"]).output
    client = app.test_client()
    response = client.post("/auth/login", data={"login": "moderator", "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/moderation/").status_code == 302
    code = pyotp.TOTP(DEMO_TWO_FACTOR_KEY).now()
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 302
    assert client.get("/moderation/").status_code == 200
