"""Atom feeds of public articles, site-wide and per open network."""
from datetime import datetime, timedelta

import feedparser

from network.core.time import utcnow


def test_site_feed_is_valid_atom_of_public_articles(app, make_user, make_network,
                                                    make_article):
    author = make_user(role="associate", display_name="Karen <Okafor> & Co")
    closed = make_network(visibility="closed", members=[author])
    private = make_network(visibility="private", members=[author])
    make_article(author, title="Fish & <chips>", standfirst="Tasty & cheap",
                 body="**Bold** claim", published_at=datetime(2016, 7, 12, 9, 0), slug="fish")
    make_article(author, title="Closed piece", network=closed)
    make_article(author, title="Private piece", network=private)
    make_article(author, title="Draft piece", status="draft")
    make_article(author, title="Future piece", published_at=utcnow() + timedelta(days=1))
    response = app.test_client().get("/articles/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == "http://whatworks.test/articles/feed.atom"
    assert feed.feed.updated_parsed is not None
    [entry] = feed.entries
    assert entry.title == "Fish & <chips>"
    assert entry.link == "http://whatworks.test/articles/fish"
    assert entry.id == "http://whatworks.test/articles/fish"
    assert entry.author == "Karen <Okafor> & Co"
    assert entry.summary == "Tasty & cheap"
    assert entry.published_parsed[:3] == (2016, 7, 12)
    assert entry.updated_parsed is not None
    assert entry.content[0].type == "text/html"
    assert "<strong>Bold</strong>" in entry.content[0].value


def test_network_feed_is_for_open_networks_only(app, make_user, make_network, make_article):
    author = make_user(role="associate")
    open_net = make_network(visibility="open", slug="open-one", members=[author])
    closed = make_network(visibility="closed", slug="closed-one", members=[author])
    make_article(author, title="In the open network", network=open_net)
    make_article(author, title="Outside any network")
    make_article(author, title="In the closed network", network=closed)
    client = app.test_client()
    feed = feedparser.parse(client.get("/networks/open-one/feed.atom").data)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["In the open network"]
    assert client.get("/networks/closed-one/feed.atom").status_code == 404
    assert client.get("/networks/nowhere/feed.atom").status_code == 404
