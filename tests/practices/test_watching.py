"""Watching a practice (issues 10 and 12): watchers hear of every adoption, stage change
and result; the author who muted it hears nothing; a watcher who can no longer read it
(a closed network they left) is told nothing."""
from sqlalchemy import select

from network.extensions import db
from network.networks.models import Membership
from network.notifications.models import Notification
from tests.practices.conftest import adoption_form


def _told(app, kind="practice"):
    with app.app_context():
        return sorted(n.user_id for n in db.session.scalars(
            select(Notification).where(Notification.kind == kind)))


def test_watchers_hear_of_adoptions_and_a_muted_author_does_not(app, login, make_user,
                                                                 make_practice):
    author, watcher, muter_author, adopter = (make_user(role="associate"), make_user(),
                                              make_user(role="associate"), make_user())
    practice = make_practice(author)
    quiet = make_practice(muter_author)
    page = login(app.test_client(), watcher).get(f"/practices/{practice.slug}")
    assert 'id="watch-level-practice"' in page.get_data(as_text=True)
    assert login(app.test_client(), watcher).post(
        f"/practices/{practice.slug}/watch", data={"level": "watching"}).status_code == 302
    login(app.test_client(), muter_author).post(f"/practices/{quiet.slug}/watch",
                                                data={"level": "muted"})
    adopting = login(app.test_client(), adopter)
    assert adopting.post(f"/practices/{practice.slug}/adopt",
                         data=adoption_form()).status_code == 302
    assert _told(app) == sorted([author.id, watcher.id])
    assert adopting.post(f"/practices/{quiet.slug}/adopt",
                         data=adoption_form(organisation="Another Trust")).status_code == 302
    assert muter_author.id not in _told(app)
    # the list of what one watches names it
    listing = login(app.test_client(), watcher).get("/settings/watching").get_data(as_text=True)
    assert practice.title in listing


def test_a_watcher_who_left_the_closed_network_is_told_nothing(app, login, make_user,
                                                               make_network, make_practice):
    author, watcher, adopter = make_user(role="associate"), make_user(), make_user()
    network = make_network(visibility="closed", members=[author, watcher, adopter])
    practice = make_practice(author, network=network)
    login(app.test_client(), watcher).post(f"/practices/{practice.slug}/watch",
                                           data={"level": "watching"})
    with app.app_context():
        db.session.execute(Membership.__table__.delete().where(Membership.user_id == watcher.id))
        db.session.commit()
    assert login(app.test_client(), adopter).post(
        f"/practices/{practice.slug}/adopt", data=adoption_form()).status_code == 302
    assert _told(app) == [author.id]
    assert login(app.test_client(), watcher).post(
        f"/practices/{practice.slug}/watch", data={"level": "muted"}).status_code == 404
