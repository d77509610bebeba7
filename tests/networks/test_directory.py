"""The directory: what each viewer sees, filters, sorting, and a fixed number of queries."""
from datetime import timedelta

from sqlalchemy import insert, select

from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network, network_topic
from network.networks.taxonomy import Region, Topic


def _ids(app, model, slug):
    with app.app_context():
        return db.session.scalar(select(model.id).where(model.slug == slug))


def test_directory_lists_open_and_closed_but_not_private_networks(client, make_network):
    make_network(name="Open Frailty", visibility="open")
    make_network(name="Closed Crisis", visibility="closed")
    make_network(name="Hidden Directors", visibility="private")
    page = client.get("/networks/").get_data(as_text=True)
    assert "Open Frailty" in page and "Closed Crisis" in page
    assert "Hidden Directors" not in page
    assert "2 networks" in page


def test_private_network_is_listed_for_its_members_and_staff(app, make_user, make_network, as_user):
    member, moderator, outsider = make_user(), make_user(role="moderator"), make_user()
    make_network(name="Hidden Directors", visibility="private", members=[member])
    assert "Hidden Directors" in as_user(member).get("/networks/").get_data(as_text=True)
    assert "Hidden Directors" in as_user(moderator).get("/networks/").get_data(as_text=True)
    assert "Hidden Directors" not in as_user(outsider).get("/networks/").get_data(as_text=True)


def test_archived_networks_are_hidden_from_the_directory(client, make_network):
    make_network(name="Old Network", archived_at=utcnow())
    make_network(name="Live Network")
    page = client.get("/networks/").get_data(as_text=True)
    assert "Live Network" in page and "Old Network" not in page


def test_filter_by_region_topic_and_text(app, client, make_network):
    london = _ids(app, Region, "london")
    mental_health = _ids(app, Topic, "mental-health")
    with app.app_context():
        topic = db.session.get(Topic, mental_health)
        db.session.expunge(topic)
    make_network(name="London Crisis Cafes", region_id=london)
    make_network(name="London Digital", region_id=london, summary="Records and data.")
    make_network(name="National Crisis Line")
    net = make_network(name="Mental Health North")
    with app.app_context():
        db.session.execute(insert(network_topic).values(network_id=net.id, topic_id=mental_health))
        db.session.commit()

    by_region = client.get("/networks/?region=london").get_data(as_text=True)
    assert "London Crisis Cafes" in by_region and "London Digital" in by_region
    assert "National Crisis Line" not in by_region
    national = client.get("/networks/?region=national").get_data(as_text=True)
    assert "National Crisis Line" in national and "London Digital" not in national
    by_topic = client.get("/networks/?topic=mental-health").get_data(as_text=True)
    assert "Mental Health North" in by_topic and "London Digital" not in by_topic
    by_text = client.get("/networks/?q=CRISIS").get_data(as_text=True)
    assert "London Crisis Cafes" in by_text and "National Crisis Line" in by_text
    assert "London Digital" not in by_text
    assert "1 network" in client.get("/networks/?q=records").get_data(as_text=True)


def test_text_filter_treats_wildcards_literally(client, make_network):
    make_network(name="Plain Network")
    assert "No networks match" in client.get("/networks/?q=%25").get_data(as_text=True)


def test_unknown_region_or_topic_is_explained_beside_the_filter(client, make_network):
    make_network(name="Some Network")
    response = client.get("/networks/?region=atlantis")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "We do not know that region" in page and "Some Network" in page
    response = client.get("/networks/?topic=nope")
    assert response.status_code == 400
    assert "We do not know that topic" in response.get_data(as_text=True)


def test_sorted_by_recent_activity_unless_name_is_asked_for(client, make_network):
    now = utcnow()
    make_network(name="Alpha Quiet", last_activity_at=now - timedelta(days=30))
    make_network(name="Zulu Busy", last_activity_at=now)
    recent = client.get("/networks/").get_data(as_text=True)
    assert recent.index("Zulu Busy") < recent.index("Alpha Quiet")
    by_name = client.get("/networks/?sort=name").get_data(as_text=True)
    assert by_name.index("Alpha Quiet") < by_name.index("Zulu Busy")


def test_directory_paginates(app, client):
    _bulk_networks(app, 25, visibilities=("open", "closed"))
    first = client.get("/networks/").get_data(as_text=True)
    second = client.get("/networks/?page=2").get_data(as_text=True)
    assert "25 networks" in first and 'rel="next"' in first
    assert "Bulk network 0024" in second and "Bulk network 0024" not in first


def test_directory_shows_members_region_and_topics(app, client, make_network):
    london = _ids(app, Region, "london")
    net = make_network(name="Shown Network", region_id=london, member_count=0)
    with app.app_context():
        db.session.execute(insert(network_topic).values(
            network_id=net.id, topic_id=_ids(app, Topic, "workforce")))
        db.session.execute(db.update(Network).where(Network.id == net.id).values(member_count=7))
        db.session.commit()
    page = client.get("/networks/").get_data(as_text=True)
    assert "London" in page and "7 members" in page and "Workforce" in page


def _bulk_networks(app, n, offset=0, visibilities=("open", "closed", "private")):
    """Insert n networks (each with two topics) in two statements."""
    now = utcnow()
    with app.app_context():
        first_topic = db.session.scalar(select(Topic.id).order_by(Topic.id))
        db.session.execute(insert(Network), [
            {"slug": f"bulk-{offset + i:04d}", "name": f"Bulk network {offset + i:04d}",
             "summary": "Bulk.", "description": "", "description_html": "",
             "visibility": visibilities[i % len(visibilities)], "member_count": i,
             "created_at": now, "last_activity_at": now - timedelta(minutes=i),
             "region_id": 1 + i % 10}
            for i in range(n)])
        ids = db.session.scalars(select(Network.id).where(
            Network.slug.in_([f"bulk-{offset + i:04d}" for i in range(n)]))).all()
        db.session.execute(insert(network_topic), [
            {"network_id": nid, "topic_id": first_topic + k} for nid in ids for k in (0, 1)])
        db.session.commit()


def _directory_queries(app, client, count_queries):
    with count_queries() as queries:
        response = client.get("/networks/?sort=name")
    assert response.status_code == 200
    return len(queries)


def test_directory_runs_a_fixed_number_of_queries(app, make_user, as_user, count_queries):
    client = as_user(make_user())
    _bulk_networks(app, 5)
    small = _directory_queries(app, client, count_queries)
    _bulk_networks(app, 195, offset=5)
    large = _directory_queries(app, client, count_queries)
    assert small == large, (small, large)
    assert large <= 7, large


def test_home_page_shows_a_few_active_networks_in_a_fixed_number_of_queries(
        app, client, make_network, count_queries):
    make_network(name="Visible Network")
    make_network(name="Hidden Directors", visibility="private")
    page = client.get("/").get_data(as_text=True)
    assert "Visible Network" in page and "Hidden Directors" not in page
    assert 'href="/networks/"' in page
    with count_queries() as few:
        assert client.get("/").status_code == 200
    _bulk_networks(app, 200)
    with count_queries() as many:
        assert client.get("/").status_code == 200
    # The whole home page (articles, discussions and networks) stays small and fixed.
    assert len(few) == len(many) <= 5
