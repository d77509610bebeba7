"""Guarantees of the networks services, called directly."""
import pytest
from flask import g
from sqlalchemy import select

from network.accounts.models import User
from network.core.errors import Conflict
from network.extensions import db
from network.networks import membership
from network.networks.models import Network
from network.site.demo import seed


def test_joining_and_leaving_refresh_the_viewers_cached_roles(app, make_user, make_network):
    person = make_user()
    network = make_network()
    with app.test_request_context():
        user = db.session.get(User, person.id)
        net = db.session.get(Network, network.id)
        assert user.network_roles == {}
        membership.join(user, net)
        assert user.network_roles == {net.id: "member"}
        membership.leave(user, net)
        assert user.network_roles == {}
        assert g.network_roles.get(user.id) == {}


def test_member_count_moves_in_sql_with_each_change(app, make_user, make_network):
    people = [make_user() for _ in range(3)]
    manager = make_user()
    network = make_network(managers=[manager])
    with app.test_request_context():
        net = db.session.get(Network, network.id)
        for person in people:
            membership.join(db.session.get(User, person.id), net)
        membership.change_member(db.session.get(User, manager.id), net, people[0].id, "remove",
                               "Duplicate account")
        membership.leave(db.session.get(User, people[1].id), net)
        db.session.expire_all()
        assert db.session.get(Network, network.id).member_count == 2


def test_joining_twice_is_a_conflict(app, make_user, make_network):
    person = make_user()
    network = make_network(members=[person])
    with app.test_request_context():
        with pytest.raises(Conflict):
            membership.join(db.session.get(User, person.id), db.session.get(Network, network.id))


def test_demo_content_works_with_the_network_pages(app, make_user, login):
    with app.app_context():
        assert seed() is True
        member = db.session.scalar(select(User).where(User.username == "jmorgan"))
        db.session.expunge(member)
    client = app.test_client()
    directory = client.get("/networks/").get_data(as_text=True)
    assert "North East Frailty Network" in directory
    assert "Adult Social Care Directors" not in directory
    home = client.get("/networks/north-east-frailty/").get_data(as_text=True)
    assert "Care-home in-reach" in home and "Dr Karen Okafor" in home
    assert client.get("/networks/dass-peer-group/").status_code == 404
    signed_in = login(app.test_client(), member)
    assert signed_in.get("/networks/dass-peer-group/").status_code == 200
    assert signed_in.get("/networks/dass-peer-group/members").status_code == 200
