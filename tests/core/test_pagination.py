"""Page links (core/pagination.page_url through _macros/pagination.html): they keep
the list's filters and nothing a crafted query string could use to break them or
point them elsewhere."""
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import insert, select

from network.articles.models import Article
from network.articles.services import tags_from_text
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import Flag, ModerationAction
from network.networks.models import Membership, Network, network_topic
from network.networks.taxonomy import Region, Topic
from network.search.rebuild import rebuild

_NAV = re.compile(r'<nav class="pagination" aria-label="([^"]*)">(.*?)</nav>', re.S)
_HREF = re.compile(r'href="([^"]*)"')


def page_links(response, label=None) -> list[str]:
    """The hrefs of the page's pagination (of the one labelled ``label``), unescaped."""
    assert response.status_code == 200, response.status_code
    found = [(name, body) for name, body in _NAV.findall(response.get_data(as_text=True))
             if label is None or name == label]
    assert found, "the page shows no page links"
    return [unescape(h) for _, body in found for h in _HREF.findall(body)]


def _query(link) -> dict:
    return parse_qs(urlsplit(link).query)


# --- data ------------------------------------------------------------------------

def _thread_with_posts(app, network, author, posts=30) -> int:
    now = utcnow()
    with app.app_context():
        thread = Thread(network_id=network.id, title="Paged thread", author_id=author.id,
                        post_count=posts, last_post_at=now)
        db.session.add(thread)
        db.session.flush()
        db.session.execute(insert(Post), [
            {"thread_id": thread.id, "number": n, "author_id": author.id, "body": f"Post {n}",
             "body_html": f"<p>Post {n}</p>", "status": "visible",
             "created_at": now - timedelta(minutes=posts - n)} for n in range(1, posts + 1)])
        db.session.commit()
        return thread.id


def _articles(app, author, n=25, network=None, tags=""):
    now = utcnow()
    with app.app_context():
        for i in range(n):
            article = Article(slug=f"paged-{i:03d}", title=f"Paged article {i:03d}",
                              body="Body.", body_html="<p>Body.</p>", author_id=author.id,
                              network_id=network.id if network else None, status="published",
                              published_at=now - timedelta(hours=1, minutes=i))
            article.tags = tags_from_text(tags)
            db.session.add(article)
        db.session.commit()


def _members(app, network, make_user, n=51, **fields):
    people = [make_user(**fields) for _ in range(n)]
    with app.app_context():
        db.session.execute(insert(Membership), [
            {"user_id": p.id, "network_id": network.id, "role": "member"} for p in people])
        db.session.commit()


# --- route arguments and url_for's own options in the query ----------------------

def test_thread_page_links_ignore_a_thread_id_in_the_query(app, client, make_user,
                                                           make_network):
    author = make_user()
    thread_id = _thread_with_posts(app, make_network(), author)
    links = page_links(client.get(f"/threads/{thread_id}?page=2&thread_id=abc"))
    assert links and all(urlsplit(link).path == f"/threads/{thread_id}" for link in links)
    assert all("thread_id" not in _query(link) for link in links)


def test_article_list_links_ignore_an_endpoint_in_the_query(app, client, make_user):
    _articles(app, make_user(role="associate"))
    links = page_links(client.get("/articles/?page=2&endpoint=x"))
    assert links and all(urlsplit(link).path == "/articles/" for link in links)
    assert all("endpoint" not in _query(link) for link in links)


@pytest.mark.parametrize("query", ["_external=1", "_external=1&_scheme=https",
                                   "_scheme=javascript", "_method=POST"])
def test_page_links_stay_on_this_site_whatever_the_query_says(app, client, make_user, query):
    _articles(app, make_user(role="associate"))
    response = client.get(f"/articles/?page=2&{query}", headers={"Host": "evil.example"})
    links = page_links(response)
    assert all(link.startswith("/articles/?") for link in links), links
    assert "evil.example" not in response.get_data(as_text=True)


def test_page_links_carry_no_fragment_from_the_query(app, client, make_user):
    _articles(app, make_user(role="associate"))
    links = page_links(client.get("/articles/?page=2&_anchor=injected"))
    assert links and all("#" not in link and "injected" not in link for link in links)


def test_members_page_links_stay_in_their_network(app, client, make_user, make_network):
    network, other = make_network(), make_network()
    _members(app, network, make_user)
    links = page_links(client.get(f"/networks/{network.slug}/members?page=2&slug={other.slug}"))
    assert links and all(urlsplit(link).path == f"/networks/{network.slug}/members"
                         for link in links)


def test_thread_list_links_stay_in_their_network(app, client, make_user, make_network):
    author = make_user()
    network, other = make_network(members=[author]), make_network()
    now = utcnow()
    with app.app_context():
        db.session.execute(insert(Thread), [
            {"network_id": network.id, "title": f"Thread {i}", "author_id": author.id,
             "post_count": 1, "last_post_at": now - timedelta(minutes=i), "created_at": now}
            for i in range(31)])
        db.session.commit()
    links = page_links(client.get(f"/networks/{network.slug}/threads/?page=2&slug={other.slug}"))
    assert links and all(urlsplit(link).path == f"/networks/{network.slug}/threads/"
                         for link in links)


# --- the filters each list reads are kept -------------------------------------------

def test_directory_page_links_keep_its_filters(app, client):
    now = utcnow()
    with app.app_context():
        london = db.session.scalar(select(Region.id).where(Region.slug == "london"))
        topic = db.session.scalar(select(Topic.id).where(Topic.slug == "workforce"))
        db.session.execute(insert(Network), [
            {"slug": f"crisis-{i:02d}", "name": f"Crisis cafe {i:02d}", "summary": "Crisis.",
             "visibility": "open", "region_id": london, "created_at": now,
             "last_activity_at": now} for i in range(25)])
        ids = db.session.scalars(select(Network.id).where(Network.slug.like("crisis-%"))).all()
        db.session.execute(insert(network_topic), [{"network_id": i, "topic_id": topic}
                                                   for i in ids])
        db.session.commit()
        rebuild()  # rows written in bulk: the directory's q= searches the index
    links = page_links(client.get(
        "/networks/?q=crisis&region=london&topic=workforce&sort=name&page=2"))
    for link in links:
        assert {k: v for k, v in _query(link).items() if k != "page"} == {
            "q": ["crisis"], "region": ["london"], "topic": ["workforce"], "sort": ["name"]}


def test_article_list_links_keep_its_filters(app, client, make_user, make_network):
    author = make_user(role="associate", username="writer")
    network = make_network(members=[author])
    _articles(app, author, network=network, tags="rotas")
    links = page_links(client.get(
        f"/articles/?tag=rotas&author=writer&network={network.slug}&page=2"))
    for link in links:
        assert {k: v for k, v in _query(link).items() if k != "page"} == {
            "tag": ["rotas"], "author": ["writer"], "network": [network.slug]}


def test_members_page_links_keep_the_search(app, client, make_user, make_network):
    network = make_network()
    _members(app, network, make_user, organisation="Kent Community Health")
    links = page_links(client.get(f"/networks/{network.slug}/members?q=kent&page=2"))
    assert all(_query(link)["q"] == ["kent"] for link in links)


def test_moderation_log_links_keep_its_filters(app, make_user, make_network, login):
    moderator = make_user(role="moderator")
    network = make_network()
    with app.app_context():
        db.session.execute(insert(ModerationAction), [
            {"actor_id": moderator.id, "action": "hide_post", "target_type": "post",
             "target_id": i, "network_id": network.id, "created_at": utcnow()}
            for i in range(1, 52)])
        db.session.commit()
    client = login(app.test_client(), moderator)
    links = page_links(client.get(
        f"/moderation/log?network={network.id}&action=hide_post&page=2"))
    for link in links:
        assert {k: v for k, v in _query(link).items() if k != "page"} == {
            "network": [str(network.id)], "action": ["hide_post"]}


def test_queue_pagers_keep_each_others_page(app, make_user, make_network, login):
    moderator, author, reporter = make_user(role="moderator"), make_user(), make_user()
    network = make_network(members=[author, reporter])
    thread_id = _thread_with_posts(app, network, author, posts=42)
    with app.app_context():
        ids = db.session.scalars(select(Post.id).where(Post.thread_id == thread_id)
                                 .order_by(Post.number)).all()
        db.session.execute(Post.__table__.update().where(Post.id.in_(ids[:21]))
                           .values(status="pending"))
        db.session.execute(insert(Flag), [
            {"target_type": "post", "target_id": i, "network_id": network.id,
             "reporter_id": reporter.id, "reason": "spam", "created_at": utcnow()}
            for i in ids[21:]])
        db.session.commit()
    client = login(app.test_client(), moderator)
    response = client.get("/moderation/?page=2&pending_page=2")
    flagged = page_links(response, "Flagged pages")
    pending = page_links(response, "Awaiting approval pages")
    assert all(_query(link)["pending_page"] == ["2"] for link in flagged)
    assert all(_query(link)["page"] == ["2"] for link in pending)
    assert {_query(link)["page"][0] for link in flagged} == {"1", "2"}
