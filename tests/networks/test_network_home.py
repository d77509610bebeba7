"""The network home: what each viewer sees, the right button, and a fixed number of queries."""
from datetime import timedelta

from sqlalchemy import insert, select

from network.accounts.models import User
from network.articles.models import Article
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Thread
from network.networks.models import Membership


def test_home_shows_description_managers_and_count(app, make_user, make_network, client):
    manager = make_user(display_name="Mona Manager")
    network = make_network(name="Frailty North", managers=[manager], members=[make_user()],
                           description_html="<p>About <strong>us</strong></p>")
    page = client.get(f"/networks/{network.slug}/").get_data(as_text=True)
    assert "<h1>Frailty North</h1>" in page and "<strong>us</strong>" in page
    assert "Mona Manager" in page and "2 members" in page
    assert "Sign in</a> or <a" in page


def test_open_network_content_is_readable_by_everyone(app, make_user, make_network, make_thread,
                                                      make_article, client):
    author = make_user()
    network = make_network(members=[author])
    make_thread(network, author, title="Visible thread")
    make_thread(network, author, title="Hidden thread", status="hidden")
    make_thread(network, author, title="Pending thread", status="pending")
    make_article(author, title="Published piece", network=network)
    make_article(author, title="Draft piece", network=network, status="draft")
    make_article(author, title="Scheduled piece", network=network,
                 published_at=utcnow() + timedelta(days=1))
    page = client.get(f"/networks/{network.slug}/").get_data(as_text=True)
    assert "Visible thread" in page and "Published piece" in page
    for hidden in ("Hidden thread", "Pending thread", "Draft piece", "Scheduled piece"):
        assert hidden not in page


def test_closed_network_threads_are_for_members_only(app, make_user, make_network, make_thread,
                                                     make_article, as_user, client):
    member = make_user()
    network = make_network(visibility="closed", members=[member])
    make_thread(network, member, title="Members-only talk")
    make_article(member, title="Members-only article", network=network)
    for viewer in (client, as_user(make_user())):
        page = viewer.get(f"/networks/{network.slug}/").get_data(as_text=True)
        assert "Members-only talk" not in page and "Members-only article" not in page
    for person in (member, make_user(role="moderator")):
        page = as_user(person).get(f"/networks/{network.slug}/").get_data(as_text=True)
        assert "Members-only talk" in page and "Members-only article" in page


def test_private_network_is_404_for_outsiders_and_visible_to_staff(app, make_user, make_network,
                                                                   as_user, client):
    member = make_user()
    network = make_network(name="Hidden Directors", visibility="private", members=[member])
    assert client.get(f"/networks/{network.slug}/").status_code == 404
    assert as_user(make_user()).get(f"/networks/{network.slug}/").status_code == 404
    for person in (member, make_user(role="moderator"), make_user(role="admin")):
        assert as_user(person).get(f"/networks/{network.slug}/").status_code == 200


def test_unknown_or_over_long_slugs_are_404(client):
    assert client.get("/networks/nothing-here/").status_code == 404
    assert client.get("/networks/" + "a" * 500 + "/").status_code == 404


def test_the_button_fits_the_viewer(app, make_user, make_network, as_user):
    person = make_user()
    open_net = make_network(visibility="open", managers=[make_user()])
    closed = make_network(visibility="closed", managers=[make_user()])
    archived = make_network(visibility="open", archived_at=utcnow())
    client = as_user(person)
    assert "Join network" in client.get(f"/networks/{open_net.slug}/").get_data(as_text=True)
    assert "Ask to join" in client.get(f"/networks/{closed.slug}/").get_data(as_text=True)
    page = client.get(f"/networks/{archived.slug}/").get_data(as_text=True)
    assert "Join network" not in page and "archived" in page


def _fill(app, network, n_members, n_threads):
    now = utcnow()
    with app.app_context():
        start = db.session.scalar(select(db.func.count(User.id))) or 0
        db.session.execute(insert(User), [
            {"username": f"bulk{start + i}", "email": f"bulk{start + i}@example.org",
             "password_hash": "x", "display_name": f"Bulk {i}",
             "role": "member", "sector": "nhs"} for i in range(n_members)])
        ids = db.session.scalars(select(User.id).where(User.username.like("bulk%"))
                                 .order_by(User.id.desc()).limit(n_members)).all()
        db.session.execute(insert(Membership), [
            {"user_id": uid, "network_id": network.id,
             "role": "manager" if k % 10 == 0 else "member"} for k, uid in enumerate(ids)])
        db.session.execute(insert(Thread), [
            {"network_id": network.id, "title": f"Thread {i}", "author_id": ids[0],
             "status": "visible", "post_count": 1, "last_post_at": now - timedelta(minutes=i)}
            for i in range(n_threads)])
        db.session.execute(insert(Article), [
            {"slug": f"bulk-article-{network.id}-{start}-{i}", "title": f"Article {i}",
             "author_id": ids[0], "network_id": network.id, "status": "published",
             "published_at": now - timedelta(hours=i + 1)} for i in range(n_threads)])
        db.session.commit()


def test_network_home_runs_a_fixed_number_of_queries(app, make_user, make_network, as_user,
                                                     count_queries):
    viewer = make_user()
    network = make_network(visibility="closed", members=[viewer])
    client = as_user(viewer)
    _fill(app, network, 5, 5)
    with count_queries() as small:
        assert client.get(f"/networks/{network.slug}/").status_code == 200
    _fill(app, network, 200, 200)
    for _ in range(195):
        make_network()
    with count_queries() as large:
        page = client.get(f"/networks/{network.slug}/")
    assert page.status_code == 200 and "Thread 0" in page.get_data(as_text=True)
    assert len(small) == len(large), (len(small), len(large))
    assert len(large) <= 10, len(large)  # + members by sector, the viewer's watch level, the next events
