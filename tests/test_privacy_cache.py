"""Cached pages and fragments never carry one viewer's view to another.

Every page that keeps a fragment (``cached_fragment`` in its template) or may be
kept whole for anonymous visitors is fetched by every ordered pair of personas
from tests/world.py (and its author), first one then the other, with the cache
on; the second viewer must get exactly the page they get with the cache off. The world is given
pending and hidden posts and comments, whose visibility differs by viewer.
Runs with the local cache and with Redis (the ``cached_app`` fixture).
"""
import re
from itertools import permutations

from sqlalchemy import select

from network.articles import comments as article_comments
from network.articles.models import Article, Comment
from network.core.cache import invalidate
from network.extensions import db
from network.forum import services as forum
from network.forum.models import Post, Thread
from tests.world import PERSONAS, build_world, client_as

# The world's personas, and its associate author: a member of every network in the
# same position as "member" but for what each of them wrote.
VIEWERS = PERSONAS + ("author",)

TOKEN = re.compile(r'(name="[\w-]*csrf_token" (?:type="hidden" )?value=")[^"]*"')


def _normal(html: str) -> str:
    """The page without its form tokens (each session has its own)."""
    return TOKEN.sub(r'\1TOKEN"', html)


def _add_states(app, world):
    """Pending and hidden posts and comments, each seen by some personas only."""
    with app.app_context():
        member = db.session.merge(world.user("member"))
        for kind in ("open", "closed", "private"):
            place = world.places[kind]
            thread = db.session.get(Thread, place.thread_id)
            forum.reply(member, thread, f"Pending reply in {kind}")  # untrusted: pending
            article = db.session.scalar(select(Article).where(
                Article.slug == place.article_slug))
            article_comments.add_comment(member, article, f"Pending comment in {kind}")
            post = db.session.get(Post, place.post_ids[1])
            forum.set_post_status(post, "hidden")
            comment = db.session.get(Comment, place.comment_id)
            article_comments.set_comment_status(comment, "hidden")
        db.session.commit()


def _pages(world):
    pages = ["/", "/networks/", "/articles/", "/members/member", "/members/manager",
             "/members/author"]
    for place in world.places.values():
        pages += [f"/networks/{place.slug}/", f"/networks/{place.slug}/threads/",
                  f"/threads/{place.thread_id}", f"/articles/{place.article_slug}"]
    return pages


def test_no_page_is_served_from_one_viewer_to_another(app, cached_app):
    world = build_world(app)
    _add_states(app, world)
    cached = cached_app()
    for url in _pages(world):
        truth = {}
        for persona in VIEWERS:
            response = client_as(app, world, persona).get(url)
            truth[persona] = (response.status_code, _normal(response.get_data(as_text=True)))
        assert len({page for status, page in truth.values() if status == 200}) > 1, url
        for first, second in permutations(VIEWERS, 2):
            invalidate(cached)
            client_as(cached, world, first).get(url)
            response = client_as(cached, world, second).get(url)
            seen = (response.status_code, _normal(response.get_data(as_text=True)))
            assert seen == truth[second], f"{url}: {second} after {first}"
