"""Pages that show the XSS corpus (tests/data/xss_payloads.txt) back in every field
a person can fill in, one page per field or a few fields, for tests/test_hostile_input.py
(the served HTML) and tests/browser/test_hostile_text.py (what Chromium runs).

Rows are written as the services write them (``render_markdown`` for articles, posts,
descriptions and bios; ``render_plain`` for comments; plain columns, escaped by Jinja,
for the rest), so the pages draw exactly what a hostile member would get stored.
A field holds the whole corpus, one payload a line. On PostgreSQL a column with a
length (titles, names) cannot, so the corpus is split over as many rows as it takes,
each shown on its own page; SQLite ignores lengths, so there each field is one row.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from network.accounts.models import User
from network.accounts.services import register_user
from network.articles.models import Article, Comment
from network.articles.services import tags_from_text
from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import Flag, ModerationAction
from network.networks.models import Invitation, JoinRequest, Membership, Network

CORPUS_FILE = Path(__file__).with_name("xss_payloads.txt")
# Every payload holds one of these: a page whose text shows none shows no payload.
SHOWN = re.compile(r"alert|msgbox|__xss|base64|onerror|passwd|evil")


def payloads() -> list[str]:
    """The corpus: one payload a line, ``\\n`` standing for a line break."""
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines
            if line.strip() and not line.startswith("# ")]


@dataclass
class HostilePage:
    label: str          # which fields it shows, for the failure message
    url: str
    viewer: str         # "anonymous" or a key of HostileSite.users


@dataclass
class HostileSite:
    users: dict = field(default_factory=dict)   # name -> detached User
    pages: list = field(default_factory=list)   # HostilePage


def _chunks(column, corpus: list[str]) -> list[str]:
    """The corpus joined by line breaks, in as few pieces as the column's length
    allows on this database (one piece on SQLite or for a column without a length)."""
    limit = getattr(column.type, "length", None)
    if limit is None or db.engine.dialect.name == "sqlite":
        return ["\n".join(corpus)]
    pieces, current = [], ""
    for payload in corpus:
        payload = payload[:limit]
        joined = f"{current}\n{payload}" if current else payload
        if len(joined) > limit:
            pieces.append(current)
            joined = payload
        current = joined
    return pieces + [current]


def _spread(corpus, **columns) -> list[dict]:
    """Rows of field values: each column's pieces in turn, "x" once a column's run out."""
    pieces = {name: _chunks(column, corpus) for name, column in columns.items()}
    count = max(len(p) for p in pieces.values())
    return [{name: (p[i] if i < len(p) else "x") for name, p in pieces.items()}
            for i in range(count)]


def _person(name, role="member", **fields):
    user = register_user(username=name, email=f"{name}@hostile.example",
                         password="correct horse battery", display_name=name.title(),
                         organisation="Hostile Trust", sector="nhs", role=role)
    for key, value in fields.items():
        setattr(user, key, value)
    return user


def build_hostile_site(app) -> HostileSite:
    """Every field shown back, holding the corpus, and the pages that show them."""
    corpus = payloads()
    text = "\n".join(corpus)
    site = HostileSite()
    now = utcnow()
    with app.app_context():
        moderator = _person("moderator", "moderator")
        manager = _person("manager")
        people = []
        for n, row in enumerate(_spread(corpus, display_name=User.__table__.c.display_name,
                                        job_title=User.__table__.c.job_title,
                                        organisation=User.__table__.c.organisation)):
            people.append(_person(f"hostile{n}", "associate", bio=text,
                                  bio_html=render_markdown(text),
                                  silenced_until=now + timedelta(days=1), silenced_reason=text,
                                  **row))
        author = people[0]
        db.session.flush()
        networks = []
        for n, row in enumerate(_spread(corpus, name=Network.__table__.c.name,
                                        summary=Network.__table__.c.summary)):
            network = Network(slug=f"hostile-{n}", visibility="open", description=text,
                              description_html=render_markdown(text), **row)
            db.session.add(network)
            db.session.flush()
            db.session.add(Membership(user_id=manager.id, network_id=network.id, role="manager"))
            db.session.add(Membership(user_id=author.id, network_id=network.id))
            network.member_count = 2
            networks.append(network)
        home = networks[0]
        db.session.add(JoinRequest(network_id=home.id, user_id=moderator.id, message=text))
        tokens = []
        for network in networks:
            token = secrets.token_urlsafe(16)
            db.session.add(Invitation(
                network_id=network.id, token_hash=hashlib.sha256(token.encode()).hexdigest(),
                email="invitee@hostile.example", invited_by_id=manager.id,
                expires_at=now + timedelta(days=7)))
            tokens.append((network.slug, token))
        threads = []
        for row in _spread(corpus, title=Thread.__table__.c.title):
            thread = Thread(network_id=home.id, author_id=author.id, post_count=1,
                            last_post_at=now, last_poster_id=author.id, **row)
            db.session.add(thread)
            db.session.flush()
            threads.append(thread)
        post = Post(thread_id=threads[0].id, number=1, author_id=author.id, body=text,
                    body_html=render_markdown(text))
        db.session.add(post)
        for thread in threads[1:]:
            db.session.add(Post(thread_id=thread.id, number=1, author_id=author.id, body="x",
                                body_html="<p>x</p>"))
        db.session.flush()
        articles = []
        for n, row in enumerate(_spread(corpus, title=Article.__table__.c.title,
                                        standfirst=Article.__table__.c.standfirst)):
            article = Article(slug=f"hostile-article-{n}", body=text,
                              body_html=render_markdown(text), author_id=author.id,
                              status="published", published_at=now - timedelta(hours=1),
                              comments_open=True, comment_count=1 if n == 0 else 0, **row)
            article.tags = tags_from_text(",".join(corpus)) if n == 0 else []
            db.session.add(article)
            db.session.flush()
            articles.append(article)
        comment = Comment(article_id=articles[0].id, author_id=moderator.id, body=text,
                          body_html=render_plain(text))
        db.session.add(comment)
        db.session.add(Flag(target_type="post", target_id=post.id, network_id=home.id,
                            reporter_id=moderator.id, reason="spam", note=text))
        db.session.add(ModerationAction(actor_id=moderator.id, action="hide_post",
                                        target_type="post", target_id=post.id,
                                        network_id=home.id, reason=text, detail=text))
        db.session.commit()
        pages = site.pages
        for article in articles:
            pages.append(HostilePage("article title, standfirst, body, tags; comment; "
                                     "author name and bio", f"/articles/{article.slug}",
                                     "anonymous"))
        pages.append(HostilePage("article titles and standfirsts in the list", "/articles/",
                                 "anonymous"))
        for tag in articles[0].tags[:3]:
            pages.append(HostilePage("tag page", f"/articles/?tag={tag.slug}", "anonymous"))
        for thread in threads:
            pages.append(HostilePage("thread title; post", f"/threads/{thread.id}", "anonymous"))
        pages.append(HostilePage("post, to a moderator", f"/threads/{threads[0].id}",
                                 "moderator"))
        for network in networks:
            pages.append(HostilePage("network name, summary, description",
                                     f"/networks/{network.slug}/", "anonymous"))
            pages.append(HostilePage("thread titles in the list",
                                     f"/networks/{network.slug}/threads/", "anonymous"))
        pages.append(HostilePage("network names and summaries in the directory",
                                 "/networks/", "anonymous"))
        for slug, token in tokens:
            pages.append(HostilePage("invitation", f"/networks/{slug}/invitations/{token}",
                                     "anonymous"))
        pages.append(HostilePage("join-request message", f"/networks/{home.slug}/requests",
                                 "manager"))
        pages.append(HostilePage("members list", f"/networks/{home.slug}/members", "manager"))
        for person in people:
            pages.append(HostilePage("profile display name, job title, organisation, bio",
                                     f"/members/{person.username}", "anonymous"))
            pages.append(HostilePage("silenced reason, to a moderator",
                                     f"/moderation/members/{person.username}", "moderator"))
        pages.append(HostilePage("flag note in the queue", "/moderation/", "moderator"))
        pages.append(HostilePage("moderation reason in the log", "/moderation/log",
                                 "moderator"))
        pages.append(HostilePage("silenced reason, to the member",
                                 f"/threads/{threads[0].id}", people[0].username))
        for user in (moderator, manager, *people):
            db.session.refresh(user)
            db.session.expunge(user)
            site.users[user.username] = user
        site.users["moderator"], site.users["manager"] = moderator, manager
    return site

