"""Cached pages and fragments never carry one viewer's view to another.

Every page that keeps a fragment (``cached_fragment`` in its template) or may be
kept whole for anonymous visitors is fetched, with the cache on, by every persona of tests/world.py (and its author)
after every other: each viewer must get exactly the page they get with the cache off. The world is given
pending and hidden posts and comments, whose visibility differs by viewer.
Runs with the local cache and with Redis (the ``cached_app`` fixture).
"""
import re

import pytest
from sqlalchemy import select

from network.articles import comments as article_comments
from network.articles.models import Article, Comment
from network.core.cache import invalidate
from network.extensions import db
from network.forum import services as forum
from network.forum.models import Post, Thread
from tests.world import PERSONAS, PLACES, build_world, client_as

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


def _page(name: str, world) -> str:
    """The address of page ``name``: a site page, or "<page> <place>"."""
    if " " not in name:
        return name
    page, kind = name.split(" ")
    place = world.places[kind]
    return {"network": f"/networks/{place.slug}/", "threads": f"/networks/{place.slug}/threads/",
            "thread": f"/threads/{place.thread_id}",
            "article": f"/articles/{place.article_slug}"}[page]


PAGES = ["/", "/networks/", "/articles/", "/members/member", "/members/manager",
         "/members/author"] + [f"{page} {kind}" for kind in PLACES
                               for page in ("network", "threads", "thread", "article")]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_is_served_from_one_viewer_to_another(app, cached_app, page):
    """For each viewer first: the cache emptied, that viewer's page kept, then every
    other viewer in turn must get their own page. Each answer is checked, so a copy
    kept for anyone before is caught by the first viewer it must not reach: every
    ordered pair is covered in one pass per first viewer."""
    world = build_world(app)
    _add_states(app, world)
    cached = cached_app()
    url = _page(page, world)
    truth = {}
    for persona in VIEWERS:
        response = client_as(app, world, persona).get(url)
        truth[persona] = (response.status_code, _normal(response.get_data(as_text=True)))
    assert len({body for status, body in truth.values() if status == 200}) > 1, url
    for start in range(len(VIEWERS)):
        invalidate(cached)
        order = VIEWERS[start:] + VIEWERS[:start]
        for before, persona in zip((None,) + order, order):
            response = client_as(cached, world, persona).get(url)
            seen = (response.status_code, _normal(response.get_data(as_text=True)))
            assert seen == truth[persona], f"{url}: {persona} after {before} ({order[0]} first)"
