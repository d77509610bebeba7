"""Scheduled articles are announced to their network's watchers once their time comes
(issue 12): `flask articles announce-due` tells the watchers who may read the
article, each article once, however often and on however many machines it runs."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from network.accounts.leaving import erase_account
from network.accounts.models import User
from network.articles import announcing
from network.articles.models import Article
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network
from network.notifications.models import Notification
from tests.articles.test_writing import _form
from tests.concurrency import meeting_at, race

LATER = timedelta(days=2)


@pytest.fixture
def scene(app, make_user, make_network, login):
    """An associate and a watcher in a closed network, the watcher watching it."""
    author, watcher = make_user(role="associate"), make_user()
    network = make_network(name="Closed Leaders", visibility="closed", members=[author, watcher],
                           last_activity_at=utcnow() - timedelta(days=5))
    _watch(app, login, watcher, network, "watching")
    return dict(author=author, watcher=watcher, network=network,
                client=login(app.test_client(), author))


def _watch(app, login, person, network, level):
    response = login(app.test_client(), person).post(f"/networks/{network.slug}/watch",
                                                     data={"level": level})
    assert response.status_code == 302


def _at(delta: timedelta) -> str:
    """The form's value for a time this far from now."""
    return (utcnow() + delta).strftime("%Y-%m-%dT%H:%M")


def _schedule(scene, title="Scheduled piece", network="default"):
    network = scene["network"] if network == "default" else network
    response = scene["client"].post("/articles/new", data=_form(
        title=title, network=str(network.id) if network is not None else "",
        action="schedule", publish_at=_at(LATER)))
    assert response.status_code == 302
    return response.location.rsplit("/", 1)[1]


def _edit(scene, slug, action, status=302, **fields):
    """The author saves the scheduled piece with ``action``; answers ``status``."""
    response = scene["client"].post(f"/articles/{slug}/edit", data=_form(
        title="Scheduled piece", network=str(scene["network"].id), action=action, **fields))
    assert response.status_code == status


def _time_comes(app, slug):
    """The scheduled time passes: the article is due a minute ago."""
    with app.app_context():
        db.session.execute(update(Article).where(Article.slug == slug)
                           .values(published_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def _told(app):
    with app.app_context():
        return [(n.user_id, n.text, n.url) for n in db.session.scalars(
            select(Notification).where(Notification.kind == "new_article")
            .order_by(Notification.id))]


def _announce_due(app):
    result = app.test_cli_runner().invoke(args=["articles", "announce-due"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_scheduled_article_is_not_announced_when_it_is_posted(app, scene):
    slug = _schedule(scene)
    assert _told(app) == []
    with app.app_context():
        assert db.session.scalar(select(Article.announced_at).where(Article.slug == slug)) is None


def test_the_command_announces_nothing_before_the_time_comes(app, scene):
    _schedule(scene)
    assert "Announced 0 articles." in _announce_due(app)
    assert _told(app) == []


def test_the_command_announces_a_scheduled_article_once_its_time_has_come(app, scene):
    slug = _schedule(scene)
    _time_comes(app, slug)
    assert "Announced 1 article." in _announce_due(app)
    assert _told(app) == [(scene["watcher"].id, "New article in Closed Leaders: Scheduled piece",
                           f"/articles/{slug}")]
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        assert article.announced_at is not None
        # activity in the network as of the article's own time
        network = db.session.get(Network, scene["network"].id)
        assert network.last_activity_at == article.published_at


def test_running_the_command_twice_announces_once(app, scene):
    slug = _schedule(scene)
    _time_comes(app, slug)
    _announce_due(app)
    assert "Announced 0 articles." in _announce_due(app)
    assert len(_told(app)) == 1


def test_an_article_claimed_already_is_not_announced_again(app, scene):
    """Two runs that both listed the article: the second one's claim finds it taken."""
    slug = _schedule(scene)
    _time_comes(app, slug)
    with app.app_context():
        [article_id] = db.session.scalars(announcing.due(utcnow())).all()
        assert announcing.announce(article_id, utcnow()) is True
        assert announcing.announce(article_id, utcnow()) is False
    assert len(_told(app)) == 1


def test_runs_at_the_same_moment_announce_each_article_once(app, scene):
    slugs = [_schedule(scene, title=f"Piece {n}") for n in range(3)]
    for slug in slugs:
        _time_comes(app, slug)
    announced = []
    with meeting_at(app, "UPDATE article"):
        outcomes = race(app, 2, lambda n: announced.append(announcing.announce_due()))
    assert outcomes == ["done", "done"]
    assert sum(announced) == 3
    assert sorted(url for _user, _text, url in _told(app)) == sorted(
        f"/articles/{slug}" for slug in slugs)


@pytest.mark.parametrize("action", ["draft", "withdraw"])
def test_an_article_taken_off_before_its_time_is_not_announced(app, scene, action):
    slug = _schedule(scene)
    _time_comes(app, slug)
    _edit(scene, slug, action)
    _announce_due(app)
    assert _told(app) == []


def test_drafts_are_never_announced(app, scene):
    scene["client"].post("/articles/new", data=_form(
        title="Draft piece", network=str(scene["network"].id), action="draft"))
    _announce_due(app)
    assert _told(app) == []


def test_a_withdrawn_article_published_again_is_announced_once_in_all(app, scene):
    slug = _schedule(scene)
    _time_comes(app, slug)
    _announce_due(app)
    _edit(scene, slug, "withdraw")
    _edit(scene, slug, "publish")
    _announce_due(app)
    assert len(_told(app)) == 1


def test_a_watcher_who_can_no_longer_read_the_network_is_not_told(app, scene, make_user,
                                                                   login):
    """An outsider who watched the network while it was open, before it was closed."""
    outsider = make_user()
    with app.app_context():
        db.session.execute(update(Network).where(Network.id == scene["network"].id)
                           .values(visibility="open"))
        db.session.commit()
    _watch(app, login, outsider, scene["network"], "watching")
    with app.app_context():
        db.session.execute(update(Network).where(Network.id == scene["network"].id)
                           .values(visibility="closed"))
        db.session.commit()
    slug = _schedule(scene)
    _time_comes(app, slug)
    _announce_due(app)
    assert [user for user, _text, _url in _told(app)] == [scene["watcher"].id]


def test_a_member_who_left_is_not_told(app, scene, login):
    client = login(app.test_client(), scene["watcher"])
    assert client.post(f"/networks/{scene['network'].slug}/leave").status_code == 302
    slug = _schedule(scene)
    _time_comes(app, slug)
    _announce_due(app)
    assert _told(app) == []


def test_muted_and_normal_watchers_are_not_told(app, scene, make_user, make_network, login):
    muted, normal = make_user(), make_user()
    network = make_network(name="Open Frailty", members=[scene["author"], muted, normal])
    _watch(app, login, muted, network, "muted")
    _watch(app, login, normal, network, "normal")
    slug = _schedule(scene, network=network)
    _time_comes(app, slug)
    assert "Announced 1 article." in _announce_due(app)
    assert _told(app) == []


def test_the_author_watching_the_network_is_not_told_of_their_own_article(app, scene, login):
    _watch(app, login, scene["author"], scene["network"], "watching")
    slug = _schedule(scene)
    _time_comes(app, slug)
    _announce_due(app)
    assert [user for user, _text, _url in _told(app)] == [scene["watcher"].id]


def test_an_article_outside_any_network_is_marked_announced_and_tells_nobody(app, scene):
    slug = _schedule(scene, network=None)
    _time_comes(app, slug)
    assert "Announced 1 article." in _announce_due(app)
    assert _told(app) == []
    with app.app_context():
        assert db.session.scalar(select(Article.announced_at)
                                 .where(Article.slug == slug)) is not None


def test_publishing_a_scheduled_article_now_announces_it_once(app, scene):
    """Moving the time to now (Publish) announces at once; the command adds nothing."""
    slug = _schedule(scene)
    _edit(scene, slug, "publish")
    assert len(_told(app)) == 1
    _announce_due(app)
    assert len(_told(app)) == 1


def test_a_schedule_cannot_be_moved_into_the_past(app, scene):
    slug = _schedule(scene)
    _edit(scene, slug, "schedule", status=400, publish_at=_at(-timedelta(hours=1)))
    _announce_due(app)
    assert _told(app) == []


def test_a_schedule_moved_earlier_is_announced_once_when_its_new_time_comes(app, scene):
    slug = _schedule(scene)
    _edit(scene, slug, "schedule", publish_at=_at(timedelta(hours=1)))
    _announce_due(app)
    assert _told(app) == []
    _time_comes(app, slug)
    _announce_due(app)
    _announce_due(app)
    assert len(_told(app)) == 1


def test_an_article_published_at_once_is_marked_announced(app, scene):
    response = scene["client"].post("/articles/new", data=_form(
        title="Live piece", network=str(scene["network"].id)))
    assert response.status_code == 302
    assert len(_told(app)) == 1
    with app.app_context():
        assert db.session.scalar(select(Article.announced_at)
                                 .where(Article.slug == "live-piece")) is not None
    assert "Announced 0 articles." in _announce_due(app)
    assert len(_told(app)) == 1


def _archive(app, network):
    with app.app_context():
        db.session.execute(update(Network).where(Network.id == network.id)
                           .values(archived_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()


def _suspend(app, person):
    with app.app_context():
        db.session.execute(update(User).where(User.id == person.id)
                           .values(suspended_until=utcnow() + timedelta(days=7)))
        db.session.commit()


def _delete_account(app, person):
    with app.app_context():
        erase_account(db.session.get(User, person.id))


def _announced_at(app, slug):
    with app.app_context():
        return db.session.scalar(select(Article.announced_at).where(Article.slug == slug))


def test_an_article_whose_network_was_archived_before_its_time_tells_nobody(app, scene):
    """Marked announced, so it is not told later either (when the network reopens)."""
    slug = _schedule(scene)
    _archive(app, scene["network"])
    _time_comes(app, slug)
    _announce_due(app)
    assert _told(app) == []
    assert _announced_at(app, slug) is not None
    with app.app_context():  # an archived network's activity does not move
        network = db.session.get(Network, scene["network"].id)
        assert network.last_activity_at < utcnow() - timedelta(days=4)
        network.archived_at = None
        db.session.commit()
    _announce_due(app)
    assert _told(app) == []


@pytest.mark.parametrize("barred", [_suspend, _delete_account])
def test_an_article_whose_author_was_barred_before_its_time_tells_nobody(app, scene, barred):
    """A suspended author's article is not told when the suspension ends either."""
    slug = _schedule(scene)
    barred(app, scene["author"])
    _time_comes(app, slug)
    _announce_due(app)
    assert _told(app) == []
    assert _announced_at(app, slug) is not None



def test_an_article_live_in_an_archived_network_is_not_among_the_latest_on_home(app, scene):
    """As an archived network's threads are not among the home page's active ones: its
    article stays readable on its own page and in its network, not put forward as new."""
    slug = _schedule(scene)
    _archive(app, scene["network"])
    _time_comes(app, slug)
    reader = scene["client"]
    assert reader.get(f"/articles/{slug}").status_code == 200
    assert "Scheduled piece" not in reader.get("/").get_data(as_text=True)
