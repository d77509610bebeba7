"""Writing articles: the form, preview, publication, scheduling, editing, withdrawal."""
import re
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from network.articles.models import Article, Series, Tag
from network.core.time import utcnow
from network.extensions import db
from tests.articles.conftest import stored


def _form(**overrides):
    data = {"title": "Virtual wards: the first year", "standfirst": "What we learned.",
            "body": "We **halved** readmissions.\n\n- one\n- two", "tags": "Frailty, Virtual wards",
            "network": "", "series": "", "new_series": "", "series_part": "",
            "author_bio": "", "publish_at": "", "action": "publish"}
    data.update(overrides)
    return data


def test_associate_publishes_an_article_with_markdown_and_tags(app, make_user, login):
    author = make_user(role="associate", username="writer")
    client = login(app.test_client(), author)
    response = client.post("/articles/new", data=_form())
    assert response.status_code == 302
    assert response.location.endswith("/articles/virtual-wards-the-first-year")
    [article] = stored(app, Article)
    assert article.status == "published" and article.published_at <= utcnow()
    assert "<strong>halved</strong>" in article.body_html
    assert sorted(t.slug for t in stored(app, Tag)) == ["frailty", "virtual-wards"]
    page = client.get("/articles/virtual-wards-the-first-year").get_data(as_text=True)
    assert "<strong>halved</strong>" in page and "What we learned." in page


def test_members_cannot_write_articles(app, make_user, login):
    client = login(app.test_client(), make_user(role="member"))
    assert client.get("/articles/new").status_code == 403
    assert client.post("/articles/new", data=_form()).status_code == 403
    assert stored(app, Article) == []


def test_preview_renders_markdown_without_saving(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/articles/new", data=_form(action="preview",
                                                       body="## Heading\n\n<script>x()</script>"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Heading</h2>" in page and "<script>x()" not in page
    assert "Virtual wards: the first year" in page  # the typed title is kept
    assert stored(app, Article) == []


def test_empty_title_is_refused_and_the_text_kept(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/articles/new", data=_form(title="  ", body="My long typed body"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a title." in page and "My long typed body" in page
    assert stored(app, Article) == []


def test_over_long_fields_are_refused(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/articles/new", data=_form(title="t" * 201, standfirst="s" * 401))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use 200 characters or fewer." in page and "Use 400 characters or fewer." in page


def test_network_the_author_is_not_in_is_refused(app, make_user, make_network, login):
    author = make_user(role="associate")
    elsewhere = make_network(visibility="open")
    client = login(app.test_client(), author)
    response = client.post("/articles/new", data=_form(network=str(elsewhere.id)))
    assert response.status_code == 400
    assert "Choose a network you are a member of" in response.get_data(as_text=True)
    response = client.post("/articles/new", data=_form(network="not-a-number"))
    assert response.status_code == 400
    assert stored(app, Article) == []


def test_bad_schedule_dates_are_refused(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/articles/new", data=_form(action="schedule", publish_at="soon"))
    assert response.status_code == 400
    assert "Enter a real date and time" in response.get_data(as_text=True)
    past = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/articles/new", data=_form(action="schedule", publish_at=past))
    assert response.status_code == 400
    assert "in the future" in response.get_data(as_text=True)
    response = client.post("/articles/new", data=_form(action="schedule"))
    assert response.status_code == 400
    assert stored(app, Article) == []


def test_part_number_must_be_a_positive_whole_number(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    for bad in ("two", "0", "-3"):
        response = client.post("/articles/new", data=_form(new_series="Frailty diaries",
                                                           series_part=bad))
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "whole number" in page and "Frailty diaries" in page
    assert stored(app, Article) == []


def test_scheduled_article_is_hidden_until_its_time(app, make_user, login):
    author = make_user(role="associate")
    client = login(app.test_client(), author)
    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/articles/new", data=_form(action="schedule", publish_at=later))
    assert response.status_code == 302
    [article] = stored(app, Article)
    assert article.status == "published" and article.published_at > utcnow()
    assert client.get(f"/articles/{article.slug}").status_code == 200  # the author sees it
    reader = app.test_client()
    assert reader.get(f"/articles/{article.slug}").status_code == 404
    assert article.title not in reader.get("/articles/").get_data(as_text=True)


def test_drafts_are_seen_only_by_the_author_and_admins(app, make_user, login, make_article):
    author = make_user(role="associate")
    draft = make_article(author, title="Unfinished thoughts", status="draft")
    url = f"/articles/{draft.slug}"
    assert login(app.test_client(), author).get(url).status_code == 200
    assert login(app.test_client(), make_user(role="admin")).get(url).status_code == 200
    assert login(app.test_client(), make_user(role="moderator")).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 404
    assert "Unfinished thoughts" not in app.test_client().get("/articles/").get_data(as_text=True)


def test_edits_after_publication_keep_the_date_and_the_slug(app, make_user, login, make_article):
    author = make_user(role="associate")
    published = utcnow() - timedelta(days=30)
    article = make_article(author, title="Original title", slug="original-title",
                           published_at=published)
    client = login(app.test_client(), author)
    response = client.post("/articles/original-title/edit",
                           data=_form(title="A better title", action="publish"))
    assert response.status_code == 302 and response.location.endswith("/articles/original-title")
    [saved] = stored(app, Article, id=article.id)
    assert saved.title == "A better title" and saved.published_at == published
    assert saved.updated_at is not None
    page = app.test_client().get("/articles/original-title").get_data(as_text=True)
    assert f"Updated <time datetime=\"{saved.updated_at.isoformat()}\">" in page


def test_a_live_article_saved_as_a_draft_and_published_again_keeps_its_first_date(
        app, make_user, login, make_article):
    author = make_user(role="associate")
    first = utcnow() - timedelta(days=30)
    article = make_article(author, title="Second draft", published_at=first)
    client = login(app.test_client(), author)
    url = f"/articles/{article.slug}/edit"
    for _ in range(2):  # saving the draft twice must not lose the date either
        assert client.post(url, data=_form(title="Second draft", action="draft")).status_code == 302
        [saved] = stored(app, Article, id=article.id)
        assert (saved.status, saved.published_at) == ("draft", first)
    assert client.post(url, data=_form(title="Second draft", action="publish")).status_code == 302
    [saved] = stored(app, Article, id=article.id)
    assert (saved.status, saved.published_at) == ("published", first)
    assert saved.updated_at is not None and saved.updated_at > first
    page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'<time datetime="{first.isoformat()}">' in page and "Updated <time" in page


def test_a_withdrawn_article_published_again_keeps_its_first_date(app, make_user, login,
                                                                  make_article):
    author = make_user(role="associate")
    first = utcnow() - timedelta(days=10)
    article = make_article(author, title="Back again", published_at=first)
    client = login(app.test_client(), author)
    url = f"/articles/{article.slug}/edit"
    client.post(url, data=_form(title="Back again", action="withdraw"))
    client.post(url, data=_form(title="Back again", action="publish"))
    [saved] = stored(app, Article, id=article.id)
    assert (saved.status, saved.published_at) == ("published", first)


def test_a_published_article_cannot_be_scheduled(app, make_user, login, make_article):
    author = make_user(role="associate")
    first = utcnow() - timedelta(days=3)
    article = make_article(author, title="Already out", published_at=first)
    client = login(app.test_client(), author)
    url = f"/articles/{article.slug}/edit"
    assert 'value="schedule"' not in client.get(url).get_data(as_text=True)
    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data=_form(title="Already out", action="schedule",
                                           publish_at=later))
    assert response.status_code == 400
    assert "cannot be scheduled" in response.get_data(as_text=True)
    [saved] = stored(app, Article, id=article.id)
    assert (saved.status, saved.published_at) == ("published", first)
    assert app.test_client().get(f"/articles/{article.slug}").status_code == 200
    # Taken back to a draft, it still keeps its date: scheduling is refused there too.
    client.post(url, data=_form(title="Already out", action="draft"))
    response = client.post(url, data=_form(title="Already out", action="schedule",
                                           publish_at=later))
    assert response.status_code == 400
    assert stored(app, Article, id=article.id)[0].published_at == first


def test_a_scheduled_article_can_be_rescheduled_and_drafting_drops_the_date(
        app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    even_later = (utcnow() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    client.post("/articles/new", data=_form(title="Coming soon", action="schedule",
                                            publish_at=later))
    [article] = stored(app, Article)
    url = f"/articles/{article.slug}/edit"
    assert client.post(url, data=_form(title="Coming soon", action="schedule",
                                       publish_at=even_later)).status_code == 302
    assert stored(app, Article)[0].published_at.strftime("%Y-%m-%dT%H:%M") == even_later
    client.post(url, data=_form(title="Coming soon", action="draft"))
    assert stored(app, Article)[0].published_at is None


def test_slugs_are_unique(app, make_user, login):
    # A taken slug gets a random suffix, not a counter: "-2" told anyone that a
    # draft (or a private network's article) had the title first.
    client = login(app.test_client(), make_user(role="associate"))
    client.post("/articles/new", data=_form(title="Same title"))
    client.post("/articles/new", data=_form(title="Same title"))
    client.post("/articles/new", data=_form(title="New"))
    new, same, suffixed = sorted(a.slug for a in stored(app, Article))
    assert (new, same) == ("new-article", "same-title")
    assert re.fullmatch(r"same-title-[a-z0-9]{4}", suffixed) and suffixed != "same-title-2"


def test_withdrawn_article_is_gone_for_others(app, make_user, login, make_article):
    author = make_user(role="associate")
    article = make_article(author, title="Second thoughts", body="Withdrawn words")
    client = login(app.test_client(), author)
    response = client.post(f"/articles/{article.slug}/edit",
                           data=_form(title="Second thoughts", body="Withdrawn words",
                                      action="withdraw"))
    assert response.status_code == 302
    assert stored(app, Article)[0].status == "withdrawn"
    other = login(app.test_client(), make_user())
    response = other.get(f"/articles/{article.slug}")
    assert response.status_code == 404 and "Withdrawn words" not in response.get_data(as_text=True)
    assert "has been withdrawn" in client.get(f"/articles/{article.slug}").get_data(as_text=True)


def test_other_associates_cannot_edit(app, make_user, login, make_article):
    article = make_article(make_user(role="associate"))
    client = login(app.test_client(), make_user(role="associate"))
    assert client.get(f"/articles/{article.slug}/edit").status_code == 403
    assert client.post(f"/articles/{article.slug}/edit", data=_form()).status_code == 403


def test_article_in_a_closed_network_is_for_its_members(app, make_user, make_network, login):
    author = make_user(role="associate")
    member = make_user()
    network = make_network(visibility="closed", members=[author, member])
    client = login(app.test_client(), author)
    response = client.post("/articles/new", data=_form(title="Members only",
                                                       network=str(network.id)))
    assert response.status_code == 302
    [article] = stored(app, Article)
    assert article.network_id == network.id
    assert login(app.test_client(), member).get("/articles/members-only").status_code == 200
    outsider = login(app.test_client(), make_user())
    assert outsider.get("/articles/members-only").status_code == 404
    assert "Members only" not in outsider.get("/articles/").get_data(as_text=True)
    assert "Members only" not in app.test_client().get("/").get_data(as_text=True)


def test_series_parts_link_to_each_other(app, make_user, login):
    author = make_user(role="associate")
    client = login(app.test_client(), author)
    client.post("/articles/new", data=_form(title="Frailty one", new_series="Frailty diaries",
                                            series_part="1"))
    [series] = stored(app, Series)
    client.post("/articles/new", data=_form(title="Frailty two", series=str(series.id),
                                            series_part="2"))
    page = app.test_client().get("/articles/frailty-one").get_data(as_text=True)
    assert "Part 1: Frailty one" in page and 'href="/articles/frailty-two"' in page
    assert "Next: Frailty two" in page
    page = app.test_client().get("/articles/frailty-two").get_data(as_text=True)
    assert "Previous: Frailty one" in page and "Frailty diaries: Part 2" in page


def test_a_part_number_already_used_in_the_series_is_refused_beside_the_field(
        app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    client.post("/articles/new", data=_form(title="Frailty one", new_series="Frailty diaries",
                                            series_part="1"))
    [series] = stored(app, Series)
    response = client.post("/articles/new", data=_form(title="Frailty again",
                                                       series=str(series.id), series_part="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="series_part-error"' in page
    assert "Part 1 of this series is already “Frailty one”" in page
    assert [a.title for a in stored(app, Article)] == ["Frailty one"]
    # Editing: taking another article's number is refused, keeping one's own is not.
    client.post("/articles/new", data=_form(title="Frailty two", series=str(series.id),
                                            series_part="2"))
    taken = client.post("/articles/frailty-two/edit",
                        data=_form(title="Frailty two", series=str(series.id), series_part="1"))
    assert taken.status_code == 400 and "Part 1 of this series is already" in \
        taken.get_data(as_text=True)
    kept = client.post("/articles/frailty-two/edit",
                       data=_form(title="Frailty two", series=str(series.id), series_part="2"))
    assert kept.status_code == 302
    assert sorted((a.title, a.series_part) for a in stored(app, Article)) == [
        ("Frailty one", 1), ("Frailty two", 2)]


def test_a_part_without_a_number_comes_after_the_series_last_part(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    client.post("/articles/new", data=_form(title="Frailty one", new_series="Frailty diaries"))
    [series] = stored(app, Series)
    client.post("/articles/new", data=_form(title="Frailty two", series=str(series.id)))
    client.post("/articles/frailty-two/edit", data=_form(title="Frailty two",
                                                         series=str(series.id)))
    assert sorted((a.title, a.series_part) for a in stored(app, Article)) == [
        ("Frailty one", 1), ("Frailty two", 2)]


def test_the_database_refuses_two_articles_with_one_part_number(app, make_user, make_article):
    author = make_user(role="associate")
    first, second = make_article(author), make_article(author)
    with app.app_context():
        series = Series(slug="s", title="S", author_id=author.id)
        db.session.add(series)
        db.session.flush()
        for article in (first, second):
            db.session.get(Article, article.id).series_id = series.id
            db.session.get(Article, article.id).series_part = 1
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_someone_elses_series_cannot_be_used(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    client.post("/articles/new", data=_form(title="Mine", new_series="My series"))
    [series] = stored(app, Series)
    other = login(app.test_client(), make_user(role="associate"))
    response = other.post("/articles/new", data=_form(title="Theirs", series=str(series.id)))
    assert response.status_code == 400
    assert "Choose one of your series" in response.get_data(as_text=True)


def test_author_bio_comes_from_the_profile_and_can_be_changed(app, make_user, login):
    from network.core.text import render_markdown

    author = make_user(role="associate", bio="I run a **ward**.",
                       bio_html=render_markdown("I run a **ward**."))
    client = login(app.test_client(), author)
    assert "I run a **ward**." in client.get("/articles/new").get_data(as_text=True)
    client.post("/articles/new", data=_form(title="Default bio", author_bio="I run a **ward**."))
    client.post("/articles/new", data=_form(title="Own bio", author_bio="Guest *writer*."))
    assert "I run a <strong>ward</strong>." in client.get("/articles/default-bio").get_data(
        as_text=True)
    page = client.get("/articles/own-bio").get_data(as_text=True)
    assert "Guest <em>writer</em>." in page and "<strong>ward</strong>" not in page


def test_edit_form_shows_what_is_stored(app, make_user, make_network, login, make_article):
    author = make_user(role="associate")
    network = make_network(visibility="open", members=[author], name="Frailty Folk")
    article = make_article(author, title="Stored piece", tags="Care homes, Wards",
                           network=network)
    page = login(app.test_client(), author).get(f"/articles/{article.slug}/edit").get_data(
        as_text=True)
    assert 'value="Stored piece"' in page and 'value="Care homes, Wards"' in page
    assert f'<option selected value="{network.id}">Frailty Folk (open)</option>' in page
    assert "Save changes" in page


def test_render_all_rerenders_per_article_bios(app, make_user, make_article):
    from network.extensions import db

    article = make_article(make_user(role="associate"), author_bio="Guest **writer**",
                           author_bio_html="stale")
    result = app.test_cli_runner().invoke(args=["render-all"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Article, article.id).author_bio_html == (
            "<p>Guest <strong>writer</strong></p>")


def test_a_slug_taken_in_the_meantime_is_retried(app, make_user, login, make_article,
                                                  monkeypatch):
    from network.articles import services

    make_article(make_user(role="associate"), title="Taken", slug="taken")
    answers = iter(["taken", "taken-2"])  # the first answer is already stale
    monkeypatch.setattr(services, "_unique_slug", lambda model, text, fallback: next(answers))
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/articles/new", data=_form(title="Taken"))
    assert response.status_code == 302 and response.location.endswith("/articles/taken-2")
    assert sorted(a.slug for a in stored(app, Article)) == ["taken", "taken-2"]


def test_network_and_series_ids_that_are_not_ids_are_field_errors(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    for field, message in (("network", "Choose a network you are a member of, or none."),
                           ("series", "Choose one of your series, or start a new one.")):
        for bad in ("99999999999999999999", "²", "-1"):
            response = client.post("/articles/new", data=_form(**{field: bad}))
            page = response.get_data(as_text=True)
            assert response.status_code == 400, (field, bad)
            assert message in page and "Virtual wards: the first year" in page
    assert stored(app, Article) == []


def test_a_new_article_saved_as_a_draft_says_so(app, make_user, login):
    """The flash message for scheduling formatted a date a new draft does not have: 500."""
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/articles/new", data=_form(action="draft"), follow_redirects=True)
    assert response.status_code == 200
    assert "Draft saved." in response.get_data(as_text=True)
    [article] = stored(app, Article)
    assert article.status == "draft" and article.published_at is None
