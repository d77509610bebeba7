"""An article published in a network is activity there: the network moves up the
directory's "recent activity" sort, as it does for a new thread or reply."""
from datetime import timedelta

from network.core.time import utcnow
from network.networks.models import Network
from tests.articles.conftest import stored
from tests.articles.test_writing import _form


def _networks(make_user, make_network):
    """An associate in a network quiet for three days, and a busier network."""
    author = make_user(role="associate")
    quiet = make_network(name="Quiet Network", members=[author],
                         last_activity_at=utcnow() - timedelta(days=3))
    make_network(name="Busier Network", last_activity_at=utcnow() - timedelta(days=1))
    return author, quiet


def _activity(app, network):
    [row] = stored(app, Network, id=network.id)
    return row.last_activity_at


def _directory_order(app):
    page = app.test_client().get("/networks/").get_data(as_text=True)
    return page.index("Quiet Network") < page.index("Busier Network")


def test_publishing_an_article_in_a_network_moves_it_up_the_directory(app, make_user,
                                                                      make_network, login):
    author, quiet = _networks(make_user, make_network)
    assert not _directory_order(app)
    before = utcnow()
    client = login(app.test_client(), author)
    response = client.post("/articles/new", data=_form(network=str(quiet.id)))
    assert response.status_code == 302
    assert _activity(app, quiet) >= before
    assert _directory_order(app)


def test_drafts_and_scheduled_articles_are_not_activity_until_published(app, make_user,
                                                                        make_network, login):
    author, quiet = _networks(make_user, make_network)
    quiet_since = _activity(app, quiet)
    client = login(app.test_client(), author)
    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post("/articles/new", data=_form(title="Scheduled", network=str(quiet.id),
                                            action="schedule", publish_at=later))
    client.post("/articles/new", data=_form(title="Draft piece", network=str(quiet.id),
                                            action="draft"))
    assert _activity(app, quiet) == quiet_since
    assert not _directory_order(app)
    response = client.post("/articles/draft-piece/edit",
                           data=_form(title="Draft piece", network=str(quiet.id)))
    assert response.status_code == 302
    assert _activity(app, quiet) > quiet_since
    assert _directory_order(app)


def test_those_watching_the_network_hear_of_a_new_article_once_it_is_live(app, make_user,
                                                                          make_network, login):
    from sqlalchemy import select

    from network.extensions import db
    from network.notifications.models import Notification

    author, watcher, bystander = (make_user(role="associate"), make_user(), make_user())
    network = make_network(name="Closed Leaders", visibility="closed",
                           members=[author, watcher, bystander])
    login(app.test_client(), watcher).post(f"/networks/{network.slug}/watch",
                                           data={"level": "watching"})
    client = login(app.test_client(), author)
    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post("/articles/new", data=_form(title="Scheduled piece", network=str(network.id),
                                            action="schedule", publish_at=later))
    client.post("/articles/new", data=_form(title="Draft piece", network=str(network.id),
                                            action="draft"))

    def told():
        with app.app_context():
            return [(n.user_id, n.text, n.url) for n in db.session.scalars(
                select(Notification).where(Notification.kind == "new_article"))]

    assert told() == []
    client.post("/articles/draft-piece/edit", data=_form(title="Draft piece",
                                                         network=str(network.id)))
    assert told() == [(watcher.id, "New article in Closed Leaders: Draft piece",
                       "/articles/draft-piece")]
    # an edit of a live article tells nobody again
    client.post("/articles/draft-piece/edit", data=_form(title="Draft piece",
                                                         network=str(network.id)))
    assert len(told()) == 1
