"""The comments under an article are a shared fragment for signed-in readers
(core/fragments.py): what staff or a comment's author may see never reaches
another reader, and a new comment shows at once."""


def test_staff_and_authors_views_of_comments_are_not_shared(
        cached_app, make_user, make_article, make_comment, login):
    writer = make_user(role="associate")
    article = make_article(writer, slug="virtual-wards")
    commenter = make_user(display_name="Cara Commenter")
    reader = make_user()
    make_comment(article, commenter, body="Visible words about wards.")
    make_comment(article, commenter, body="Words a moderator removed.", status="hidden")
    own = make_comment(article, commenter, body="Still waiting words.", status="pending")
    staff = make_user(role="moderator")
    cached = cached_app()

    as_staff = login(cached.test_client(), staff).get("/articles/virtual-wards").get_data(
        as_text=True)
    assert "Words a moderator removed." in as_staff and "Still waiting words." in as_staff
    as_author = login(cached.test_client(), commenter).get("/articles/virtual-wards").get_data(
        as_text=True)
    assert "Words a moderator removed." not in as_author
    assert "Still waiting words." in as_author and f"/comments/{own.id}/edit" in as_author
    as_reader = login(cached.test_client(), reader).get("/articles/virtual-wards").get_data(
        as_text=True)
    assert "Visible words about wards." in as_reader
    assert "Words a moderator removed." not in as_reader and "Still waiting words." not in as_reader
    assert f"/comments/{own.id}/edit" not in as_reader

    client = login(cached.test_client(), reader)
    posted = client.post("/articles/virtual-wards/comments", data={"body": "Reader's new view."})
    assert posted.status_code == 302
    again = login(cached.test_client(), staff).get("/articles/virtual-wards").get_data(
        as_text=True)
    assert "Reader&#39;s new view." in again or "Reader's new view." in again
