"""A small world with every kind of viewer and content in every kind of network,
for the route walk (tests/test_route_access.py) and privacy tests.

Personas: anonymous, outsider (member of another network only), member and
manager (of every network below), associate (may write articles, in no network),
moderator and admin (site staff, in no network), silenced and suspended (members of
every network below, silenced or suspended for a week), unconfirmed (a member of every network below whose e-mail
address is not confirmed).
Networks ("places"): open, closed, private, and archived (an open network, archived:
read-only); each holds a thread with two posts, a published article with a
comment, a practice and an upcoming and a past event. Everything inside the private network has SECRET in its name, title, text
or tag, so a page that leaks it is easy to catch.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from network.accounts.services import register_user
from network.articles.models import Article, Comment, Tag
from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Membership, Network
from network.search.rebuild import rebuild as rebuild_search_index
from tests import factories
from tests.library.factories import add_world_documents
from tests.events.factories import add_world_events
from tests.practices.factories import add_world_practices

PERSONAS = ("anonymous", "outsider", "member", "manager", "associate", "moderator", "admin",
            "silenced", "suspended", "unconfirmed")
PLACES = ("open", "closed", "private", "archived")
# Who may not see the private network: nothing of it may reach them.
OUTSIDE_PRIVATE = ("anonymous", "outsider", "associate", "suspended")
SECRET = "SECRETPRIVATE"
PASSWORD = "correct horse battery"


@dataclass
class Place:
    network_id: int
    slug: str
    thread_id: int
    post_ids: list
    article_slug: str
    comment_id: int
    practice_slug: str = ""  # tests/practices/factories.py
    practice_id: int = 0
    adoption_id: int = 0
    document_id: int = 0  # tests/library/factories.py
    event_id: int = 0  # tests/events/factories.py
    past_event_id: int = 0


@dataclass
class World:
    users: dict = field(default_factory=dict)     # persona -> detached User (no anonymous)
    places: dict = field(default_factory=dict)    # visibility -> Place
    other_network_slug: str = ""
    draft_slug: str = ""
    calendar_token: str = ""  # the outsider's private calendar address

    def user(self, persona):
        return self.users.get(persona)


def _person(username, role="member", confirmed=True):
    return register_user(username=username, email=f"{username}@world.example", password=PASSWORD,
                         display_name=username.title(), organisation="World Trust",
                         sector="nhs", role=role, confirmed=confirmed)


def build_world(app) -> World:
    world = World()
    now = utcnow()
    with app.app_context():
        people = {
            "outsider": _person("outsider"), "member": _person("member"),
            "manager": _person("manager"), "moderator": _person("moderator", "moderator"),
            "admin": _person("admin", "admin"), "associate": _person("associate", "associate"),
            "silenced": _person("silenced"), "suspended": _person("suspended"),
            "unconfirmed": _person("unconfirmed", confirmed=False),
        }
        people["silenced"].silenced_until = now + timedelta(days=7)
        people["silenced"].silenced_reason = "Quiet for a week"
        people["suspended"].suspended_until = now + timedelta(days=7)
        people["suspended"].suspended_reason = "Broke the rules"
        author = _person("author", "associate")
        other = Network(slug="elsewhere", name="Elsewhere Network", visibility="open",
                        summary="Another network.")
        db.session.add(other)
        db.session.flush()
        db.session.add(Membership(user_id=people["outsider"].id, network_id=other.id))
        other.member_count = 1
        world.other_network_slug = other.slug
        for place in PLACES:
            visibility = "open" if place == "archived" else place
            label = SECRET if place == "private" else place.title()
            network = Network(slug=f"{place}-net", name=f"{label} Network",
                              visibility=visibility, summary=f"{label} summary",
                              description=f"{label} description",
                              description_html=render_markdown(f"{label} description"),
                              archived_at=now - timedelta(days=1) if place == "archived" else None)
            db.session.add(network)
            db.session.flush()
            members = (("member", "member"), ("manager", "manager"), ("silenced", "member"),
                       ("suspended", "member"), ("unconfirmed", "member"))
            for persona, role in members:
                db.session.add(Membership(user_id=people[persona].id, network_id=network.id,
                                          role=role))
            db.session.add(Membership(user_id=author.id, network_id=network.id))
            network.member_count = len(members) + 1
            thread = Thread(network_id=network.id, title=f"{label} thread", author_id=people["member"].id,
                            post_count=2, last_post_at=now, last_poster_id=people["manager"].id)
            db.session.add(thread)
            db.session.flush()
            posts = [Post(thread_id=thread.id, number=n, author_id=people[p].id,
                          body=f"{label} post {n}", body_html=render_markdown(f"{label} post {n}"))
                     for n, p in ((1, "member"), (2, "manager"))]
            db.session.add_all(posts)
            article = Article(slug=f"{place}-article", title=f"{label} article",
                              standfirst=f"{label} standfirst", body=f"{label} body",
                              body_html=render_markdown(f"{label} body"), author_id=author.id,
                              network_id=network.id, status="published",
                              published_at=now - timedelta(hours=1), comment_count=1)
            db.session.add(article)
            db.session.flush()
            comment = Comment(article_id=article.id, author_id=people["member"].id,
                              body=f"{label} comment", body_html=render_plain(f"{label} comment"))
            db.session.add(comment)
            db.session.flush()
            if place == "private":
                article.tags.append(Tag(slug=SECRET.lower(), name=f"{SECRET} tag"))
            world.places[place] = Place(network.id, network.slug, thread.id,
                                             [p.id for p in posts], article.slug, comment.id)
        add_world_practices(world, people, author)
        add_world_documents(world, people)
        add_world_events(world, people)
        draft = Article(slug="draft-article", title="Draft article", body="draft",
                        body_html="<p>draft</p>", author_id=author.id, status="draft")
        db.session.add(draft)
        world.draft_slug = draft.slug
        db.session.commit()
        rebuild_search_index()  # the rows above were written directly, not by services
        people["author"] = author
        for persona, user in people.items():
            db.session.refresh(user)
            db.session.expunge(user)
            world.users[persona] = user
    return world


def client_as(app, world: World, persona: str):
    """A test client signed in as the persona (none for "anonymous")."""
    client = app.test_client()
    user = world.user(persona)
    if user is not None:
        session_id = factories.session_id(app, user)
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client
