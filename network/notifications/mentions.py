"""@mentions: who exists (for the sanitiser's links) and who is told.

``core.text`` links ``@name`` to a profile only when ``existing_usernames`` finds
that person; the services that publish a post or comment then call
``notify_mentioned`` with its rendered HTML, which tells the first
``MAX_NOTIFIED`` distinct people linked there who may read where they were
mentioned (the rest stay links only). One query finds them, one INSERT ... SELECT
tells them.
"""
from sqlalchemy import func, select

from network.core.text import mentioned_usernames
from network.extensions import db
from network.notifications.services import notify_people

MAX_NOTIFIED = 10


def existing_usernames(names: list[str]) -> dict[str, str]:
    """{lower-case name: stored username} for the names that belong to someone."""
    from network.accounts.models import User

    if not names:
        return {}
    rows = db.session.scalars(select(User.username).where(
        func.lower(User.username).in_([name.lower() for name in names]))).all()
    return {username.lower(): username for username in rows}


def mentioned_people(author, html: str, may_read) -> list[int]:
    """Ids of the first ``MAX_NOTIFIED`` people linked in ``html`` (not the author)
    for whom ``may_read(user)`` holds."""
    from network.accounts.models import User

    names = [name.lower() for name in mentioned_usernames(html)][:MAX_NOTIFIED]
    if not names:
        return []
    people = db.session.scalars(select(User).where(
        func.lower(User.username).in_(names), User.id != author.id)).all()
    return [person.id for person in people if may_read(person)]


def notify_mentioned(author, html: str, may_read, where: str, url: str,
                     network_id: int | None, muted=None) -> None:
    """Tell the people mentioned in ``html`` who may read it (``may_read(user)``,
    a policy question) that ``author`` mentioned them ``where`` ("in <title>"),
    except those ``muted(ids)`` names (they muted the place) and those who muted
    the author. In the caller's transaction."""
    from network.accounts.models import User

    people = mentioned_people(author, html, may_read)
    if people and muted is not None:
        silenced = muted(people)
        people = [person for person in people if person not in silenced]
    if people:
        notify_people(select(User.id).where(User.id.in_(people)), "mention",
                      f"{author.display_name} mentioned you {where}", url=url,
                      network_id=network_id, actor_id=author.id)
