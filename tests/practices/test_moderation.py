"""A practice from a member who is not yet trusted waits in the review queue with
their posts and comments; approving publishes it, rejecting returns it to its
author's drafts with the reason (nothing they wrote is lost)."""
from sqlalchemy import select

from network.accounts.models import User
from network.extensions import db
from network.moderation.models import ModerationAction
from network.notifications.models import Notification
from network.practices.models import Practice
from tests.practices.conftest import practice_form


def _submit(app, login, member):
    response = login(app.test_client(), member).post("/practices/new", data=practice_form())
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice).order_by(Practice.id.desc()))
        assert practice.status == "pending"
        return practice.id, practice.slug, practice.title


def test_a_waiting_practice_is_in_the_queue_and_approving_publishes_it(app, make_user, login):
    member = make_user()
    practice_id, slug, title = _submit(app, login, member)
    moderator = login(app.test_client(), make_user(role="moderator"))
    queue = moderator.get("/moderation/").get_data(as_text=True)
    assert f'id="pending-practice-{practice_id}"' in queue
    assert f"New practice “{title}”" in queue and f'href="/practices/{slug}"' in queue

    response = moderator.post(f"/moderation/pending/practice/{practice_id}/approve",
                              data={"reason": "Clear and well evidenced"})
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        assert practice.status == "published" and practice.published_at is not None
        action = db.session.scalar(select(ModerationAction).where(
            ModerationAction.target_type == "practice"))
        assert (action.action, action.target_id) == ("approve", practice_id)
        notice = db.session.scalar(select(Notification).where(
            Notification.user_id == member.id))
        assert "approved" in notice.text and "Clear and well evidenced" in notice.text
        assert db.session.get(User, member.id).approved_count == 1
    assert app.test_client().get(f"/practices/{slug}").status_code == 200
    assert f'id="pending-practice-{practice_id}"' not in moderator.get(
        "/moderation/").get_data(as_text=True)
    # decided once: a second decision is refused, not applied twice
    again = moderator.post(f"/moderation/pending/practice/{practice_id}/reject",
                           data={"reason": "Changed my mind"})
    assert again.status_code == 409


def test_rejecting_returns_it_to_the_authors_drafts_with_the_reason(app, make_user, login):
    member = make_user()
    practice_id, slug, _title = _submit(app, login, member)
    moderator = login(app.test_client(), make_user(role="moderator"))
    response = moderator.post(f"/moderation/pending/practice/{practice_id}/reject",
                              data={"reason": "Add the figures for 2024"})
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        assert practice.status == "draft" and practice.published_at is None
        assert "avoidable" in practice.problem  # what they wrote is kept
        notice = db.session.scalar(select(Notification).where(
            Notification.user_id == member.id))
        assert "did not approve" in notice.text and "Add the figures for 2024" in notice.text
    assert app.test_client().get(f"/practices/{slug}").status_code == 404
    author = login(app.test_client(), member)
    assert author.get(f"/practices/{slug}/edit").status_code == 200


def test_only_site_moderators_decide_and_never_on_their_own(app, make_user, make_network, login):
    member = make_user()
    practice_id, _slug, title = _submit(app, login, member)
    manager = make_user()
    make_network(managers=[manager])
    manager_client = login(app.test_client(), manager)
    assert title not in manager_client.get("/moderation/").get_data(as_text=True)
    assert manager_client.post(f"/moderation/pending/practice/{practice_id}/approve",
                               data={"reason": "Looks fine"}).status_code in (403, 404)
    assert login(app.test_client(), make_user()).post(
        f"/moderation/pending/practice/{practice_id}/approve",
        data={"reason": "Looks fine"}).status_code in (403, 404)
    with app.app_context():
        assert db.session.get(Practice, practice_id).status == "pending"


def test_a_reason_is_required_and_the_queue_keeps_what_was_typed(app, make_user, login):
    practice_id, _slug, _title = _submit(app, login, make_user())
    moderator = login(app.test_client(), make_user(role="moderator"))
    response = moderator.post(f"/moderation/pending/practice/{practice_id}/approve",
                              data={"reason": ""})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Practice, practice_id).status == "pending"
