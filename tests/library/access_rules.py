"""Access rules for the library routes: a network's library is its content (read as
its discussions are), members upload, the uploader and managers add versions, the
uploader and moderators remove."""
from tests.access import PRIVATE, PUBLIC, Rule

MEMBERS = {"anonymous": 404, "outsider": 404}  # a closed network's library
SILENCED = {"silenced": 403}
NOT_UPLOADER = {"silenced": 403, "unconfirmed": 403}  # members, but not the uploader


def _lib(place, suffix=""):
    return lambda w: f"/networks/{w.places[place].slug}/library/{suffix}"


def _doc(place, suffix=""):
    return lambda w: (f"/networks/{w.places[place].slug}/library/"
                      f"{w.places[place].document_id}{suffix}")


READ = {"open": PUBLIC, "closed": MEMBERS, "private": PRIVATE, "archived": PUBLIC}
# Upload: members who may post (not staff who are not members, not in the archive).
UPLOAD = {
    "open": {"anonymous": 302, "outsider": 403, "member": 200, "manager": 200, **SILENCED},
    "closed": {"anonymous": 302, "outsider": 404, "member": 200, "manager": 200, **SILENCED},
    "private": {"anonymous": 302, "outsider": 404, "member": 200, "manager": 200, **SILENCED},
}
# A new version: the uploader (the member) and the network's managers and admins.
VERSION = {
    "open": {"anonymous": 302, "member": 200, "manager": 200, "admin": 200, **NOT_UPLOADER},
    "private": {"anonymous": 302, "outsider": 404, "member": 200, "manager": 200,
                "admin": 200, **NOT_UPLOADER},
    "archived": {"anonymous": 302},
}
# Removing: the uploader, the network's managers and site staff.
REMOVE = {
    "open": {"anonymous": 302, "member": 200, "manager": 200, "moderator": 200, "admin": 200,
             **NOT_UPLOADER},
    "private": {"anonymous": 302, "outsider": 404, "member": 200, "manager": 200,
                "moderator": 200, "admin": 200, **NOT_UPLOADER},
}


def _posted(expect):
    return {persona: (400 if status == 200 else status) for persona, status in expect.items()}


def _removed(expect):
    return {persona: (302 if status == 200 else status) for persona, status in expect.items()}


def _reason(w):
    return {"reason": "Out of date: replaced by the new guidance."}


RULES = [
    *[Rule("library.index", _lib(place), expect, note=place) for place, expect in READ.items()],
    Rule("library.index", lambda w: f"/networks/{w.places['open'].slug}/library/?folder=999999",
         default=404, note="unknown folder"),
    Rule("library.index", lambda w: "/networks/no-such-net/library/", default=404,
         note="unknown network"),
    *[Rule("library.document", _doc(place), expect, note=place)
      for place, expect in READ.items()],
    Rule("library.document", lambda w: f"/networks/{w.places['open'].slug}/library/999999",
         default=404, note="unknown"),
    # A document is found only through its own network.
    Rule("library.document", lambda w: (f"/networks/{w.places['open'].slug}/library/"
                                        f"{w.places['private'].document_id}"),
         default=404, note="through another network"),
    *[Rule("library.download", _doc(place, "/versions/1"), expect, note=place)
      for place, expect in READ.items()],
    Rule("library.download", _doc("open", "/versions/2"), default=404, note="no such version"),
    *[Rule("library.upload", _lib(place, "upload"), expect, default=403, note=place)
      for place, expect in UPLOAD.items()],
    Rule("library.upload", _lib("archived", "upload"), {"anonymous": 302}, default=403,
         note="archived"),
    *[Rule("library.upload", _lib(place, "upload"), _posted(expect), default=403,
           method="POST", note=f"{place} no file") for place, expect in UPLOAD.items()],
    *[Rule("library.new_version", _doc(place, "/new-version"), expect, default=403, note=place)
      for place, expect in VERSION.items()],
    *[Rule("library.new_version", _doc(place, "/new-version"), _posted(expect), default=403,
           method="POST", note=f"{place} no file") for place, expect in VERSION.items()],
    *[Rule("library.remove", _doc(place, "/remove"), expect, default=403, note=place)
      for place, expect in REMOVE.items()],
    *[Rule("library.remove", _doc(place, "/remove"), _removed(expect), default=403,
           method="POST", data=_reason, note=place) for place, expect in REMOVE.items()],
    Rule("library.new_folder", _lib("open", "folders"),
         {"anonymous": 302, "manager": 400, "admin": 400}, default=403, method="POST",
         note="empty name"),
    Rule("library.new_folder", _lib("private", "folders"),
         {"anonymous": 302, "outsider": 404, "manager": 400, "admin": 400}, default=403,
         method="POST", note="private, empty name"),
]
