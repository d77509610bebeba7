"""The moderation log: append-only, scoped to what the viewer moderates, filterable, fast."""
from datetime import timedelta

from sqlalchemy import insert, select

from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post
from network.moderation.models import ModerationAction
from network.moderation.log import record_action


def _entry(app, actor, action, target_type, target_id, reason, network_id=None):
    with app.app_context():
        record_action(actor, action, target_type, target_id, reason, network_id=network_id)
        db.session.commit()


def _post_id(app, thread):
    with app.app_context():
        return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))


def test_log_shows_who_what_which_content_why_and_when(app, make_user, make_network, make_thread,
                                                       login):
    moderator = make_user(role="moderator", display_name="Mo Derator")
    author = make_user(display_name="Ann Author")
    network = make_network(name="Dementia Network")
    thread = make_thread(network, author, title="Memory cafés")
    post_id = _post_id(app, thread)
    _entry(app, moderator, "hide", "post", post_id, "Personal details", network.id)
    _entry(app, None, "auto_hide", "thread", thread.id, "Hidden after 3 flags", network.id)
    _entry(app, moderator, "silence", "user", author.id, "Cooling off")
    page = login(app.test_client(), moderator).get("/moderation/log").get_data(as_text=True)
    assert "Mo Derator" in page and "Hidden" in page and "Personal details" in page
    assert f'href="/posts/{post_id}"' in page  # forum.post lands on the right page
    assert "post by Ann Author in Memory cafés (Dementia Network)" in page
    assert "Automatic" in page and "Hidden after 3 flags" in page
    assert f'href="/moderation/members/{author.username}"' in page and "Cooling off" in page
    # newest first
    assert page.index("Cooling off") < page.index("Personal details")


def test_managers_see_only_their_networks_entries(app, make_user, make_network, login):
    manager = make_user()
    mine = make_network(managers=[manager], name="Mine")
    other = make_network(name="Other")
    _entry(app, None, "hide", "post", 1, "in mine", mine.id)
    _entry(app, None, "hide", "post", 2, "in other", other.id)
    _entry(app, None, "suspend", "user", 3, "site-wide")
    page = login(app.test_client(), manager).get("/moderation/log").get_data(as_text=True)
    assert "in mine" in page and "in other" not in page and "site-wide" not in page
    assert ">Other<" not in page  # not offered as a filter either
    assert "a post that no longer exists" in page


def test_members_are_refused_and_anonymous_sent_to_sign_in(app, client, make_user, login):
    assert client.get("/moderation/log").status_code == 302
    assert login(app.test_client(), make_user()).get("/moderation/log").status_code == 403


def test_log_filters_by_network_and_action(app, make_user, make_network, login):
    moderator = make_user(role="moderator")
    one, two = make_network(name="One"), make_network(name="Two")
    _entry(app, moderator, "hide", "post", 1, "hide in one", one.id)
    _entry(app, moderator, "restore", "post", 1, "restore in one", one.id)
    _entry(app, moderator, "hide", "post", 2, "hide in two", two.id)
    client = login(app.test_client(), moderator)
    page = client.get(f"/moderation/log?network={one.id}").get_data(as_text=True)
    assert "hide in one" in page and "restore in one" in page and "hide in two" not in page
    page = client.get("/moderation/log?action=hide").get_data(as_text=True)
    assert "hide in one" in page and "hide in two" in page and "restore in one" not in page
    page = client.get(f"/moderation/log?network={two.id}&action=hide").get_data(as_text=True)
    assert "hide in two" in page and "hide in one" not in page
    # unknown filters show everything rather than failing
    for query in ("network=999999", "network=-1", "network=1e9", "action=bogus", "page=abc"):
        response = client.get(f"/moderation/log?{query}")
        assert response.status_code == 200 and "hide in two" in response.get_data(as_text=True)


def test_log_has_no_way_to_change_or_remove_entries(app, make_user, login):
    moderator = make_user(role="moderator")
    _entry(app, moderator, "hide", "post", 1, "kept")
    rules = [r for r in app.url_map.iter_rules() if "log" in r.rule and r.rule.startswith("/moderation")]
    assert [sorted(r.methods - {"HEAD", "OPTIONS"}) for r in rules] == [["GET"]]
    client = login(app.test_client(), moderator)
    assert client.post("/moderation/log").status_code == 405
    with app.app_context():
        assert db.session.scalar(select(ModerationAction.reason)) == "kept"


def test_log_is_paginated_and_runs_a_fixed_number_of_queries(app, make_user, make_network,
                                                             make_thread, login, count_queries):
    moderator = make_user(role="moderator")
    client = login(app.test_client(), moderator)
    counts = []
    for size in (5, 500):
        network = make_network()
        author = make_user()
        thread = make_thread(network, author)
        post_id = _post_id(app, thread)
        now = utcnow()
        kinds = [("post", post_id), ("thread", thread.id), ("user", author.id),
                 ("comment", 999999)]
        rows = [dict(actor_id=moderator.id, action="hide", target_type=kinds[n % 4][0],
                     target_id=kinds[n % 4][1], network_id=network.id, reason=f"r{n}",
                     detail="", created_at=now + timedelta(seconds=n)) for n in range(size)]
        with app.app_context():
            db.session.execute(insert(ModerationAction), rows)
            db.session.commit()
        with count_queries() as queries:
            page = client.get("/moderation/log").get_data(as_text=True)
        counts.append(len(queries))
        assert f"r{size - 1}<" in page
    assert 'rel="next"' in page
    assert counts[0] == counts[1] and counts[0] <= 9, counts


def test_network_filter_that_is_not_an_id_shows_everything(app, make_user, login):
    """"²".isdigit() is true but int("²") fails: this was a 500."""
    client = login(app.test_client(), make_user(role="moderator"))
    for bad in ("²", "99999999999999999999", "-1"):
        response = client.get(f"/moderation/log?network={bad}")
        assert response.status_code == 200
        assert "Moderation log" in response.get_data(as_text=True)


def test_log_does_not_name_an_unpublished_article_to_moderators_who_cannot_read_it(
        app, make_user, make_network, make_article, make_comment, login):
    from network.articles.models import Article

    manager, author = make_user(), make_user(role="associate", display_name="Ada Author")
    network = make_network(managers=[manager], members=[author])
    article = make_article(author, network=network, title="Pulled piece")
    comment_id = make_comment(article, make_user()).id
    _entry(app, manager, "hide", "comment", comment_id, "Rude", network.id)
    with app.app_context():
        db.session.execute(db.update(Article).where(Article.id == article.id)
                           .values(status="withdrawn"))
        db.session.commit()
    for person in (manager, make_user(role="moderator")):
        page = login(app.test_client(), person).get("/moderation/log").get_data(as_text=True)
        assert "Rude" in page and "a comment on an article that is not published" in page
        assert "Pulled piece" not in page
    admin_page = login(app.test_client(), make_user(role="admin")).get(
        "/moderation/log").get_data(as_text=True)
    assert "Pulled piece" in admin_page


def test_log_names_articles_and_networks_as_the_reader_may_see_them(
        app, make_user, make_network, make_article, login):
    """The log keeps ids; names and titles are drawn from the rows when it is shown,
    and an article this reader may not read stays unnamed."""
    moderator, admin = make_user(role="moderator"), make_user(role="admin")
    network = make_network(name="Falls Prevention")
    open_article = make_article(make_user(role="associate"), title="Ten falls, one fix")
    draft = make_article(make_user(role="associate"), title="Secret draft")
    with app.app_context():
        from network.articles.models import Article

        db.session.get(Article, draft.id).status = "draft"
        db.session.commit()
    _entry(app, admin, "comments_closed", "article", open_article.id, "Heated")
    _entry(app, admin, "comments_closed", "article", draft.id, "Private matter")
    _entry(app, admin, "archive", "network", network.id, "Wound up")
    with app.app_context():
        record_action(admin, "move_thread", "thread", 424242, "Better there",
                      detail=f"to network {network.id}")
        db.session.commit()
    page = login(app.test_client(), moderator).get("/moderation/log").get_data(as_text=True)
    assert "article “Ten falls, one fix”" in page
    assert f'href="/articles/{open_article.slug}"' in page
    assert "Secret draft" not in page and "an article" in page
    assert "network “Falls Prevention”" in page and "to network “Falls Prevention”" in page
    assert f"article {open_article.id}<" not in page and f"network {network.id}" not in page

