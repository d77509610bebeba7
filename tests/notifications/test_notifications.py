"""Notifications: listed for their owner only, hidden once the network is out of sight."""
from sqlalchemy import delete

from network.extensions import db
from network.networks.models import Membership
from network.notifications.services import notify


def test_notifications_are_listed_and_marked_read(app, make_user, login):
    user = make_user()
    with app.app_context():
        notify(user.id, "test", "Your request was approved", url="/networks/x/")
        db.session.commit()
    client = login(app.test_client(), user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Your request was approved" in page and "New" in page
    client.post("/notifications/read")
    assert "New</span>" not in client.get("/notifications/").get_data(as_text=True)


def test_others_never_see_your_notifications(app, make_user, login):
    owner, other = make_user(), make_user()
    with app.app_context():
        notify(owner.id, "test", "Only for the owner")
        db.session.commit()
    assert "Only for the owner" not in login(app.test_client(), other).get("/notifications/").get_data(as_text=True)


def test_private_network_notifications_vanish_after_leaving(app, make_user, make_network, login):
    user = make_user()
    network = make_network(visibility="private", members=[user])
    with app.app_context():
        notify(user.id, "reply", "New reply in a private network", network_id=network.id)
        db.session.commit()
    client = login(app.test_client(), user)
    assert "New reply in a private network" in client.get("/notifications/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == user.id))
        db.session.commit()
    assert "New reply in a private network" not in client.get("/notifications/").get_data(as_text=True)
