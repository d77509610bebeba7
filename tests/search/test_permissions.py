"""Search finds exactly what each viewer may see: the filter is inside the query, and it
says what the policy's Python rules say, for every viewer kind of the route walk's world
(tests/world.py) and after the changes through which leaks usually come."""
import pytest
from sqlalchemy import select

from network.accounts.models import User
from network.articles.models import Article, Comment
from network.core import policy
from network.core.policy import Anonymous
from network.core.time import utcnow
from network.extensions import db
from network.forum import services as forum
from network.forum.models import Post, Thread
from network.moderation import services as moderation
from network.networks import services as networks
from network.networks.models import Network
from network.practices.models import Practice
from network.search import services
from tests.world import OUTSIDE_PRIVATE, PERSONAS, SECRET, build_world, client_as


@pytest.fixture
def world(app):
    return build_world(app)


def _viewer(world, persona):
    user = world.user(persona)
    return Anonymous() if user is None else db.session.get(User, user.id)


def _found(viewer, q, kind):
    results = services.search(viewer, services.Filters(q=q, type=kind), per_page=100)
    return {hit.heading for hit in results.page.items}, results.counts.get(kind, 0)


def _expected(viewer, kind):
    now = utcnow()
    if kind == "network":
        return {n.name for n in db.session.scalars(select(Network))
                if policy.can_view_network(viewer, n)}
    if kind == "thread":
        return {t.title for t in db.session.scalars(select(Thread))
                if policy.can_see_thread(viewer, t)}
    if kind == "article":
        return {a.title for a in db.session.scalars(select(Article))
                if policy.can_read_article(viewer, a, now) and policy.is_article_live(a, now)}
    if kind == "comment":
        return {f"Comment on “{c.article.title}”" for c in db.session.scalars(select(Comment))
                if policy.comment_access(viewer, c, now) is policy.Access.READABLE
                and policy.is_article_live(c.article, now)}
    return {p.title for p in db.session.scalars(select(Practice))
            if policy.can_read_practice(viewer, p) and p.status == "published"}


WORDS = {"network": "network", "thread": "thread", "article": "article",
         "comment": "comment", "practice": "practice"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_finds_what_the_policy_lets_each_viewer_see(app, world, persona):
    with app.app_context():
        viewer = _viewer(world, persona)
        for kind, word in WORDS.items():
            found, counted = _found(viewer, word, kind)
            assert found == _expected(viewer, kind), (persona, kind)
            assert counted == len(found), (persona, kind)
        members, _ = _found(viewer, "world trust", "member")
        if policy.is_signed_in(viewer):
            assert "Member" in members and "Suspended" not in members
        else:
            assert members == set()


@pytest.mark.parametrize("persona", OUTSIDE_PRIVATE)
def test_nothing_of_a_private_network_reaches_those_outside_it(app, world, persona):
    client = client_as(app, world, persona)
    for url in ("/search?q=secretprivate", "/search?q=post&type=thread",
                "/search?q=comment", "/search?q=secretprivate&network=private-net",
                "/search?q=post&author=member", "/search?q=secret*&sort=newest"):
        page = client.get(url).get_data(as_text=True).lower()
        assert client.get(url).status_code == 200, url
        assert f"{SECRET} network".lower() not in page and f"{SECRET} post".lower() not in page
        assert "only in" not in page, url  # a network one may not see is no filter


def test_a_member_finds_the_private_network_they_belong_to(app, world):
    page = client_as(app, world, "member").get("/search?q=secretprivate").get_data(as_text=True)
    assert f"{SECRET} Network" in page and f"{SECRET} thread" in page


def test_turning_a_network_private_hides_it_from_search_at_once(app, world):
    outsider = client_as(app, world, "outsider")
    assert "Closed thread" not in outsider.get("/search?q=closed+thread").get_data(as_text=True)
    assert "Open thread" in outsider.get("/search?q=open+thread").get_data(as_text=True)
    with app.app_context():
        network = db.session.get(Network, world.places["open"].network_id)
        networks.update_network(_viewer(world, "admin"), network, name=network.name,
                                summary=network.summary, description=network.description,
                                region=None, topic_ids=[], visibility="private")
    page = outsider.get("/search?q=open").get_data(as_text=True)
    assert "Open thread" not in page and "Open Network" not in page and "Open article" not in page
    assert "Open thread" in client_as(app, world, "member").get(
        "/search?q=open").get_data(as_text=True)


def test_hidden_and_pending_posts_are_found_only_by_those_who_moderate_them(app, world):
    with app.app_context():
        moderator = _viewer(world, "moderator")
        post = db.session.get(Post, world.places["open"].post_ids[1])
        moderation.set_hidden(moderator, moderation.get_target("post", post.id, moderator),
                              True, "Hidden for the test")
        reply = forum.reply(_viewer(world, "manager"), db.session.get(
            Thread, world.places["open"].thread_id), "A quokka sighting")
        reply_id = reply.id
        forum.set_post_status(db.session.get(Post, reply_id), "pending")
        db.session.commit()
    for persona, sees in (("anonymous", False), ("member", False), ("outsider", False),
                          ("moderator", True), ("manager", True)):
        hidden = client_as(app, world, persona).get("/search?q=%22open+post+2%22")
        pending = client_as(app, world, persona).get("/search?q=quokka")
        assert ("Open thread" in hidden.get_data(as_text=True)) is sees, persona
        assert ("<mark>quokka</mark>" in pending.get_data(as_text=True)) is sees, persona
