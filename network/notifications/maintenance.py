"""What ``flask recount`` checks in notifications (network/commands.py): each
person's unread count, the header's number, as their list shows it."""
from sqlalchemy import func, select

from network.accounts.models import User
from network.core.counters import Counter
from network.notifications.models import Notification
from network.notifications.services import visible_to_owner


def _unread():
    """Per person (correlated to the row being updated): unread notifications they
    may still see, as ``services.unread_count`` counts them for one viewer."""
    return (select(func.count(Notification.id))
            .where(Notification.user_id == User.id, Notification.read_at.is_(None),
                   visible_to_owner(User))
            .correlate(User).scalar_subquery())


COUNTERS = [
    # One UPDATE of the people whose count is wrong, however many people there are.
    Counter("user.unread_notifications", User,
            lambda: User.unread_notifications.is_distinct_from(_unread()),
            lambda: {"unread_notifications": _unread()}),
]
