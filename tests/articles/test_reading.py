"""Reading: the article list with its filters, the article page, related articles, home."""
from datetime import datetime

from tests import factories
from tests.world import SECRET, build_world


def test_list_shows_title_standfirst_author_date_and_comment_count(app, make_user,
                                                                   make_article, make_comment):
    author = make_user(role="associate", display_name="Karen Okafor")
    article = make_article(author, title="One list, one number", standfirst="A shared register.",
                           published_at=datetime(2016, 7, 12, 9, 0))
    make_comment(article, make_user())
    make_comment(article, make_user())
    page = app.test_client().get("/articles/").get_data(as_text=True)
    for text in ("One list, one number", "A shared register.", "Karen Okafor", "12 July 2016",
                 "2 comments"):
        assert text in page
    assert f'href="/members/{author.username}"' in page


def test_list_filters_by_tag_author_and_network(app, make_user, make_network, make_article):
    ann = make_user(role="associate", username="ann")
    bob = make_user(role="associate", username="bob")
    network = make_network(visibility="open", slug="frail-net", members=[bob])
    make_article(ann, title="Tagged piece", tags="Care homes")
    make_article(bob, title="Bob piece")
    make_article(bob, title="Network piece", network=network)
    client = app.test_client()
    page = client.get("/articles/?tag=care-homes").get_data(as_text=True)
    assert "Tagged piece" in page and "Bob piece" not in page
    page = client.get("/articles/?author=bob").get_data(as_text=True)
    assert "Bob piece" in page and "Network piece" in page and "Tagged piece" not in page
    page = client.get("/articles/?network=frail-net").get_data(as_text=True)
    assert "Network piece" in page and "Bob piece" not in page
    assert client.get("/articles/?tag=nothing").status_code == 404
    assert client.get("/articles/?author=nobody").status_code == 404


def test_list_is_paginated(app, make_user, bulk_articles):
    bulk_articles(make_user(role="associate"), 45)
    client = app.test_client()
    first = client.get("/articles/").get_data(as_text=True)
    assert "Bulk article 0<" in first and "Bulk article 19<" in first
    assert "Bulk article 20<" not in first and 'rel="next"' in first
    third = client.get("/articles/?page=3").get_data(as_text=True)
    assert "Bulk article 40<" in third and "Bulk article 44<" in third
    assert client.get("/articles/?page=abc").status_code == 200


def test_article_page_shows_the_byline(app, make_user, make_article):
    author = make_user(role="associate", username="kokafor", display_name="Dr Karen Okafor",
                       job_title="Clinical Director", organisation="Tyneside NHS Trust")
    article = make_article(author, published_at=datetime(2016, 7, 12, 9, 0))
    page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert '<a href="/members/kokafor">Dr Karen Okafor</a>, Clinical Director, Tyneside NHS Trust' in page
    assert "12 July 2016" in page


def test_related_articles_share_a_tag_and_never_leak(app, make_user, make_network,
                                                     make_article):
    author = make_user(role="associate")
    private = make_network(visibility="private", members=[author])
    article = make_article(author, title="Main piece", tags="frailty")
    make_article(author, title="Cousin piece", tags="frailty, wards")
    make_article(author, title="Stranger piece", tags="dentistry")
    make_article(author, title=f"{SECRET} piece", tags="frailty", network=private)
    make_article(author, title="Draft piece", tags="frailty", status="draft")
    page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    related = page.split("Related articles")[1].split("</section>")[0]
    assert "Cousin piece" in related
    assert "Stranger piece" not in related and SECRET not in page and "Draft piece" not in page


def test_private_network_articles_never_reach_outsiders(app):
    world = build_world(app)
    for url in ("/", "/articles/", "/articles/?author=author", "/articles/feed.atom",
                f"/articles/{world.places['open'].article_slug}"):
        for persona in ("anonymous", "outsider"):
            client = app.test_client()
            user = world.user(persona)
            if user is not None:
                session_id = factories.session_id(app, user)
                with client.session_transaction() as session:
                    session["_user_id"] = session_id
            body = client.get(url).get_data(as_text=True)
            assert SECRET not in body, (persona, url)
            assert "Closed article" not in body, (persona, url)


def test_home_page_lists_latest_articles_the_viewer_may_read(app, make_user, make_network,
                                                             make_article, login):
    author = make_user(role="associate")
    member = make_user()
    closed = make_network(visibility="closed", members=[author, member])
    make_article(author, title="Public piece")
    make_article(author, title="Members piece", network=closed)
    page = app.test_client().get("/").get_data(as_text=True)
    assert "Latest articles" in page and "Public piece" in page and "Members piece" not in page
    page = login(app.test_client(), member).get("/").get_data(as_text=True)
    assert "Members piece" in page
