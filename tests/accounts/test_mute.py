"""Muting a member (issue 14): the buttons and their refusals, no notifications from
the muted, their posts and comments folded away for the muter only (with the cache
on too), moderators told when several people mute one person, the settings list,
and leaving."""
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from network.accounts.models import MemberMute
from network.core.time import utcnow
from network.extensions import db
from network.moderation.models import ModerationAction
from network.notifications.models import Notification, OutboxMail
from tests.articles.test_writing import _form
from tests.concurrency import meeting_at, race
from tests.factories import TEST_PASSWORD

FOLDED = "You muted Tom Troll. Show post"


@pytest.fixture
def people(make_user, make_network):
    """Mia mutes Tom; Olga is a bystander; all in one open network."""
    mia = make_user(username="mia", display_name="Mia Muter", role="associate", trusted=True)
    tom = make_user(username="tom", display_name="Tom Troll", role="associate", trusted=True)
    olga = make_user(username="olga", display_name="Olga Other", trusted=True)
    network = make_network(members=[mia, tom, olga], name="Frailty Network")
    return {"mia": mia, "tom": tom, "olga": olga, "network": network}


def _mutes(app):
    with app.app_context():
        return sorted(db.session.execute(select(MemberMute.muter_id, MemberMute.muted_id)).all())


def _told(app, kind):
    with app.app_context():
        return sorted(db.session.scalars(select(Notification.user_id)
                                         .where(Notification.kind == kind)))


def _mute(app, login, muter, username="tom", action="mute", **data):
    return login(app.test_client(), muter).post(f"/members/{username}/{action}", data=data)


# --- muting and unmuting -----------------------------------------------------------

def test_a_member_mutes_and_unmutes_from_the_profile(app, login, people):
    mia, tom = people["mia"], people["tom"]
    client = login(app.test_client(), mia)
    assert "Mute Tom Troll" in client.get("/members/tom").get_data(as_text=True)
    response = client.post("/members/tom/mute")
    assert response.status_code == 302 and response.location.endswith("/members/tom")
    page = client.get("/members/tom").get_data(as_text=True)
    assert "You muted Tom Troll" in page and "Unmute Tom Troll" in page
    assert _mutes(app) == [(mia.id, tom.id)]
    assert client.post("/members/tom/mute").status_code == 302  # twice: still one row
    assert "already muted" in client.get("/members/tom").get_data(as_text=True)
    assert _mutes(app) == [(mia.id, tom.id)]
    assert client.post("/members/tom/unmute").status_code == 302
    assert "You unmuted Tom Troll" in client.get("/members/tom").get_data(as_text=True)
    assert _mutes(app) == []


def test_nobody_is_told_they_were_muted(app, login, people):
    _mute(app, login, people["mia"])
    with app.app_context():
        assert db.session.scalar(select(Notification.id)) is None
        assert db.session.scalar(select(OutboxMail.id)) is None
    page = login(app.test_client(), people["tom"]).get("/members/mia").get_data(as_text=True)
    assert "You muted" not in page


def test_muting_oneself_is_refused(app, login, people):
    client = login(app.test_client(), people["mia"])
    assert "Mute Mia" not in client.get("/members/mia").get_data(as_text=True)
    assert client.post("/members/mia/mute").status_code == 302
    assert "You cannot mute yourself" in client.get("/members/mia").get_data(as_text=True)
    assert _mutes(app) == []


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_cannot_be_muted_and_the_refusal_says_why(app, login, people, make_user, role):
    make_user(username="staffer", display_name="Sam Staff", role=role)
    client = login(app.test_client(), people["mia"])
    profile = client.get("/members/staffer").get_data(as_text=True)
    assert "Mute Sam Staff" not in profile and "cannot be muted" in profile
    assert client.post("/members/staffer/mute").status_code == 302
    page = client.get("/members/staffer").get_data(as_text=True)
    assert "Moderators and administrators cannot be muted" in page
    assert "everyone must be able to hear from them" in page
    assert _mutes(app) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    response = client.post("/members/tom/mute")
    assert response.status_code == 302 and "/auth/login" in response.location
    assert "Mute Tom" not in client.get("/members/tom").get_data(as_text=True)


def test_an_unconfirmed_member_is_refused(app, login, people, make_user):
    newcomer = make_user(confirmed=False)
    response = _mute(app, login, newcomer)
    assert response.status_code == 403
    assert "Confirm your email address first" in response.get_data(as_text=True)
    assert _mutes(app) == []


def test_muting_needs_the_form_token(make_app, login, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    assert _mute(app, login, people["mia"]).status_code == 400
    assert _mutes(app) == []


def test_muting_is_rate_limited_like_watching(make_app, login, people):
    app = make_app(RATELIMIT_ENABLED=True)
    client = login(app.test_client(), people["mia"])
    statuses = [client.post("/members/tom/mute").status_code for _ in range(31)]
    assert statuses == [302] * 30 + [429]


def test_an_unknown_member_is_404(app, login, people):
    assert _mute(app, login, people["mia"], username="nobody-here").status_code == 404


def test_becoming_a_moderator_ends_the_mutes_of_one(app, people, make_user):
    from network.accounts.models import User
    from network.accounts.services import change_role

    admin = make_user(role="admin")
    with app.app_context():
        db.session.add(MemberMute(muter_id=people["mia"].id, muted_id=people["tom"].id))
        db.session.commit()
        change_role(db.session.get(User, admin.id), db.session.get(User, people["tom"].id),
                    "moderator", "Trusted to moderate")
    assert _mutes(app) == []


# --- no notifications from the muted ----------------------------------------------

def _watch(app, login, person, path):
    assert login(app.test_client(), person).post(
        f"{path}/watch", data={"level": "watching"}).status_code == 302


def test_a_mention_by_the_muted_tells_the_muter_nothing(app, login, people, make_thread):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    thread = make_thread(people["network"], olga, title="Rotas")
    _mute(app, login, mia)
    login(app.test_client(), tom).post(f"/threads/{thread.id}/reply",
                                       data={"body": "What do @mia and @olga think?"})
    assert _told(app, "mention") == [olga.id]
    with app.app_context():
        assert db.session.scalar(select(OutboxMail.id).where(
            OutboxMail.user_id == mia.id)) is None


def test_a_mention_is_told_again_once_unmuted(app, login, people, make_thread):
    thread = make_thread(people["network"], people["olga"], title="Rotas")
    _mute(app, login, people["mia"])
    _mute(app, login, people["mia"], action="unmute")
    login(app.test_client(), people["tom"]).post(f"/threads/{thread.id}/reply",
                                                 data={"body": "Over to you, @mia."})
    assert _told(app, "mention") == [people["mia"].id]


def test_new_posts_by_the_muted_in_a_watched_thread_tell_the_muter_nothing(
        app, login, people, make_thread):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    thread = make_thread(people["network"], olga, title="Rotas", watchers=[mia])
    _mute(app, login, mia)
    login(app.test_client(), tom).post(f"/threads/{thread.id}/reply", data={"body": "Me again."})
    assert _told(app, "reply") == [olga.id]
    login(app.test_client(), olga).post(f"/threads/{thread.id}/reply", data={"body": "Hello."})
    # Olga's post tells Mia (and Tom, who watches the thread he replied to).
    assert _told(app, "reply") == sorted([olga.id, mia.id, tom.id])


def test_a_new_thread_by_the_muted_in_a_watched_network_tells_the_muter_nothing(
        app, login, people):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    path = f"/networks/{people['network'].slug}"
    _watch(app, login, mia, path)
    _watch(app, login, olga, path)
    _mute(app, login, mia)
    assert login(app.test_client(), tom).post(
        f"{path}/threads/new", data={"title": "Night shifts", "body": "Thoughts?"}
    ).status_code == 302
    assert _told(app, "new_thread") == [olga.id]


def test_a_new_article_by_the_muted_in_a_watched_network_tells_the_muter_nothing(
        app, login, people):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    network = people["network"]
    _watch(app, login, mia, f"/networks/{network.slug}")
    _watch(app, login, olga, f"/networks/{network.slug}")
    _mute(app, login, mia)
    assert login(app.test_client(), tom).post(
        "/articles/new", data=_form(title="Virtual wards", network=str(network.id))).status_code == 302
    assert _told(app, "new_article") == [olga.id]


def test_comments_and_replies_by_the_muted_tell_the_muter_nothing(
        app, login, people, make_article, make_comment):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    article = make_article(mia, title="Discharge to assess")
    mine = make_comment(article, mia, body="My own first comment.")
    others = make_article(olga, title="Step-down beds")
    _mute(app, login, mia)
    writer = login(app.test_client(), tom)
    assert writer.post(f"/articles/{article.slug}/comments",
                       data={"body": "A comment on Mia's article."}).status_code == 302
    assert writer.post(f"/articles/{article.slug}/comments",
                       data={"body": "A reply to Mia.", "reply_to": str(mine.id)}
                       ).status_code == 302
    assert _told(app, "comment") == [] and _told(app, "reply_to_you") == []
    # The same comment on Olga's article tells Olga: the muter alone hears nothing.
    assert writer.post(f"/articles/{others.slug}/comments",
                       data={"body": "A comment on Olga's."}).status_code == 302
    assert _told(app, "comment") == [olga.id]


def test_a_notification_whose_actor_is_muted_is_not_made_even_one_to_one(app, people):
    """The one-person path (``notify``) leaves muters out in its SQL too."""
    from network.notifications.services import notify

    with app.app_context():
        db.session.add(MemberMute(muter_id=people["mia"].id, muted_id=people["tom"].id))
        db.session.flush()
        for person in (people["mia"], people["olga"]):
            notify(person.id, "reply_to_you", "Tom replied.", actor_id=people["tom"].id)
        notify(people["mia"].id, "reply_to_you", "Olga replied.", actor_id=people["olga"].id)
        db.session.commit()
        told = sorted(db.session.execute(select(Notification.user_id, Notification.text)).all())
    assert told == sorted([(people["olga"].id, "Tom replied."),
                           (people["mia"].id, "Olga replied.")])


# --- folded away on the muter's pages -----------------------------------------------

def test_the_muted_persons_posts_are_folded_away_for_the_muter_only(
        app, login, people, make_thread):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    thread = make_thread(people["network"], olga, posts=3, repliers=[tom],
                         body="Post {number} text.")
    _mute(app, login, mia)
    page = login(app.test_client(), mia).get(f"/threads/{thread.id}").get_data(as_text=True)
    assert page.count(FOLDED) == 2  # posts 2 and 3 are Tom's
    folded = page[page.index('<details class="muted-post">'):]
    assert folded.index("Post 2 text.") < folded.index("</details>")
    assert "Post 1 text." in page and "Post 1 text." not in folded[:folded.index("</details>")]
    for viewer in (olga, tom):
        assert "You muted" not in login(app.test_client(), viewer).get(
            f"/threads/{thread.id}").get_data(as_text=True)
    assert "You muted" not in app.test_client().get(f"/threads/{thread.id}").get_data(as_text=True)


def test_the_muted_persons_comments_are_folded_away_for_the_muter_only(
        app, login, people, make_article, make_comment):
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    article = make_article(olga, title="Step-down beds")
    make_comment(article, tom, body="Tom's comment text.")
    make_comment(article, olga, body="Olga's comment text.")
    _mute(app, login, mia)
    page = login(app.test_client(), mia).get(f"/articles/{article.slug}").get_data(as_text=True)
    start = page.index('<details class="muted-comment"><summary>You muted Tom Troll. Show comment')
    assert start < page.index("Tom's comment text.") < page.index("</details>", start)
    assert "Olga's comment text." in page and page.count("You muted") == 1
    for client in (login(app.test_client(), olga), app.test_client()):
        assert "You muted" not in client.get(f"/articles/{article.slug}").get_data(as_text=True)


def test_the_thread_page_reads_whom_one_muted_in_one_query(app, login, people, make_thread,
                                                           count_queries):
    thread = make_thread(people["network"], people["olga"], posts=30, repliers=[people["tom"]])
    client = login(app.test_client(), people["mia"])
    client.get(f"/threads/{thread.id}")
    with count_queries() as before:
        client.get(f"/threads/{thread.id}")
    _mute(app, login, people["mia"])
    with count_queries() as after:
        page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert FOLDED in page
    assert len(after) == len(before)
    assert sum("member_mute" in statement for statement in after) == 1


def test_with_the_cache_on_nobody_shares_a_muters_folded_page(cached_app, login, people,
                                                               make_thread):
    """Both ways: the muter never gets the shared copy (kept before they muted),
    nobody else gets the muter's, and muting and unmuting refresh the muter's own
    copies of pages."""
    mia, tom, olga = people["mia"], people["tom"], people["olga"]
    app = cached_app()
    thread = make_thread(people["network"], olga, posts=2, repliers=[tom])
    path = f"/threads/{thread.id}"
    muter, other, visitor = (login(app.test_client(), mia), login(app.test_client(), olga),
                             app.test_client())
    for client in (muter, other, visitor):  # kept: shared fragment, own copies, the page
        assert FOLDED not in client.get(path).get_data(as_text=True)
        again = client.get(path)
        assert again.headers["X-Cache"] == "hit" and FOLDED not in again.get_data(as_text=True)

    assert muter.post("/members/tom/mute").status_code == 302
    muter.get("/members/tom")  # the message is shown (pages with one are not kept)
    for _ in range(2):  # built afresh, then the muter's own copy
        assert FOLDED in muter.get(path).get_data(as_text=True)
    for client in (other, visitor):
        assert FOLDED not in client.get(path).get_data(as_text=True)
    fresh = login(app.test_client(), make_user_like(app, people))
    assert FOLDED not in fresh.get(path).get_data(as_text=True)

    assert muter.post("/members/tom/unmute").status_code == 302
    muter.get("/members/tom")
    for _ in range(2):
        assert FOLDED not in muter.get(path).get_data(as_text=True)


def make_user_like(app, people):
    """A new member of the network, who has seen nothing yet (no copy of their own)."""
    from network.networks.models import Membership
    from tests.factories import make_user

    person = make_user(app, display_name="Nina New", trusted=True)
    with app.app_context():
        db.session.add(Membership(user_id=person.id, network_id=people["network"].id))
        db.session.commit()
    return person


# --- folded away in lists: search, profiles, the latest on home pages -----------------

FOLD = '<details class="muted-'


def _folded_items(page, kind):
    """The texts of the <details> folds of this kind on the page."""
    start, found = 0, []
    opening = f'<details class="muted-{kind}">'
    while opening in page[start:]:
        start = page.index(opening, start)
        end = page.index("</details>", start)
        found.append(page[start:end])
        start = end
    return found


@pytest.fixture
def writing(people, make_thread, make_article):
    """Tom and Olga each started a discussion and wrote an article in the network."""
    network = people["network"]
    make_thread(network, people["tom"], title="Tom's rota thread", body="Rota text by Tom.")
    make_thread(network, people["olga"], title="Olga's rota thread", body="Rota text by Olga.")
    make_article(people["tom"], title="Tom's rota article", network=network)
    make_article(people["olga"], title="Olga's rota article", network=network)
    return network


def test_search_results_by_the_muted_are_folded_for_the_muter_only(app, login, people,
                                                                    writing):
    _mute(app, login, people["mia"])
    page = login(app.test_client(), people["mia"]).get("/search?q=rota").get_data(as_text=True)
    folded = _folded_items(page, "hit")
    assert len(folded) == 2 and all("You muted Tom Troll" in item for item in folded)
    assert any("Tom&#39;s rota thread" in item for item in folded)
    assert any("Tom&#39;s rota article" in item for item in folded)
    assert "Olga&#39;s rota thread" in page and not any("Olga" in item for item in folded)
    for client in (login(app.test_client(), people["olga"]), app.test_client()):
        assert "You muted" not in client.get("/search?q=rota").get_data(as_text=True)


def test_a_muted_persons_profile_activity_is_folded_for_the_muter_only(app, login, people,
                                                                       writing):
    _mute(app, login, people["mia"])
    page = login(app.test_client(), people["mia"]).get("/members/tom").get_data(as_text=True)
    [folded] = _folded_items(page, "activity")
    assert "You muted Tom Troll. Show their recent activity" in folded
    assert "Tom&#39;s rota thread" in folded
    other = login(app.test_client(), people["olga"]).get("/members/tom").get_data(as_text=True)
    assert "Tom&#39;s rota thread" in other and "You muted" not in other
    assert not _folded_items(login(app.test_client(), people["mia"]).get(
        "/members/olga").get_data(as_text=True), "activity")


@pytest.mark.parametrize("path", ["/", "/networks/{slug}/"])
def test_the_latest_lists_fold_the_muted_persons_items_for_the_muter_only(
        app, login, people, writing, path):
    path = path.format(slug=writing.slug)
    _mute(app, login, people["mia"])
    page = login(app.test_client(), people["mia"]).get(path).get_data(as_text=True)
    folded = _folded_items(page, "item")
    assert len(folded) == 2 and all("You muted Tom Troll" in item for item in folded)
    assert any("Tom&#39;s rota thread" in item for item in folded)
    assert any("Tom&#39;s rota article" in item for item in folded)
    assert "Olga&#39;s rota thread" in page and not any("Olga" in item for item in folded)
    for client in (login(app.test_client(), people["olga"]), app.test_client()):
        assert "You muted" not in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/networks/{slug}/", "/members/tom", "/search?q=rota"])
def test_pages_read_whom_one_muted_once(app, login, people, writing, path, count_queries):
    path = path.format(slug=writing.slug)
    _mute(app, login, people["mia"])
    client = login(app.test_client(), people["mia"])
    with count_queries() as queries:
        assert FOLD in client.get(path).get_data(as_text=True)
    assert sum("member_mute" in statement for statement in queries) == 1


def test_whom_one_muted_is_read_once_a_request_and_afresh_after_a_mute(app, people,
                                                                      count_queries):
    from network.accounts import muting
    from network.accounts.models import User

    with app.test_request_context("/"):
        mia, tom = db.session.get(User, people["mia"].id), db.session.get(User, people["tom"].id)
        with count_queries() as queries:
            assert muting.muted_ids(mia) == muting.muted_ids(mia) == frozenset()
        assert sum("member_mute" in statement for statement in queries) == 1
        muting.mute(mia, tom)
        assert muting.muted_ids(mia) == {tom.id}


def test_the_next_request_reads_whom_one_muted_afresh(app, login, people, writing):
    """Even where one app context (so one ``flask.g``) outlives several requests."""
    client = login(app.test_client(), people["mia"])
    with app.app_context():
        assert FOLD not in client.get("/members/tom").get_data(as_text=True)
        db.session.add(MemberMute(muter_id=people["mia"].id, muted_id=people["tom"].id))
        db.session.commit()
        assert FOLD in client.get("/members/tom").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/networks/{slug}/", "/members/tom", "/search?q=rota"])
def test_with_the_cache_on_nobody_shares_a_muters_folded_lists(cached_app, login, people,
                                                                writing, path):
    """The lists are fragments shared by viewers of the same reach: a muter's copy
    is theirs (and that of anyone who muted the same people), in both directions."""
    app = cached_app()
    path = path.format(slug=writing.slug)
    muter, other = login(app.test_client(), people["mia"]), login(app.test_client(), people["olga"])
    for client in (muter, other):  # the shared fragments are kept before the mute
        for _ in range(2):
            assert FOLD not in client.get(path).get_data(as_text=True)
    assert muter.post("/members/tom/mute").status_code == 302
    muter.get("/members/tom")  # the message is shown (pages with one are not kept)
    for _ in range(2):
        assert FOLD in muter.get(path).get_data(as_text=True)
        assert FOLD not in other.get(path).get_data(as_text=True)
    fresh = login(app.test_client(), make_user_like(app, people))
    assert FOLD not in fresh.get(path).get_data(as_text=True)
    assert muter.post("/members/tom/unmute").status_code == 302
    muter.get("/members/tom")
    assert FOLD not in muter.get(path).get_data(as_text=True)


# --- moderators told when several mute one person ------------------------------------

def _alerts(app, target_id):
    with app.app_context():
        notes = list(db.session.scalars(select(Notification).where(
            Notification.kind == "moderation")))
        logged = list(db.session.scalars(select(ModerationAction).where(
            ModerationAction.action == "mutes_alert", ModerationAction.target_id == target_id)))
        return notes, logged


@pytest.fixture
def staff(make_user):
    return [make_user(role="moderator"), make_user(role="admin")]


def test_moderators_are_told_once_when_three_mute_the_same_person(app, login, people, staff,
                                                                  make_user):
    tom = people["tom"]
    muters = [people["mia"], people["olga"], make_user(), make_user()]
    for muter in muters[:2]:
        _mute(app, login, muter)
    assert _alerts(app, tom.id) == ([], [])  # two are not enough
    _mute(app, login, muters[2])
    notes, logged = _alerts(app, tom.id)
    assert sorted(n.user_id for n in notes) == sorted(s.id for s in staff)
    assert all("3 members have muted Tom Troll (tom)" in n.text for n in notes)
    assert all(n.url == "/moderation/members/tom" for n in notes)
    assert not any(muter.display_name in n.text for n in notes for muter in muters)
    assert [(entry.target_type, entry.actor_id) for entry in logged] == [("user", None)]
    _mute(app, login, muters[3])  # a fourth within the month: nobody is told again
    assert [len(found) for found in _alerts(app, tom.id)] == [2, 1]
    assert tom.id not in _told(app, "moderation")


def test_old_mutes_do_not_count_towards_telling_moderators(app, login, people, staff,
                                                          make_user):
    tom = people["tom"]
    long_ago = utcnow() - timedelta(days=31)
    with app.app_context():
        db.session.execute(insert(MemberMute), [
            {"muter_id": muter.id, "muted_id": tom.id, "created_at": long_ago}
            for muter in (people["mia"], people["olga"])])
        db.session.commit()
    _mute(app, login, make_user())
    assert _alerts(app, tom.id) == ([], [])


def test_two_third_mutes_at_once_tell_moderators_once(app, people, staff, make_user):
    """Two people mute the same person at the same moment, each making a third: both
    have counted before either commits (unless a lock holds one back), and still
    moderators are told once."""
    from network.accounts import muting
    from network.accounts.models import User

    tom = people["tom"]
    with app.app_context():
        db.session.add_all([MemberMute(muter_id=people[name].id, muted_id=tom.id)
                            for name in ("mia", "olga")])
        db.session.commit()
    muters = [make_user(), make_user()]

    def mute(n):
        muting.mute(db.session.get(User, muters[n].id), db.session.get(User, tom.id))

    with meeting_at(app, "SELECT count(*)"):
        assert race(app, 2, mute) == ["done", "done"]
    notes, logged = _alerts(app, tom.id)
    assert len(logged) == 1
    assert sorted(n.user_id for n in notes) == sorted(s.id for s in staff)


def test_the_log_says_moderators_were_told(app, login, people, staff, make_user):
    for muter in (people["mia"], people["olga"], make_user()):
        _mute(app, login, muter)
    page = login(app.test_client(), staff[0]).get("/moderation/log").get_data(as_text=True)
    assert "Moderators alerted: muted by several members" in page
    assert "Muted by 3 members within 30 days" in page


# --- the settings list, help, leaving -----------------------------------------------

def test_the_settings_list_names_whom_one_muted_with_unmute_buttons(app, login, people):
    mia = people["mia"]
    client = login(app.test_client(), mia)
    assert "You have not muted anyone" in client.get("/settings/muted").get_data(as_text=True)
    _mute(app, login, mia)
    page = client.get("/settings/muted").get_data(as_text=True)
    assert "Tom Troll" in page and 'action="/members/tom/unmute"' in page
    assert "not a safety guarantee" in page and 'href="/help/muting"' in page
    response = client.post("/members/tom/unmute", data={"back": "settings"})
    assert response.location.endswith("/settings/muted")
    assert _mutes(app) == []
    assert "Tom Troll" not in login(app.test_client(), people["olga"]).get(
        "/settings/muted").get_data(as_text=True)


def test_the_help_page_says_what_muting_does_and_does_not(client):
    assert 'href="/help/muting"' in client.get("/help").get_data(as_text=True)
    page = client.get("/help/muting").get_data(as_text=True)
    for words in ("not a safety guarantee", "not told", "still see everything you write",
                  "contact the moderators", "Report"):
        assert words in page, words


def test_deleting_an_account_removes_its_mutes_both_ways(app, login, people, make_user):
    mia, tom = people["mia"], people["tom"]
    _mute(app, login, mia)
    _mute(app, login, tom, username="olga")
    _mute(app, login, people["olga"], username="mia")
    assert login(app.test_client(), mia).post(
        "/settings/account/delete", data={"delete-password": TEST_PASSWORD}).status_code == 302
    assert _mutes(app) == [(tom.id, people["olga"].id)]


def test_the_export_lists_whom_one_muted_and_not_who_muted_one(app, people):
    from network.accounts.leaving import export_data
    from network.accounts.models import User

    with app.app_context():
        db.session.add_all([MemberMute(muter_id=people["mia"].id, muted_id=people["tom"].id),
                            MemberMute(muter_id=people["olga"].id, muted_id=people["mia"].id)])
        db.session.commit()
        data = export_data(db.session.get(User, people["mia"].id), TEST_PASSWORD)
    assert [row["username"] for row in data["muted_members"]] == ["tom"]
    assert "olga" not in str(data["muted_members"])
