"""What each kind of writing gives to a person's data export, and what deleting
their account does to it (network/accounts/leaving.py). Wired by contents.register.

Each section holds only rows the person wrote or made: their own articles,
comments, threads, posts and flags, and the events they said they were going to,
never anyone else's text. Deleting an account gives up its places at events to come.
"""
from flask import Flask
from sqlalchemy import delete, select

from network.accounts.leaving import REMOVED_TEXT, register_erasure, register_export
from network.articles.models import Article, Comment
from network.core.text import render_markdown
from network.events.models import Attendance, Event
from network.events.services import give_up_places
from network.extensions import db
from network.forum.models import Post, Thread, Watch
from network.moderation.models import Flag


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


def events(user) -> list[dict]:
    rows = db.session.execute(select(Event.id, Event.title, Event.starts_at, Attendance.state,
                                     Attendance.created_at)
                              .join(Event, Event.id == Attendance.event_id)
                              .where(Attendance.user_id == user.id)
                              .order_by(Attendance.id)).all()
    return [{"event": eid, "title": title, "starts_at": _when(starts), "state": state,
             "since": _when(since)} for eid, title, starts, state, since in rows]


def erase_writing(user, remove_text: bool) -> None:
    """Watches go; with ``remove_text`` the text of posts and comments becomes
    "Removed by its author." (threads still read, counts unchanged) and articles are
    withdrawn. Loaded through the ORM, so cached pages showing them are refreshed."""
    db.session.execute(delete(Watch).where(Watch.user_id == user.id))
    if not remove_text:
        return
    removed_html = render_markdown(REMOVED_TEXT)
    for model in (Post, Comment):
        for item in db.session.scalars(select(model).where(model.author_id == user.id)):
            item.body, item.body_html = REMOVED_TEXT, removed_html
    for article in db.session.scalars(select(Article).where(Article.author_id == user.id)):
        article.status = "withdrawn"
        article.body, article.body_html = REMOVED_TEXT, removed_html


def register(app: Flask) -> None:
    for name, section in (("articles", articles), ("comments", comments),
                          ("threads", threads), ("posts", posts), ("flags", flags),
                          ("events", events)):
        register_export(app, name, section)
    register_erasure(app, erase_writing)
    register_erasure(app, give_up_places)
