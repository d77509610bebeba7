"""In-app notifications: one function creates them, one query lists them.

Notifications about content in a network carry that network's id, so a person
who can no longer see the network (left it, was removed, it turned private)
stops seeing them; their text never quotes private content.
"""
from sqlalchemy import and_, func, or_, select, update

from network.core import policy
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network
from network.notifications.models import Notification


def notify(user_id: int, kind: str, text: str, url: str = "",
           network_id: int | None = None) -> Notification:
    """Queue a notification in the caller's transaction (committed with the action)."""
    note = Notification(user_id=user_id, kind=kind, text=text[:300], url=url[:300],
                        network_id=network_id)
    db.session.add(note)
    return note


# Kinds whose text names content only a network's readers may see (a thread's
# title): they follow who may read the network's content, not merely know of it,
# so a former member of a closed network stops seeing its threads' titles.
CONTENT_KINDS = ("reply",)


def _visible(viewer):
    return or_(Notification.network_id.is_(None),
               and_(Notification.kind.in_(CONTENT_KINDS), Notification.network_id.in_(
                   select(Network.id).where(policy.readable_networks(viewer, Network)))),
               and_(Notification.kind.not_in(CONTENT_KINDS), Notification.network_id.in_(
                   select(Network.id).where(policy.visible_networks(viewer, Network)))))


def notifications_for(viewer):
    """Statement: the viewer's notifications they may still see, newest first."""
    return (select(Notification)
            .where(Notification.user_id == viewer.id, _visible(viewer))
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def unread_count(viewer) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == viewer.id, Notification.read_at.is_(None), _visible(viewer))) or 0


def mark_all_read(viewer) -> None:
    db.session.execute(update(Notification)
                       .where(Notification.user_id == viewer.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
