"""What each kind of writing gives to a person's data export, and what deleting
their account does to it (network/accounts/leaving.py). Wired by contents.register.

Each section holds only rows the person wrote or made: their own articles,
comments, threads, posts and flags, and the events they said they were going to,
never anyone else's text. Deleting an account gives up its places at events to come.
"""
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from network.accounts.leaving import REMOVED_TEXT, register_erasure, register_export
from network.articles.models import Article, Comment
from network.core.policy.events import can_read_event
from network.core.text import render_markdown
from network.events.models import Attendance, Event
from network.events.services import give_up_places
from network.extensions import db
from network.forum.models import Post, Thread
from network.moderation.models import Flag
from network.notifications.models import Watch
from network.networks.taxonomy import Region
from network.practices.models import Adoption, AdoptionUpdate, Practice
from network.practices.services import TEXT_FIELDS
from network.search import index as search_index


def _when(value):
    return value.isoformat() if value is not None else None


def articles(user) -> list[dict]:
    return [{"slug": a.slug, "title": a.title, "standfirst": a.standfirst, "body": a.body,
             "status": a.status, "published_at": _when(a.published_at),
             "created_at": _when(a.created_at)}
            for a in db.session.scalars(select(Article).where(Article.author_id == user.id)
                                        .order_by(Article.id))]


def comments(user) -> list[dict]:
    rows = db.session.execute(
        select(Comment.id, Article.slug, Comment.body, Comment.status, Comment.created_at)
        .join(Article, Comment.article_id == Article.id)
        .where(Comment.author_id == user.id).order_by(Comment.id)).all()
    return [{"id": cid, "article": slug, "body": body, "status": status, "at": _when(at)}
            for cid, slug, body, status, at in rows]


def threads(user) -> list[dict]:
    rows = db.session.execute(select(Thread.id, Thread.title, Thread.created_at)
                              .where(Thread.author_id == user.id).order_by(Thread.id)).all()
    return [{"id": tid, "title": title, "at": _when(at)} for tid, title, at in rows]


def posts(user) -> list[dict]:
    rows = db.session.execute(select(Post.id, Post.thread_id, Post.body, Post.status,
                                     Post.created_at)
                              .where(Post.author_id == user.id).order_by(Post.id)).all()
    return [{"id": pid, "thread": tid, "body": body, "status": status, "at": _when(at)}
            for pid, tid, body, status, at in rows]


def flags(user) -> list[dict]:
    rows = db.session.execute(select(Flag.target_type, Flag.target_id, Flag.reason, Flag.note,
                                     Flag.status, Flag.created_at)
                              .where(Flag.reporter_id == user.id).order_by(Flag.id)).all()
    return [{"target": f"{kind}:{tid}", "reason": reason, "note": note, "status": status,
             "at": _when(at)} for kind, tid, reason, note, status, at in rows]


def practices(user) -> list[dict]:
    rows = db.session.scalars(select(Practice).where(Practice.author_id == user.id)
                              .order_by(Practice.id))
    return [{"slug": p.slug, **{name: getattr(p, name) for name in TEXT_FIELDS},
             "status": p.status, "organisation": p.organisation,
             "evidence_level": p.evidence_level, "cost_band": p.cost_band,
             "measures": [{"name": m.name, "before": m.before, "after": m.after,
                           "unit": m.unit, "period": m.period, "better": m.direction}
                          for m in p.measures],
             "created_at": _when(p.created_at), "published_at": _when(p.published_at)}
            for p in rows]


def adoptions(user) -> list[dict]:
    """The adoptions they recorded and every update they wrote on one (their own words;
    the practice is named by its address only)."""
    recorded = db.session.execute(
        select(Adoption.id, Practice.slug, Adoption.organisation, Region.name, Adoption.stage,
               Adoption.adaptations, Adoption.created_at)
        .join(Practice, Adoption.practice_id == Practice.id)
        .join(Region, Adoption.region_id == Region.id)
        .where(Adoption.adopter_id == user.id).order_by(Adoption.id)).all()
    updates = db.session.execute(
        select(AdoptionUpdate.adoption_id, AdoptionUpdate.stage, AdoptionUpdate.note,
               AdoptionUpdate.created_at)
        .where(AdoptionUpdate.author_id == user.id).order_by(AdoptionUpdate.id)).all()
    return ([{"adoption": aid, "practice": slug, "organisation": organisation,
              "region": region, "stage": stage, "what_we_changed": adaptations,
              "at": _when(at)}
             for aid, slug, organisation, region, stage, adaptations, at in recorded]
            + [{"update_on_adoption": aid, "stage": stage, "note": note, "at": _when(at)}
               for aid, stage, note, at in updates])


def events(user) -> list[dict]:
    """Events they said they would go to; an event's title only while they may read
    it (an event in a private network they have left is someone else's words)."""
    rows = db.session.execute(
        select(Attendance, Event).join(Event, Attendance.event_id == Event.id)
        .options(joinedload(Event.network))
        .where(Attendance.user_id == user.id).order_by(Attendance.id)).all()
    return [{"event": event.id,
             "title": event.title if can_read_event(user, event) else None,
             "starts_at": _when(event.starts_at), "state": attendance.state,
             "since": _when(attendance.created_at)}
            for attendance, event in rows]


def erase_writing(user, remove_text: bool) -> None:
    """Watches go; with ``remove_text`` the text of posts and comments becomes
    "Removed by its author." (threads still read, counts unchanged) and articles are
    withdrawn. Loaded through the ORM, so cached pages showing them are refreshed."""
    db.session.execute(delete(Watch).where(Watch.user_id == user.id))
    if not remove_text:
        return
    removed_html = render_markdown(REMOVED_TEXT)
    for model, reindex in ((Post, search_index.index_post), (Comment, search_index.index_comment)):
        for item in db.session.scalars(select(model).where(model.author_id == user.id)):
            item.body, item.body_html = REMOVED_TEXT, removed_html
            reindex(item)
    for article in db.session.scalars(select(Article).where(Article.author_id == user.id)):
        article.status = "withdrawn"
        article.body, article.body_html = REMOVED_TEXT, removed_html
        search_index.index_article(article)


def register(app: Flask) -> None:
    for name, section in (("articles", articles), ("comments", comments),
                          ("threads", threads), ("posts", posts), ("practices", practices),
                          ("adoptions", adoptions), ("events", events), ("flags", flags)):
        register_export(app, name, section)
    register_erasure(app, erase_writing)
    register_erasure(app, give_up_places)
