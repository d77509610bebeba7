"""Forum factories: threads with many posts, inserted in bulk."""
from datetime import timedelta

import pytest
from sqlalchemy import insert

from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread, Watch


@pytest.fixture
def make_thread(app):
    """make_thread(network, author, posts=1, repliers=(), **fields) -> thread id.

    Posts are visible, numbered 1..posts, the first by ``author`` and the rest
    by ``repliers`` in turn, the last ``ago`` hours ago; counters are stored as the services keep them."""

    def factory(network, author, posts=1, repliers=(), title="Staffing the winter wards",
                watchers=(), ago=1, **fields):
        repliers = list(repliers) or [author]
        start = utcnow() - timedelta(hours=ago, minutes=posts + 1)

        def writer(n):
            return author if n == 1 else repliers[(n - 2) % len(repliers)]

        with app.app_context():
            thread = Thread(network_id=network.id, title=title, author_id=author.id,
                            post_count=posts, last_post_at=start + timedelta(minutes=posts),
                            last_poster_id=writer(posts).id, created_at=start, **fields)
            db.session.add(thread)
            db.session.flush()
            rows = []
            for n in range(1, posts + 1):
                body = f"Post number {n} about rotas."
                rows.append(dict(thread_id=thread.id, number=n, author_id=writer(n).id, body=body,
                                 body_html=render_markdown(body), status="visible",
                                 created_at=start + timedelta(minutes=n)))
            db.session.execute(insert(Post), rows)
            for user in {author.id, *(w.id for w in watchers)}:
                db.session.add(Watch(user_id=user, thread_id=thread.id))
            db.session.commit()
            return thread.id

    return factory
