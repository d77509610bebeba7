"""``flask retention``: what the privacy notice says is kept no longer goes, and
nothing younger than its period (issue 14)."""
from datetime import timedelta

from sqlalchemy import func, select, update

from network.accounts.models import EmailConfirmation, PasswordReset, User, UserSession
from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import ModerationAction
from network.notifications.models import OutboxMail
from network.site.retention import DAYS, apply_retention


def _age_user(app, user, days):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id)
                           .values(created_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_retention_removes_what_has_expired_and_keeps_the_rest(app, make_user, make_network,
                                                                 login):
    old_unconfirmed = make_user(username="neverconfirmed", confirmed=False)
    new_unconfirmed = make_user(username="justjoined", confirmed=False)
    old_confirmed = make_user(username="longstanding")
    sole_manager = make_user(username="solemanager", confirmed=False)
    make_network(managers=[sole_manager])
    for person in (old_unconfirmed, old_confirmed, sole_manager):
        _age_user(app, person, DAYS["unconfirmed_accounts"] + 1)
    _age_user(app, new_unconfirmed, DAYS["unconfirmed_accounts"] - 1)
    stale, fresh = login(app.test_client(), old_confirmed), login(app.test_client(), old_confirmed)
    now = utcnow()
    with app.app_context():
        rows = list(db.session.scalars(select(UserSession).where(
            UserSession.user_id == old_confirmed.id).order_by(UserSession.id)))
        rows[0].last_seen_at = now - timedelta(days=DAYS["idle_sessions"] + 1)
        rows[1].last_seen_at = now - timedelta(days=DAYS["idle_sessions"] - 1)
        for days, sent in ((DAYS["delivered_mail"] + 1, True), (DAYS["delivered_mail"] - 1, True),
                           (DAYS["delivered_mail"] + 5, False)):
            at = now - timedelta(days=days)
            db.session.add(OutboxMail(to_addr="someone@example.org", subject=f"{days} {sent}",
                                      body="Hello", created_at=at, sent_at=at if sent else None))
        for days in (DAYS["moderation_log"] + 1, DAYS["moderation_log"] - 1):
            db.session.add(ModerationAction(actor_id=old_confirmed.id, action="hide",
                                            target_type="post", target_id=1, reason=str(days),
                                            created_at=now - timedelta(days=days)))
        db.session.add(PasswordReset(user_id=old_confirmed.id, token_hash="a" * 64,
                                     expires_at=now - timedelta(hours=1)))
        db.session.add(PasswordReset(user_id=old_confirmed.id, token_hash="b" * 64,
                                     expires_at=now + timedelta(hours=1)))
        db.session.commit()

        removed = apply_retention()

        assert removed["unconfirmed_accounts"] == 1
        assert removed["idle_sessions"] == 1 and removed["delivered_mail"] == 1
        assert removed["moderation_log"] == 1 and removed["spent_links"] == 1
        gone = db.session.get(User, old_unconfirmed.id)
        assert gone.deleted_at is not None and gone.display_name == "Former member"
        assert "neverconfirmed@example.org" != gone.email
        assert db.session.get(User, new_unconfirmed.id).deleted_at is None
        assert db.session.get(User, old_confirmed.id).deleted_at is None
        assert db.session.get(User, sole_manager.id).deleted_at is None  # kept: alone manages
        assert _count(UserSession, UserSession.user_id == old_confirmed.id) == 1
        assert _count(OutboxMail, OutboxMail.sent_at.is_(None)) == 1  # never delivered: kept
        assert _count(OutboxMail) == 2
        assert _count(ModerationAction) == 1 and _count(PasswordReset) == 1
        assert apply_retention()["unconfirmed_accounts"] == 0  # nothing twice
    # the session unused for 30 days no longer signs anyone in; the other still does
    assert stale.get("/settings/sessions").status_code == 302
    assert fresh.get("/settings/sessions").status_code == 200


def test_a_session_idle_past_the_limit_signs_nobody_in_before_retention_runs(app, make_user,
                                                                             login):
    person = make_user()
    client = login(app.test_client(), person)
    assert client.get("/settings/sessions").status_code == 200
    with app.app_context():
        db.session.execute(update(UserSession).values(
            last_seen_at=utcnow() - timedelta(days=DAYS["idle_sessions"] + 1)))
        db.session.commit()
    assert client.get("/settings/sessions").status_code == 302


def test_the_command_reports_what_it_removed_and_the_notice_states_the_periods(app, client):
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "unconfirmed accounts: 0" in result.output and "moderation log: 0" in result.output
    page = client.get("/privacy").get_data(as_text=True)
    assert f"never confirmed: {DAYS['unconfirmed_accounts']} days" in page
    assert f"{DAYS['delivered_mail']} days" in page
