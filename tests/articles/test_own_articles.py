"""Your articles: an author's way back to their drafts, scheduled and withdrawn pieces."""
from datetime import timedelta

from network.articles.models import Article
from network.core.time import utcnow
from tests.articles.conftest import stored


def test_your_articles_lists_every_own_article_with_its_status_and_no_one_elses(
        app, make_user, make_network, login, make_article):
    author = make_user(role="associate")
    network = make_network(members=[author], name="Frailty Leads")
    make_article(author, title="Half written", status="draft")
    make_article(author, title="Coming Monday", published_at=utcnow() + timedelta(days=3))
    make_article(author, title="Out there", network=network, updated_at=utcnow())
    make_article(author, title="Taken down", status="withdrawn",
                 published_at=utcnow() - timedelta(days=9))
    make_article(make_user(role="associate"), title="Someone else's draft", status="draft")
    page = login(app.test_client(), author).get("/articles/mine").get_data(as_text=True)
    for title, status in (("Half written", "Draft"), ("Coming Monday", "Scheduled for"),
                          ("Out there", "Published"), ("Taken down", "Withdrawn")):
        row = page.split(f">{title}</a>")[1].split("</tr>")[0]
        assert status in row, title
    assert "updated" in page.split(">Out there</a>")[1].split("</tr>")[0]
    assert "Frailty Leads" in page and "first published" in page
    assert "Someone else&#39;s draft" not in page and "Someone else's draft" not in page


def test_administrators_see_only_their_own_articles_there_too(app, make_user, login,
                                                             make_article):
    admin = make_user(role="admin")
    make_article(admin, title="Admin's notes", status="draft")
    make_article(make_user(role="associate"), title="An author's draft", status="draft")
    page = login(app.test_client(), admin).get("/articles/mine").get_data(as_text=True)
    assert "Admin&#39;s notes" in page and "An author&#39;s draft" not in page


def test_your_articles_needs_signing_in(client):
    response = client.get("/articles/mine")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_authors_find_the_page_from_the_articles_list_and_their_profile(app, make_user, login):
    author, member = make_user(role="associate"), make_user()
    client = login(app.test_client(), author)
    assert 'href="/articles/mine"' in client.get("/articles/").get_data(as_text=True)
    assert 'href="/articles/mine"' in client.get(
        f"/members/{author.username}").get_data(as_text=True)
    other = login(app.test_client(), member)
    assert 'href="/articles/mine"' not in other.get("/articles/").get_data(as_text=True)
    assert 'href="/articles/mine"' not in other.get(
        f"/members/{author.username}").get_data(as_text=True)
    assert "You have not written any articles yet." in other.get("/articles/mine").get_data(
        as_text=True)


def test_an_article_titled_mine_does_not_take_the_pages_address(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    client.post("/articles/new", data={"title": "Mine", "body": "All mine.", "action": "publish"})
    [article] = stored(app, Article)
    assert article.slug != "mine"
    assert client.get(f"/articles/{article.slug}").status_code == 200
    assert "Your articles" in client.get("/articles/mine").get_data(as_text=True)
