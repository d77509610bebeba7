"""Practices mentioned in posts, articles and comments (issue 10): the links are
noted by the services that write the text, a card is drawn under the text for
those who may read the practice, and the practice page lists where it is mentioned."""
import re

import pytest

from sqlalchemy import delete, func, select

from network.articles import comments as article_comments
from network.articles import services as articles
from network.articles.models import Article, Comment
from network.extensions import db
from network.forum import services as forum
from network.forum.models import Post, Thread
from network.networks.models import Network
from network.practices import mentions
from network.practices.models import PracticeMention
from tests.practices.factories import add_practice

# Comments link only addresses whose top-level domain bleach's linkifier knows (not
# tests/conftest.py's ".test"): this module's app has a real-looking address.
BASE = "https://whatworks.nhs.uk"


@pytest.fixture
def app(make_app):
    return make_app(BASE_URL=BASE)


def _mentioned(app, **source) -> list[str]:
    """Slugs of the practices the source (post_id=, article_id= or comment_id=) mentions."""
    from network.practices.models import Practice

    [(column, value)] = source.items()
    with app.app_context():
        return list(db.session.scalars(
            select(Practice.slug).join(PracticeMention, PracticeMention.practice_id == Practice.id)
            .where(getattr(PracticeMention, column) == value).order_by(PracticeMention.id)))


def _cards(page: str) -> list[str]:
    """Titles of the practice cards on a page."""
    return re.findall(r'<aside class="link-card"[^>]*>\s*<h\d[^>]*>.*?<a href="[^"]*">([^<]*)</a>',
                      page, re.S)


def _world(app, make_user, make_network, make_thread, visibility="open", others=()):
    """An associate writer, a thread in a network of ``visibility`` and two published
    practices: one outside networks ("care-homes"), one in a closed network ("frailty")."""
    writer = make_user(role="associate")
    insider = make_user()
    closed = make_network(visibility="closed", members=[writer, insider], name="Closed circle")
    network = make_network(visibility=visibility, members=[writer, insider, *others])
    thread = make_thread(network, writer, title="Winter pressures")
    with app.app_context():
        add_practice(writer, title="Care-home in-reach", slug="care-homes",
                     summary="A named clinician for every home.", evidence_level=3)
        add_practice(writer, title="MARKER frailty register", slug="frailty", network=closed)
        db.session.commit()
    return writer, insider, thread


def _reply(app, writer, thread, body) -> int:
    with app.app_context():
        return forum.reply(db.session.merge(writer), db.session.get(Thread, thread.id), body).id


# --- what is stored -------------------------------------------------------------------

def test_a_reply_notes_each_practice_it_links_to_once(app, make_user, make_network, make_thread):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    post_id = _reply(app, writer, thread,
                     f"See [the in-reach team](/practices/care-homes) and {BASE}/practices/frailty "
                     f"and again [here]({BASE}/practices/care-homes/?ref=1#measures) and "
                     "[an unknown one](/practices/no-such-practice).")
    assert _mentioned(app, post_id=post_id) == ["care-homes", "frailty"]


def test_editing_a_post_replaces_its_links(app, make_user, make_network, make_thread):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    post_id = _reply(app, writer, thread, "[One](/practices/care-homes)")
    with app.app_context():
        forum.edit_post(db.session.merge(writer), db.session.get(Post, post_id),
                        "[Other](/practices/frailty) instead")
    assert _mentioned(app, post_id=post_id) == ["frailty"]
    with app.app_context():
        forum.edit_post(db.session.merge(writer), db.session.get(Post, post_id), "No links now.")
    assert _mentioned(app, post_id=post_id) == []


def test_a_new_thread_notes_the_links_of_its_first_post(app, make_user, make_network,
                                                        make_thread):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        started = forum.create_thread(db.session.merge(writer),
                                      db.session.get(Network, thread.network_id),
                                      "Cards", "[In-reach](/practices/care-homes)")
        first_id = db.session.scalar(select(Post.id).where(Post.thread_id == started.id))
    assert _mentioned(app, post_id=first_id) == ["care-homes"]


def test_article_bodies_and_comments_note_their_links(app, make_user, make_network, make_thread):
    writer, insider, _ = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        author = db.session.merge(writer)
        article = articles.create_article(author, articles.ArticleInput(
            title="What we learned", body="Read [this](/practices/care-homes)."), "publish")
        comment = article_comments.add_comment(author, article,
                                               f"Also {BASE}/practices/frailty please")
        article_id, comment_id = article.id, comment.id
    assert _mentioned(app, article_id=article_id) == ["care-homes"]
    assert _mentioned(app, comment_id=comment_id) == ["frailty"]
    with app.app_context():
        article_comments.edit_comment(db.session.merge(writer), db.session.get(Comment, comment_id),
                                      f"{BASE}/practices/care-homes then")
        article = db.session.get(Article, article_id)
        articles.update_article(db.session.merge(writer), article, articles.ArticleInput(
            title=article.title, body="No link."), "publish")
    assert _mentioned(app, comment_id=comment_id) == ["care-homes"]
    assert _mentioned(app, article_id=article_id) == []


def test_a_deleted_post_leaves_the_list_and_a_removed_row_takes_its_links(
        app, make_user, make_network, make_thread, client):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    post_id = _reply(app, writer, thread, "[In-reach](/practices/care-homes)")
    assert "Winter pressures" in client.get("/practices/care-homes").get_data(as_text=True)
    with app.app_context():
        forum.delete_own_post(db.session.merge(writer), db.session.get(Post, post_id))
    assert "Winter pressures" not in client.get("/practices/care-homes").get_data(as_text=True)
    with app.app_context():
        db.session.execute(delete(Post).where(Post.id == post_id))
        db.session.commit()
        assert db.session.scalar(select(func.count(PracticeMention.id))) == 0


def test_rebuilding_notes_the_links_of_texts_written_before(app, make_user, make_network,
                                                             make_thread, make_post):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    post = make_post(thread, writer, body="Written before: [x](/practices/frailty)")
    assert _mentioned(app, post_id=post.id) == []  # the factory skips the services
    with app.app_context():
        assert mentions.rebuild() == 1
    assert _mentioned(app, post_id=post.id) == ["frailty"]


# --- hostile links -------------------------------------------------------------------

HOSTILE = [
    "[a](javascript:alert(1)//practices/care-homes)",
    "[b](JaVaScRiPt&#58;/practices/care-homes)",
    "[c](https://evil.example/practices/care-homes)",
    "[d](https://whatworks.nhs.uk.evil.example/practices/care-homes)",
    "[e](//evil.example/practices/care-homes)",
    "[f](/practices/../practices/care-homes)",
    "[g](/practices/%63are-homes)",
    "[h](/practices/care-homes/edit)",
    "[i](/practices/new)",
    "[j](ftp://whatworks.nhs.uk/practices/care-homes)",
    "[k](http://[::1/practices/care-homes)",
    "[l](/networks/x/../../practices/care-homes)",
]


def test_hostile_and_foreign_links_note_nothing(app, make_user, make_network, make_thread,
                                                client):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    post_id = _reply(app, writer, thread, "\n\n".join(HOSTILE))
    assert _mentioned(app, post_id=post_id) == []
    response = client.get(f"/threads/{thread.id}")
    assert response.status_code == 200 and _cards(response.get_data(as_text=True)) == []


def test_five_hundred_links_note_at_most_ten_practices(app, make_user, make_network,
                                                       make_thread, client):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        for n in range(12):
            add_practice(writer, slug=f"many-{n:02d}", title=f"Many {n:02d}")
        db.session.commit()
    body = " ".join(f"[{n}](/practices/many-{n % 12:02d})" for n in range(500))
    post_id = _reply(app, writer, thread, body)
    assert _mentioned(app, post_id=post_id) == [f"many-{n:02d}" for n in range(10)]
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert len(_cards(page)) == 10


# --- cards ---------------------------------------------------------------------------

def test_a_card_shows_under_a_post_for_those_who_may_read_the_practice(
        app, make_user, make_network, make_thread, client, login):
    writer, insider, thread = _world(app, make_user, make_network, make_thread)
    _reply(app, writer, thread, "[a](/practices/care-homes) and [b](/practices/frailty)")
    anonymous = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert _cards(anonymous) == ["Care-home in-reach"]
    assert "MARKER" not in anonymous
    assert "A named clinician for every home." in anonymous
    assert "Level 3: Change shown to be caused by it" in anonymous
    outsider = login(app.test_client(), make_user()).get(f"/threads/{thread.id}")
    assert "MARKER" not in outsider.get_data(as_text=True)
    member = login(app.test_client(), insider).get(f"/threads/{thread.id}").get_data(as_text=True)
    assert _cards(member) == ["Care-home in-reach", "MARKER frailty register"]


def test_a_draft_practice_has_no_card(app, make_user, make_network, make_thread, login):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        add_practice(writer, title="MARKER draft", slug="draft-one", status="draft")
        db.session.commit()
    _reply(app, writer, thread, "[draft](/practices/draft-one)")
    page = login(app.test_client(), make_user()).get(f"/threads/{thread.id}")
    assert "MARKER" not in page.get_data(as_text=True)


def test_cards_show_under_an_article_and_its_comments(app, make_user, make_network,
                                                      make_thread, client, login):
    writer, insider, _ = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        author = db.session.merge(writer)
        article = articles.create_article(author, articles.ArticleInput(
            title="What we learned", body="Read [this](/practices/care-homes)."), "publish")
        article_comments.add_comment(author, article, f"And {BASE}/practices/frailty")
        slug = article.slug
    assert _cards(client.get(f"/articles/{slug}").get_data(as_text=True)) == [
        "Care-home in-reach"]
    member = login(app.test_client(), insider).get(f"/articles/{slug}").get_data(as_text=True)
    assert _cards(member) == ["Care-home in-reach", "MARKER frailty register"]


def test_a_kept_list_of_posts_shows_each_reach_only_its_own_cards(
        app, cached_app, make_user, make_network, make_thread, login):
    """Fragments are shared by viewers in the same position: the practices they may
    read are part of it (a member of the open network only, a member of the closed too)."""
    neighbour = make_user()
    writer, insider, thread = _world(app, make_user, make_network, make_thread,
                                     others=[neighbour])
    _reply(app, writer, thread, "[b](/practices/frailty)")
    cached = cached_app(BASE_URL=BASE)
    page = login(cached.test_client(), insider).get(f"/threads/{thread.id}")
    assert "MARKER" in page.get_data(as_text=True)
    for _ in range(2):  # kept and served again
        page = login(cached.test_client(), neighbour).get(f"/threads/{thread.id}")
        assert "MARKER" not in page.get_data(as_text=True)
    page = login(cached.test_client(), insider).get(f"/threads/{thread.id}")
    assert "MARKER" in page.get_data(as_text=True)


def test_a_thread_page_loads_its_cards_in_a_fixed_number_of_queries(
        app, make_user, make_network, make_thread, login, count_queries):
    writer, insider, thread = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        for n in range(6):
            add_practice(writer, slug=f"each-{n}", title=f"Each {n}")
        db.session.commit()
    viewer = login(app.test_client(), insider)

    def queries_for_page() -> int:
        with count_queries() as statements:
            assert viewer.get(f"/threads/{thread.id}").status_code == 200
        return len(statements)

    for n in range(2):
        _reply(app, writer, thread, f"[a](/practices/each-{n}) [b](/practices/frailty)")
    few = queries_for_page()
    for n in range(2, 20):
        _reply(app, writer, thread, f"[a](/practices/each-{n % 6}) [b](/practices/care-homes)")
    page = viewer.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert len(_cards(page)) == 40
    assert queries_for_page() == few


# --- the practice page ---------------------------------------------------------------

def test_the_practice_page_lists_threads_and_articles_its_viewer_may_read(
        app, make_user, make_network, make_thread, client, login):
    writer, insider, open_thread = _world(app, make_user, make_network, make_thread)
    private = make_network(visibility="private", members=[writer, insider])
    secret_thread = make_thread(private, writer, title="MARKER private thread")
    _reply(app, writer, open_thread, "[a](/practices/care-homes)")
    _reply(app, writer, secret_thread, "[a](/practices/care-homes)")
    with app.app_context():
        author = db.session.merge(writer)
        articles.create_article(author, articles.ArticleInput(
            title="Public article", body="[a](/practices/care-homes)"), "publish")
        articles.create_article(author, articles.ArticleInput(
            title="MARKER draft article", body="[a](/practices/care-homes)"), "draft")
    page = client.get("/practices/care-homes").get_data(as_text=True)
    listed = page.split('id="mentioned-heading"')[1]
    assert "Winter pressures" in listed and "Public article" in listed
    assert "MARKER" not in page
    member = login(app.test_client(), insider).get("/practices/care-homes").get_data(as_text=True)
    assert "MARKER private thread" in member and "MARKER draft article" not in member
    assert member.index("Public article") < member.index("MARKER private thread")  # newest first


def test_the_practice_page_lists_at_most_ten_in_a_fixed_number_of_queries(
        app, make_user, make_network, make_thread, client, count_queries):
    writer, _, thread = _world(app, make_user, make_network, make_thread)
    with app.app_context():
        network = db.session.get(Network, thread.network_id)
        db.session.expunge(network)

    def queries_for_page() -> int:
        with count_queries() as statements:
            assert client.get("/practices/care-homes").status_code == 200
        return len(statements)

    _reply(app, writer, thread, "[a](/practices/care-homes)")
    few = queries_for_page()
    for n in range(14):
        other = make_thread(network, writer, title=f"Thread number {n}")
        _reply(app, writer, other, "[a](/practices/care-homes)")
    page = client.get("/practices/care-homes").get_data(as_text=True)
    listed = page.split('id="mentioned-heading"')[1].split("</section>")[0]
    assert listed.count("<li>") == 10 and "Thread number 13" in listed
    assert queries_for_page() == few
