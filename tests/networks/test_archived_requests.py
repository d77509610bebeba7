"""An archived network is read-only: its managers neither approve nor decline the
requests to join that wait there (issue 9's defects)."""
import pytest
from sqlalchemy import select

from network.accounts.models import User
from network.core.errors import PermissionDenied
from network.core.time import utcnow
from network.extensions import db
from network.networks import membership
from network.networks.models import JoinRequest, Network


def test_requests_in_an_archived_network_cannot_be_declined(app, make_user, make_network,
                                                            as_user, fetch):
    manager, person = make_user(), make_user()
    network = make_network(visibility="closed", managers=[manager])
    as_user(person).post(f"/networks/{network.slug}/join")
    with app.app_context():
        request_id = db.session.scalar(select(JoinRequest.id))
        db.session.get(Network, network.id).archived_at = utcnow()
        db.session.commit()
    client = as_user(manager)
    page = client.get(f"/networks/{network.slug}/requests").get_data(as_text=True)
    assert 'value="decline"' not in page and "cannot be approved or declined" in page
    for decision in ("decline", "approve"):
        response = client.post(f"/networks/{network.slug}/requests",
                               data={"request_id": request_id, "decision": decision})
        assert response.status_code == 403
        assert "read-only" in response.get_data(as_text=True)
    assert fetch(JoinRequest, id=request_id).status == "pending"


@pytest.mark.parametrize("approve", [False, True])
def test_the_service_itself_refuses_a_decision_in_an_archived_network(app, make_user,
                                                                       make_network, approve):
    manager, person = make_user(), make_user()
    network = make_network(visibility="closed", managers=[manager])
    with app.test_request_context():
        membership.request_to_join(db.session.get(User, person.id),
                                   db.session.get(Network, network.id), "Please")
        request_id = db.session.scalar(select(JoinRequest.id))
        net = db.session.get(Network, network.id)
        net.archived_at = utcnow()
        db.session.commit()
        with pytest.raises(PermissionDenied, match="read-only"):
            membership.decide_request(db.session.get(User, manager.id), net, request_id,
                                      approve=approve)
        db.session.rollback()
        assert db.session.get(JoinRequest, request_id).status == "pending"
        assert membership.membership_of(network.id, person.id) is None
