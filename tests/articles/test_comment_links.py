"""A link to one comment lands on the page of the discussion that shows it."""
from datetime import timedelta

from network.core.time import utcnow


def test_comment_link_lands_on_its_page(client, make_user, make_article, make_comment, bulk_comments):
    author, reader = make_user(role="associate"), make_user()
    article = make_article(author)
    bulk_comments(article, reader, 60)
    late = make_comment(article, reader, body="The sixty-first word", created_at=utcnow() + timedelta(minutes=5))
    response = client.get(f"/comments/{late.id}")
    assert response.status_code == 302
    assert response.location.endswith(f"/articles/{article.slug}?page=2#comment-{late.id}")
    assert "The sixty-first word" in client.get(response.location.split("#")[0]).get_data(as_text=True)


def test_first_page_comment_link_has_no_page_number(client, make_user, make_article, make_comment):
    article = make_article(make_user(role="associate"))
    first = make_comment(article, make_user())
    assert client.get(f"/comments/{first.id}").location.endswith(
        f"/articles/{article.slug}#comment-{first.id}")


def test_someone_elses_pending_comment_is_404(app, client, make_user, make_article, make_comment, login):
    article = make_article(make_user(role="associate"))
    writer = make_user()
    waiting = make_comment(article, writer, status="pending")
    assert client.get(f"/comments/{waiting.id}").status_code == 404
    assert login(app.test_client(), writer).get(f"/comments/{waiting.id}").status_code == 302
