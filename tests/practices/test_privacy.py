"""Private practices stay private when the world changes (DESIGN sections 1 and 7)."""
from sqlalchemy import delete, select, update

from network.extensions import db
from network.networks.models import Membership, Network
from tests.practices.conftest import adoption_form
from tests.practices.factories import add_adoption, add_practice


def test_a_network_turning_private_hides_its_practices_from_outsiders(app, make_user,
                                                                      make_network, login):
    author, outsider = make_user(role="associate"), make_user()
    network = make_network(visibility="open", members=[author])
    with app.app_context():
        add_practice(author, title="SECRETSCHEME", network=network, slug="scheme")
        db.session.commit()
    client = login(app.test_client(), outsider)
    assert client.get("/practices/scheme").status_code == 200
    with app.app_context():
        db.session.execute(update(Network).values(visibility="private"))
        db.session.commit()
    assert client.get("/practices/scheme").status_code == 404
    assert client.get("/practices/scheme/adopt").status_code == 404
    assert client.get("/practices/scheme/feed.atom").status_code == 404
    for url in ("/practices/", "/practices/?format=csv", "/practices/feed.atom", "/"):
        assert "SECRETSCHEME" not in client.get(url).get_data(as_text=True), url


def test_an_adopter_who_leaves_a_private_network_loses_the_practice_and_its_notices(
        app, make_user, make_network, login):
    author, adopter = make_user(role="associate"), make_user()
    network = make_network(visibility="private", members=[author, adopter], name="Inner Circle")
    with app.app_context():
        practice = add_practice(author, title="SECRETSCHEME", network=network, slug="scheme")
        adoption = add_adoption(practice, adopter, "Leaver Trust")
        db.session.commit()
        adoption_id = adoption.id
    client = login(app.test_client(), adopter)
    with app.app_context():  # the origin updates its results: adopters are told
        from network.practices import services
        from network.practices.models import Practice

        p = db.session.scalar(select(Practice))
        services.update_practice(db.session.merge(author), p, services.PracticeInput(
            title=p.title, summary=p.summary, problem=p.problem, approach=p.approach,
            results="Better still.", region="london", organisation=p.organisation,
            evidence_level=2, network_id=network.id,
            measures=[services.MeasureInput("Waiting time", 18, 5, "weeks")]), "publish")
    assert "Inner Circle" in client.get("/notifications/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == adopter.id))
        db.session.commit()
    assert client.get("/practices/scheme").status_code == 404
    assert client.get(f"/practices/scheme/adoptions/{adoption_id}").status_code == 404
    assert client.post(f"/practices/scheme/adoptions/{adoption_id}",
                       data={"stage": "adopted", "note": "x"}).status_code == 404
    assert "SECRETSCHEME" not in client.get("/notifications/").get_data(as_text=True)
    assert "Inner Circle" not in client.get("/notifications/").get_data(as_text=True)


def test_an_outsider_cannot_adopt_a_private_practice_by_posting(app, make_user, make_network,
                                                                login):
    author = make_user(role="associate")
    network = make_network(visibility="private", members=[author])
    with app.app_context():
        add_practice(author, title="SECRETSCHEME", network=network, slug="scheme")
        db.session.commit()
    client = login(app.test_client(), make_user())
    response = client.post("/practices/scheme/adopt", data=adoption_form())
    assert response.status_code == 404 and "SECRETSCHEME" not in response.get_data(as_text=True)
    with app.app_context():
        from network.practices.models import Adoption

        assert db.session.scalar(select(Adoption.id)) is None
