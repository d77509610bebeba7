"""The /search page: the header box on every page, counts per type, pagination, escaped
and highlighted snippets, a helpful empty page, hostile queries, a fixed query count."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select

from network.extensions import db
from network.forum.models import Post, Thread
from network.search.index import index_post, index_thread


def test_every_page_has_a_labelled_search_box_in_its_header(client):
    for url in ("/", "/networks/", "/articles/", "/search?q=x", "/no-such-page"):
        page = client.get(url).get_data(as_text=True)
        assert 'role="search"' in page and 'action="/search"' in page, url
        assert '<label for="header-search-q"' in page and 'id="header-search-q"' in page, url


def test_results_show_kind_place_date_and_a_highlighted_snippet(client, make_user,
                                                                  make_network, make_thread):
    author = make_user(display_name="Dana Author")
    network = make_network(name="Frailty North")
    thread = make_thread(network, author, posts=2, title="Weekend cover",
                         body="Our weekend discharge team, post {number}.")
    page = client.get("/search?q=discharge").get_data(as_text=True)
    assert "Discussion" in page and "Weekend cover" in page and "Frailty North" in page
    assert "Dana Author" in page and "<time" in page
    assert "<mark>discharge</mark>" in page
    assert "Discussions (1)" in page and "Everything (1)" in page
    assert f'href="/threads/{thread.id}"' in page or 'href="/posts/' in page


def test_text_that_looks_like_markup_is_shown_as_text(client, make_user, make_network,
                                                      make_thread):
    make_thread(make_network(), make_user(), title="Odd text",
                body="Try <mark>fake</mark> and <script>alert(1)</script> rota {number}")
    page = client.get("/search?q=rota").get_data(as_text=True)
    assert "<script>alert" not in page and "<mark>fake</mark>" not in page
    assert "fake&lt;/mark&gt;" in page and "&lt;script&gt;" in page  # shown as text
    assert "<mark>rota</mark>" in page


def test_counts_per_type_and_the_type_filter(client, make_user, make_network, make_thread,
                                             make_article):
    author = make_user(role="associate")
    make_thread(make_network(name="Mental health"), author, title="Crisis lines")
    make_article(author, title="Crisis cafés")
    make_article(author, title="Crisis teams")
    page = client.get("/search?q=crisis").get_data(as_text=True)
    assert "Everything (3)" in page and "Articles (2)" in page and "Discussions (1)" in page
    filtered = client.get("/search?q=crisis&type=article").get_data(as_text=True)
    assert "Crisis cafés" in filtered and "Crisis lines" not in filtered
    assert "2 results" in filtered


def test_results_are_paged(client, make_user, make_article):
    author = make_user(role="associate")
    for n in range(23):
        make_article(author, title=f"Continence care {n}")
    first = client.get("/search?q=continence").get_data(as_text=True)
    second = client.get("/search?q=continence&page=2").get_data(as_text=True)
    assert first.count('class="search-hit"') == 20 and second.count('class="search-hit"') == 3
    assert "23 results" in first and 'rel="next"' in first and "q=continence" in first


def test_no_results_says_what_was_searched_and_what_to_try(client, make_user,
                                                           make_network):
    network = make_network(name="Stroke care")
    page = client.get(f"/search?q=zebra+crossing&type=article&network={network.slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "No results for “zebra crossing”" in text
    assert "We searched articles in Stroke care" in text
    assert "checking the spelling" in text and "fewer words" in text
    assert "searching everything, without filters" in text


def test_an_empty_search_explains_itself(client):
    text = client.get("/search").get_data(as_text=True)
    assert "Search networks, discussions, articles, comments and practices:" in text


@pytest.mark.parametrize("q", [
    "x" * 5000, "care\x00home", '"unbalanced quote', 'a "b', "-", "*", "-care", "**",
    "the and of", "NEAR(care home)", "care AND home OR NOT", "title:care", "care*",
    "^care", "(care", "care)", "{title}: care", '"" "" ""', "care -care", "'; DROP TABLE",
    "%_\\", "\ufffd\u202e", "ü", "-" * 40, ":*", "!", "care & | ! <->",
])
def test_hostile_queries_never_give_a_500(client, make_user, make_article, q):
    make_article(make_user(role="associate"), title="Care home visiting")
    for extra in ({}, {"type": "thread"}, {"sort": "newest"}, {"page": "99999"},
                  {"type": "nope", "sort": "x"}, {"after": "not-a-date", "before": "2099-99-99"},
                  {"network": "\x00"}, {"author": "y" * 300}):
        response = client.get("/search", query_string={"q": q, **extra})
        # A NUL byte anywhere in a request is refused by the site as a whole (a 400
        # page that says so); everything else is searched or explained.
        has_nul = "\x00" in q + "".join(extra.values())
        assert response.status_code == (400 if has_nul else 200), (q, extra)


def test_a_search_for_a_prefix_of_a_common_word_is_fast_to_count(client, make_user,
                                                                  make_article):
    make_article(make_user(role="associate"), title="Care home visiting")
    assert "Care home visiting" in client.get("/search?q=car").get_data(as_text=True)


def _bulk_thread(app, author_id, network_id, posts):
    with app.app_context():
        thread = Thread(network_id=network_id, title="Bulk thread", author_id=author_id,
                        post_count=posts)
        db.session.add(thread)
        db.session.flush()
        db.session.execute(insert(Post), [
            dict(thread_id=thread.id, number=n, author_id=author_id, body=f"Bulk rota {n}",
                 body_html=f"<p>Bulk rota {n}</p>") for n in range(1, posts + 1)])
        index_thread(thread)
        for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id)):
            index_post(post)
        db.session.commit()


def test_a_results_page_runs_a_fixed_number_of_queries(app, make_user, make_network,
                                                       make_article, as_user, count_queries):
    author = make_user(role="associate")
    network = make_network(members=[author])
    client = as_user(author)
    make_article(author, title="Rota article", network=network)
    _bulk_thread(app, author.id, network.id, 3)
    with count_queries() as few:
        assert client.get("/search?q=rota").status_code == 200
    for n in range(30):
        make_article(author, title=f"Rota article {n}", network=network)
    _bulk_thread(app, author.id, network.id, 60)
    with count_queries() as many:
        page = client.get("/search?q=rota")
    assert page.status_code == 200 and page.get_data(as_text=True).count('class="search-hit"') == 20
    assert len(few) == len(many), (len(few), len(many))
    assert len(many) <= 8, many


def test_nul_bytes_and_engine_syntax_reach_the_search_service_harmlessly(app, make_user,
                                                                           make_article, find):
    """Below the site's NUL refusal, the service itself copes with whatever it is given."""
    make_article(make_user(role="associate"), title="Care home visiting")
    assert find("care\x00home") == [("article", "Care home visiting")]
    assert find('care" OR "x') == []   # quotes and operators are only words
    assert find("(care home)*") == [("article", "Care home visiting")]
    assert find("-") == find("*") == find("the") == []


def test_filters_by_region_author_and_date(client, make_user, make_network, make_thread,
                                           make_article, app):
    from network.networks.taxonomy import Region

    with app.app_context():
        london = db.session.scalar(select(Region).where(Region.slug == "london"))
        london_id = london.id
    writer, other = make_user(role="associate", username="wri"), make_user(username="oth")
    make_thread(make_network(name="London falls", region_id=london_id), writer,
                title="Falls huddles in London")
    make_thread(make_network(name="Elsewhere falls"), other, title="Falls huddles elsewhere")
    by_region = client.get("/search?q=falls+huddles&region=london").get_data(as_text=True)
    assert "Falls huddles in London" in by_region and "huddles elsewhere" not in by_region
    assert "from London" in by_region
    by_author = client.get("/search?q=falls+huddles&author=oth").get_data(as_text=True)
    assert "huddles elsewhere" in by_author and "Falls huddles in London" not in by_author
    later = client.get("/search?q=falls+huddles&after=2999-01-01").get_data(as_text=True)
    assert "No results" in later and "searching everything, without filters" in later


def test_every_kind_of_hit_has_an_address(app):
    """Each kind the index holds links to its own page: a kind added to the index
    without an address fails here, not as a 500 on the results page."""
    from network.search import services, views

    assert set(views.ADDRESSES) == set(services.KIND_LABELS)
    with app.test_request_context():
        for kind in views.ADDRESSES:
            hit = services.Hit(kind=kind, type=kind, item_id=7, title="A title", context="",
                               slug="some-slug", created_at=datetime.now(timezone.utc),
                               network_name=None, network_slug="some-network",
                               author_name=None)
            assert views._address(hit).startswith("/"), kind
