"""Events: managers of the network post, edit and cancel (while it is not archived);
members attend; an event is readable exactly as its network's content is (so a
closed or private network's events, their calendar files and attendee lists are
404 for outsiders)."""
from sqlalchemy import select

from network.core.policy.networks import (can_manage_network, can_read_network_content,
                                          is_network_member, readable_networks)
from network.core.policy.people import can_post


def can_read_event(user, event) -> bool:
    """Keep in step with ``readable_events``."""
    return can_read_network_content(user, event.network)


def readable_events(viewer, event_cls, network_cls):
    """Clause: events the viewer may read (``can_read_event`` in SQL)."""
    return event_cls.network_id.in_(
        select(network_cls.id).where(readable_networks(viewer, network_cls)))


def can_post_event(user, network) -> bool:
    return can_manage_network(user, network) and not network.is_archived


def can_edit_event(user, event) -> bool:
    """Change or cancel: a cancelled event stays as it was when cancelled."""
    return (can_manage_network(user, event.network) and not event.network.is_archived
            and not event.is_cancelled)


def can_attend_event(user, event) -> bool:
    return (not event.is_cancelled and can_post(user) and not event.network.is_archived
            and is_network_member(user, event.network))


def can_see_attendees(user, event) -> bool:
    return can_manage_network(user, event.network)
