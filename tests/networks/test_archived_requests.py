"""An archived network is read-only: its managers neither approve nor decline the
requests to join that wait there (issue 9's defects)."""
from sqlalchemy import select

from network.core.time import utcnow
from network.extensions import db
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
