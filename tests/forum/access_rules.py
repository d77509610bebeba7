"""Access rules for the forum routes (threads, posts, watching, moderation).

In the world every persona but the outsider and anonymous can read every
network's threads as a member or as staff; 'member' wrote post 1 of each
thread and 'manager' post 2; staff are not members, so they cannot post.
"""
from tests.access import Rule

OPEN, CLOSED, PRIVATE, ARCHIVED = "open", "closed", "private", "archived"


def _slug(kind):
    return lambda w: f"/networks/{w.places[kind].slug}/threads/"


def _thread(kind, suffix=""):
    return lambda w: f"/threads/{w.places[kind].thread_id}{suffix}"


def _post(kind, index, suffix=""):
    return lambda w: f"/posts/{w.places[kind].post_ids[index]}{suffix}"


HIDDEN_PRIVATE = {"anonymous": 404, "outsider": 404}
MEMBERS_ONLY = {"anonymous": 403, "outsider": 403}
WRITERS = {"anonymous": 302, "outsider": 403, "member": 200, "manager": 200,
           "moderator": 403, "admin": 403, "silenced": 403}
MODERATORS = {"anonymous": 302, "outsider": 404, "member": 403, "manager": 400,
              "moderator": 400, "admin": 400}


def _reason(prefix):
    return lambda w: {f"{prefix}-reason": "Tidying up", f"{prefix}-state": "on"}


RULES = [
    # The list: open to all, members-only page for closed, 404 for private outsiders.
    Rule("forum.threads", _slug(OPEN), note="open"),
    Rule("forum.threads", _slug(ARCHIVED), note="archived: read-only"),
    Rule("forum.threads", _slug(CLOSED), note="closed: members-only page"),
    Rule("forum.threads", _slug(PRIVATE), HIDDEN_PRIVATE, note="private"),
    Rule("forum.threads", lambda w: "/networks/no-such-network/threads/", default=404,
         note="unknown"),
    Rule("forum.new_thread", lambda w: f"/networks/{w.places[OPEN].slug}/threads/new", WRITERS),
    Rule("forum.new_thread", lambda w: f"/networks/{w.places[PRIVATE].slug}/threads/new",
         dict(WRITERS, outsider=404), note="private"),
    Rule("forum.new_thread", lambda w: f"/networks/{w.places[PRIVATE].slug}/threads/new",
         dict(WRITERS, outsider=404, member=400, manager=400), method="POST",
         note="private, empty form"),
    Rule("forum.new_thread", lambda w: f"/networks/{w.places[OPEN].slug}/threads/new",
         dict(WRITERS, member=302, manager=302), method="POST",
         data=lambda w: {"title": "A new thread", "body": "Hello all"}, note="open, filled in"),
    # The thread page and post links.
    Rule("forum.thread", _thread(OPEN), note="open"),
    Rule("forum.thread", _thread(ARCHIVED), note="archived: read-only"),
    Rule("forum.thread", _thread(CLOSED), MEMBERS_ONLY, note="closed"),
    Rule("forum.thread", _thread(PRIVATE), HIDDEN_PRIVATE, note="private"),
    Rule("forum.thread", lambda w: "/threads/999999", default=404, note="unknown"),
    Rule("forum.post", _post(OPEN, 1), default=302),
    Rule("forum.post", _post(CLOSED, 1), MEMBERS_ONLY, default=302, note="closed"),
    Rule("forum.post", _post(PRIVATE, 1), HIDDEN_PRIVATE, default=302, note="private"),
    Rule("forum.post", lambda w: "/posts/999999", default=404, note="unknown"),
    Rule("forum.post_history", _post(PRIVATE, 0, "/history"),
         {"anonymous": 302, "outsider": 404, "member": 403}, note="private"),
    Rule("forum.post_history", _post(OPEN, 0, "/history"),
         {"anonymous": 302, "outsider": 403, "member": 403}, note="open"),
    Rule("forum.edit_post", _post(PRIVATE, 0, "/edit"),
         {"anonymous": 302, "outsider": 404, "member": 200, "silenced": 403,
          "unconfirmed": 403}, default=403, note="private"),
    Rule("forum.edit_post", _post(OPEN, 0, "/edit"),
         {"anonymous": 302, "member": 400, "silenced": 403}, default=403, method="POST",
         note="empty form"),
    Rule("forum.edit_post", _post(PRIVATE, 0, "/edit"),
         {"anonymous": 302, "outsider": 404, "member": 302, "silenced": 403}, default=403,
         method="POST", data=lambda w: {"body": "Changed my mind"}, note="private, filled in"),
    # Replies: members only, and never to staff who are not members.
    Rule("forum.reply", _thread(PRIVATE, "/reply"),
         dict(WRITERS, outsider=404, member=400, manager=400), method="POST",
         note="private, empty form"),
    Rule("forum.reply", _thread(ARCHIVED, "/reply"), {"anonymous": 302}, default=403,
         method="POST", data=lambda w: {"body": "Agreed."}, note="archived: read-only"),
    Rule("forum.reply", _thread(CLOSED, "/reply"),
         dict(WRITERS, member=302, manager=302), method="POST",
         data=lambda w: {"body": "Agreed."}, note="closed, filled in"),
    # Deleting: the author's own post at once; a moderator must give a reason.
    Rule("moderation.delete_post", _post(PRIVATE, 0, "/delete"),
         {"anonymous": 302, "outsider": 404, "member": 302, "silenced": 403}, default=400,
         method="POST", note="private, no reason"),
    Rule("moderation.delete_post", _post(OPEN, 0, "/delete"),
         {"anonymous": 302, "outsider": 403, "member": 302, "silenced": 403}, default=302,
         method="POST", data=lambda w: {f"p{w.places[OPEN].post_ids[0]}-delete-reason": "Off topic"},
         note="open, with reason"),
    Rule("forum.watch", _thread(PRIVATE, "/watch"), HIDDEN_PRIVATE | {"anonymous": 302},
         default=302, method="POST", note="private"),
    Rule("forum.watch", _thread(CLOSED, "/watch"), {"anonymous": 302, "outsider": 403},
         default=302, method="POST", note="closed"),
    # Moderation: a reason is required (400 without it); members and outsiders refused.
    Rule("forum.pin", _thread(PRIVATE, "/pin"), MODERATORS, method="POST", note="no reason"),
    Rule("forum.pin", _thread(OPEN, "/pin"), dict(MODERATORS, outsider=403, manager=302,
                                                     moderator=302, admin=302),
         method="POST", data=_reason("pin"), note="open, with reason"),
    Rule("forum.lock", _thread(PRIVATE, "/lock"), MODERATORS, method="POST", note="no reason"),
    Rule("forum.lock", _thread(CLOSED, "/lock"), dict(MODERATORS, outsider=403, manager=302,
                                                       moderator=302, admin=302),
         method="POST", data=_reason("lock"), note="closed, with reason"),
    Rule("moderation.hide_thread", _thread(PRIVATE, "/hide"), MODERATORS, method="POST", note="no reason"),
    Rule("moderation.hide_thread", _thread(OPEN, "/hide"), dict(MODERATORS, outsider=403, manager=302,
                                                     moderator=302, admin=302),
         method="POST", data=_reason("hide"), note="open, with reason"),
    Rule("forum.move", _thread(PRIVATE, "/move"), MODERATORS, method="POST", note="no reason"),
    Rule("moderation.hide_post", _post(PRIVATE, 1, "/hide"), MODERATORS, method="POST",
         note="no reason"),
    Rule("moderation.hide_post", _post(OPEN, 0, "/hide"),
         dict(MODERATORS, outsider=403, manager=302, moderator=302, admin=302), method="POST",
         data=lambda w: {f"p{w.places[OPEN].post_ids[0]}-hide-reason": "Rude"},
         note="open, with reason"),
]
