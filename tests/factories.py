"""The test data factories: people, networks, threads and posts, articles and comments.

Each makes its rows with the models directly (the pages that create them are tested
elsewhere), keeps the stored counters and the search index as the services keep them,
commits, and returns
the row detached from the session, so tests read its fields (``thread.id``,
``comment.status``) without an app context. ``tests/conftest.py`` hands each out as a
fixture bound to the test's app: ``make_thread(network, author, posts=3)``.
"""
from datetime import timedelta
from itertools import count

from sqlalchemy import func, insert, select, update

from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db
from network.search import index as search_index

TEST_PASSWORD = "correct horse battery"
_seq = count(1)


def _detached(row):
    db.session.commit()
    db.session.refresh(row)
    db.session.expunge(row)
    return row


def make_user(app, role="member", username=None, password=TEST_PASSWORD, **fields):
    """A registered person (``fields`` set on the row after registering) -> User."""
    from network.accounts.services import register_user

    n = next(_seq)
    username = username or f"user{n}"
    with app.app_context():
        user = register_user(
            username=username, email=fields.pop("email", f"{username}@example.org"),
            password=password, display_name=fields.pop("display_name", f"Person {n}"),
            organisation=fields.pop("organisation", "Example NHS Trust"),
            sector=fields.pop("sector", "nhs"), role=role,
            confirmed=fields.pop("confirmed", True))
        for key, value in fields.items():
            setattr(user, key, value)
        search_index.index_member(user)
        return _detached(user)


def session_id(app, user, user_agent: str = "Test client") -> str:
    """A new signed-in session for ``user`` (a ``UserSession`` row), as the id a
    session cookie carries: put it in ``session["_user_id"]`` to sign a client in."""
    from network.accounts.sessions import start_session

    with app.app_context():
        return start_session(user, user_agent)


def make_network(app, visibility="open", members=(), managers=(), name=None, **fields):
    """A network with these members and managers (member_count kept) -> Network."""
    from network.networks.models import Membership, Network

    n = next(_seq)
    with app.app_context():
        network = Network(slug=fields.pop("slug", f"network-{n}"), name=name or f"Network {n}",
                          visibility=visibility, summary=fields.pop("summary", "A network."),
                          **fields)
        db.session.add(network)
        db.session.flush()
        for role, people in (("member", members), ("manager", managers)):
            for user in people:
                db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
        network.member_count = len(members) + len(managers)
        search_index.index_network(network)
        return _detached(network)


def make_thread(app, network, author, posts=1, repliers=(), title=None, status="visible",
                post_status="visible", watchers=(), ago=1,
                body="Post number {number} about rotas.", **fields):
    """A thread with ``posts`` posts numbered from 1, the first by ``author`` and the
    rest by ``repliers`` in turn (author when none), one minute apart, the last ``ago``
    hours ago; each post's text is ``body`` with its {number}. Its author and
    ``watchers`` watch it. post_count and the last-post fields describe the visible
    posts, as the services keep them -> Thread."""
    from network.forum.models import Post, Thread
    from network.notifications.models import Watch

    n = next(_seq)
    repliers = list(repliers) or [author]
    start = utcnow() - timedelta(hours=ago, minutes=posts + 1)

    def writer(number):
        return author if number == 1 else repliers[(number - 2) % len(repliers)]

    shown = posts if post_status == "visible" else 0
    with app.app_context():
        thread = Thread(network_id=network.id, title=title or f"Thread {n}", author_id=author.id,
                        status=status, post_count=shown, created_at=start,
                        last_post_at=start + timedelta(minutes=max(posts, 1)),
                        last_poster_id=writer(posts).id if shown else None, **fields)
        db.session.add(thread)
        db.session.flush()
        if posts:
            db.session.execute(insert(Post), [
                dict(thread_id=thread.id, number=number, author_id=writer(number).id,
                     body=body.format(number=number), status=post_status,
                     body_html=render_markdown(body.format(number=number)),
                     created_at=start + timedelta(minutes=number))
                for number in range(1, posts + 1)])
        for user_id in {author.id, *(w.id for w in watchers)}:
            db.session.add(Watch(user_id=user_id, target_type="thread", target_id=thread.id))
        search_index.index_thread(thread)
        for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id)):
            search_index.index_post(post)
        return _detached(thread)


def make_post(app, thread, author, status="visible", body=None):
    """A reply at the end of the thread (post_count kept right) -> Post."""
    from network.forum.models import Post, Thread

    with app.app_context():
        number = (db.session.scalar(select(func.max(Post.number))
                                    .where(Post.thread_id == thread.id)) or 0) + 1
        body = body or f"Reply {number} in thread {thread.id}"
        post = Post(thread_id=thread.id, number=number, author_id=author.id, body=body,
                    body_html=render_markdown(body), status=status)
        db.session.add(post)
        if status == "visible":
            db.session.execute(update(Thread).where(Thread.id == thread.id)
                               .values(post_count=Thread.post_count + 1))
        search_index.index_post(post)
        return _detached(post)


def make_article(app, author, title=None, status="published", network=None, tags="", **fields):
    """An article (published an hour ago unless told otherwise; ``tags`` as typed in the
    form) -> Article."""
    from network.articles.models import Article
    from network.articles.services import tags_from_text

    n = next(_seq)
    title = title or f"Article {n}"
    body = fields.pop("body", f"Body of {title}.")
    with app.app_context():
        article = Article(
            slug=fields.pop("slug", f"article-{n}"), title=title,
            standfirst=fields.pop("standfirst", f"Standfirst of {title}."), body=body,
            body_html=render_markdown(body), author_id=author.id,
            network_id=network.id if network is not None else None, status=status,
            published_at=fields.pop("published_at", utcnow() - timedelta(hours=1)
                                    if status == "published" else None),
            comments_open=fields.pop("comments_open", True), comment_count=0, **fields)
        article.tags = tags_from_text(tags)
        db.session.add(article)
        search_index.index_article(article)
        return _detached(article)


def make_comment(app, article, author, body=None, status="visible", **fields):
    """A comment on the article (its comment_count kept right) -> Comment."""
    from network.articles.models import Article, Comment

    body = body or f"Comment {next(_seq)} on {article.title}"
    with app.app_context():
        comment = Comment(article_id=article.id, author_id=author.id, body=body,
                          body_html=render_plain(body), status=status, **fields)
        db.session.add(comment)
        if status == "visible":
            db.session.execute(update(Article).where(Article.id == article.id)
                               .values(comment_count=Article.comment_count + 1))
        search_index.index_comment(comment)
        return _detached(comment)
