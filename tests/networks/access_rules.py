"""Access rules for the networks routes, for every persona in tests/world.py.

In the world, "member" and "manager" belong to the open, closed and private
networks ("manager" is each one's only manager); "outsider" belongs only to
another network; moderators and admins belong to none.
"""
from tests.access import PRIVATE, PUBLIC, SIGNED_IN, Rule

# Managers' pages: the network's managers and admins. Anonymous visitors are sent
# to sign in, except for a private network, which is 404 to everyone outside it.
MANAGED = {"anonymous": 302, "outsider": 403, "member": 403, "moderator": 403}
MANAGED_PRIVATE = {"anonymous": 404, "outsider": 404, "member": 403, "moderator": 403}
ADMIN_ACTION = {"anonymous": 302, "outsider": 403, "member": 403, "manager": 403,
                "moderator": 403}
ADMIN_ACTION_PRIVATE = {"anonymous": 404, "outsider": 404, "member": 403, "manager": 403,
                        "moderator": 403}


def _url(visibility, tail=""):
    return lambda w: f"/networks/{w.places[visibility].slug}/{tail}"


def _member_url(visibility):
    return lambda w: f"/networks/{w.places[visibility].slug}/members/{w.user('member').id}"


RULES = [
    Rule("networks.directory", lambda w: "/networks/", PUBLIC),
    Rule("networks.directory", lambda w: "/networks/?region=london&topic=mental-health&q=net"
         "&sort=name&page=2", PUBLIC, note="filters"),
    Rule("networks.directory", lambda w: "/networks/?region=atlantis", default=400,
         note="unknown region"),
    Rule("networks.create", lambda w: "/networks/new", {**SIGNED_IN, "silenced": 403}),
    Rule("networks.create", lambda w: "/networks/new", {"anonymous": 302, "silenced": 403},
         default=400,
         method="POST", note="empty form"),
    Rule("networks.network", _url("open"), PUBLIC, note="open"),
    Rule("networks.network", _url("closed"), PUBLIC, note="closed"),
    Rule("networks.network", _url("private"), PRIVATE, note="private"),
    Rule("networks.network", _url("archived"), PUBLIC, note="archived"),
    Rule("networks.network", lambda w: "/networks/no-such-network/", default=404,
         note="unknown"),
    # Joining: non-members join (302 back to the page); members are told they are
    # already members (302); a private network takes no direct joins (403), and is
    # 404 to outsiders.
    Rule("networks.join", _url("open", "join"), method="POST", default=302, note="open"),
    Rule("networks.join", _url("closed", "join"), method="POST", default=302,
         note="closed: a request"),
    Rule("networks.join", _url("private", "join"), PRIVATE, method="POST",
         default={302, 403}, note="private"),
    # Leaving: the sole manager must name a successor (400, form shown again);
    # others leave or are told they are not members (302).
    Rule("networks.leave", _url("open", "leave"), {"manager": 400}, method="POST",
         default=302, note="open"),
    Rule("networks.leave", _url("private", "leave"), {**PRIVATE, "manager": 400},
         method="POST", default=302, note="private"),
    # Watching levels: anyone signed in who may read the network's threads.
    Rule("networks.watch", _url("open", "watch"), {"anonymous": 302}, method="POST",
         default=302, data=lambda w: {"level": "watching"}, note="open"),
    Rule("networks.watch", _url("closed", "watch"), {"anonymous": 302, "outsider": 403},
         method="POST", default=302, data=lambda w: {"level": "muted"}, note="closed"),
    Rule("networks.watch", _url("private", "watch"), {"anonymous": 302, "outsider": 404},
         method="POST", default=302, data=lambda w: {"level": "normal"}, note="private"),
    Rule("networks.members", _url("open", "members"), PUBLIC, note="open"),
    Rule("networks.members", _url("closed", "members"), {"anonymous": 302, "outsider": 403},
         note="closed"),
    Rule("networks.members", _url("private", "members"), PRIVATE, note="private"),
    Rule("networks.members", _url("archived", "members"), PUBLIC, note="archived"),
    Rule("networks.member", _member_url("open"), MANAGED, note="open"),
    Rule("networks.member", _member_url("private"), MANAGED_PRIVATE, note="private"),
    Rule("networks.member", _member_url("closed"), MANAGED, method="POST", default=400,
         note="empty form"),
    Rule("networks.member", lambda w: f"/networks/open-net/members/{w.user('outsider').id}",
         {"anonymous": 302, "outsider": 403, "member": 403, "moderator": 403}, default=404,
         note="not a member"),
    Rule("networks.requests", _url("closed", "requests"), MANAGED, note="closed"),
    Rule("networks.requests", _url("private", "requests"), MANAGED_PRIVATE, note="private"),
    Rule("networks.requests", _url("closed", "requests"), MANAGED, method="POST", default=400,
         note="empty form"),
    Rule("networks.settings", _url("open", "settings"), MANAGED, note="open"),
    Rule("networks.settings", _url("private", "settings"), MANAGED_PRIVATE, note="private"),
    Rule("networks.settings", _url("closed", "settings"), MANAGED, method="POST", default=400,
         note="empty form"),
    Rule("networks.archive", _url("open", "archive"), ADMIN_ACTION, method="POST",
         default=400, note="no reason"),
    Rule("networks.archive", _url("private", "archive"), ADMIN_ACTION_PRIVATE, method="POST",
         default=400, note="private, no reason"),
    Rule("networks.invite", _url("private", "invitations"), MANAGED_PRIVATE, method="POST",
         default=400, note="empty form"),
    Rule("networks.invitation", _url("private", "invitations/not-a-token"), default=404),
    Rule("networks.invitation", _url("private", "invitations/not-a-token"), default=404,
         method="POST"),
]
