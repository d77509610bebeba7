"""Access rules for the practice routes (library, map, practice pages, writing, adopting)."""
from tests.access import PRIVATE, PUBLIC, SIGNED_IN, Rule

CLOSED = {"anonymous": 404, "outsider": 404}
STAFF = {"anonymous": 302, "moderator": 200, "admin": 200}
SILENCED = {"silenced": 403}  # may read practices, may not record or adopt them


def _practice(visibility, suffix=""):
    return lambda w: f"/practices/{w.places[visibility].practice_slug}{suffix}"


def _adoption(visibility):
    return lambda w: (f"/practices/{w.places[visibility].practice_slug}/adoptions/"
                      f"{w.places[visibility].adoption_id}")


def _adopt_data(w):
    return {"organisation": "Route Walk Trust", "region": "london", "stage": "planning",
            "note": "", "action": "save"}


def _update_data(w):
    return {"stage": "adopted", "note": "It works here too.", "action": "save"}


RULES = [
    Rule("practices.index", lambda w: "/practices/", PUBLIC),
    Rule("practices.index", lambda w: "/practices/?format=csv", PUBLIC, note="csv"),
    Rule("practices.index", lambda w: "/practices/?region=midlands&stage=trying&sort=adopted",
         PUBLIC, note="filtered"),
    Rule("practices.spread_map", lambda w: "/practices/map", PUBLIC),
    Rule("practices.spread_map", lambda w: "/practices/map?topic=mental-health", PUBLIC,
         note="topic"),
    Rule("practices.practice", _practice("open"), PUBLIC, note="open"),
    Rule("practices.practice", _practice("closed"), CLOSED, note="closed"),
    Rule("practices.practice", _practice("private"), PRIVATE, note="private"),
    Rule("practices.practice", lambda w: "/practices/no-such-practice", default=404,
         note="unknown"),
    Rule("practices.history", _practice("open", "/history"), STAFF, default=403, note="open"),
    Rule("practices.history", _practice("private", "/history"), dict(STAFF, outsider=404),
         default=403, note="private"),
    # Watching levels: anyone signed in who may read the practice.
    Rule("practices.watch", _practice("open", "/watch"), {"anonymous": 302}, default=302,
         method="POST", data=lambda w: {"level": "watching"}, note="open"),
    Rule("practices.watch", _practice("closed", "/watch"), {"anonymous": 302, "outsider": 404},
         default=302, method="POST", data=lambda w: {"level": "muted"}, note="closed"),
    Rule("practices.watch", _practice("private", "/watch"), {"anonymous": 302, "outsider": 404},
         default=302, method="POST", data=lambda w: {"level": "normal"}, note="private"),
    Rule("practices.review", _practice("open", "/review"),
         {"anonymous": 302, "moderator": 302, "admin": 302}, default=403, method="POST",
         note="open"),
    Rule("practices.review", _practice("private", "/review"),
         {"anonymous": 302, "outsider": 404, "moderator": 302, "admin": 302}, default=403,
         method="POST", note="private"),
    # A silenced member may read practices but not record or adopt them (403).
    Rule("practices.new_practice", lambda w: "/practices/new", SIGNED_IN | SILENCED),
    Rule("practices.new_practice", lambda w: "/practices/new", {"anonymous": 302, **SILENCED},
         default=400, method="POST", note="empty form"),
    Rule("practices.edit_practice", _practice("open", "/edit"), STAFF, default=403,
         note="open"),
    Rule("practices.edit_practice", _practice("private", "/edit"), dict(STAFF, outsider=404),
         default=403, note="private"),
    Rule("practices.edit_practice", _practice("open", "/edit"),
         {"anonymous": 302, "moderator": 400, "admin": 400}, default=403, method="POST",
         note="empty form"),
    Rule("practices.adopt", _practice("open", "/adopt"), SIGNED_IN | SILENCED, note="open"),
    Rule("practices.adopt", _practice("closed", "/adopt"),
         {"anonymous": 302, "outsider": 404, **SILENCED},
         note="closed"),
    Rule("practices.adopt", _practice("private", "/adopt"),
         {"anonymous": 302, "outsider": 404, **SILENCED}, note="private"),
    Rule("practices.adopt", _practice("open", "/adopt"), SILENCED, default=302, method="POST",
         data=_adopt_data, note="open"),
    Rule("practices.adopt", _practice("private", "/adopt"), {"outsider": 404, **SILENCED},
         default=302,
         method="POST", data=_adopt_data, note="private"),
    Rule("practices.adoption", _adoption("open"),
         {"anonymous": 302, "member": 200, "moderator": 200, "admin": 200, **SILENCED,
          "unconfirmed": 403}, default=403, note="open"),
    Rule("practices.adoption", _adoption("private"),
         {"anonymous": 302, "outsider": 404, "member": 200, "moderator": 200, "admin": 200,
          **SILENCED, "unconfirmed": 403}, default=403, note="private"),
    Rule("practices.adoption", _adoption("open"),
         {"anonymous": 302, "member": 302, "moderator": 302, "admin": 302, **SILENCED},
         default=403, method="POST", data=_update_data, note="open"),
    Rule("practices.adoption", lambda w: f"/practices/{w.places['open'].practice_slug}"
         "/adoptions/999999", {"anonymous": 302}, default=404, note="unknown"),
]

RULES += [
    Rule("practices.feed", lambda w: "/practices/feed.atom", PUBLIC),
    Rule("practices.practice_feed", _practice("open", "/feed.atom"), PUBLIC, note="open"),
    Rule("practices.practice_feed", _practice("closed", "/feed.atom"), default=404,
         note="closed"),
    Rule("practices.practice_feed", _practice("private", "/feed.atom"), default=404,
         note="private"),
]
