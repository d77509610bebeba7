"""Events: managers of the network post, edit and cancel; members attend; an
event is readable exactly as its network's content is."""
from network.core.policy.networks import (can_manage_network, can_read_network_content,
                                          is_network_member)
from network.core.policy.people import can_post


def can_read_event(user, event) -> bool:
    return can_read_network_content(user, event.network)


def can_post_event(user, network) -> bool:
    return can_manage_network(user, network)


def can_edit_event(user, event) -> bool:
    return can_manage_network(user, event.network)


def can_attend_event(user, event) -> bool:
    return (not event.is_cancelled and can_post(user)
            and is_network_member(user, event.network))


def can_see_attendees(user, event) -> bool:
    return can_manage_network(user, event.network)
