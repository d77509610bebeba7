"""Access rules for the articles routes (list, article, writing, comments, feeds)."""
from tests.access import PRIVATE, PUBLIC, SIGNED_IN, Rule

NOT_WRITERS = {"anonymous": 302, "outsider": 403, "member": 403, "manager": 403}
CLOSED = {"anonymous": 404, "outsider": 404}
SILENCED = {"silenced": 403}  # may read, may not write


def _article(visibility):
    return lambda w: f"/articles/{w.places[visibility].article_slug}"


def _comment(visibility, action):
    return lambda w: f"/comments/{w.places[visibility].comment_id}/{action}"


def _comment_text(w):
    return {"body": "A fair point, well made."}


RULES = [
    Rule("articles.index", lambda w: "/articles/", PUBLIC),
    Rule("articles.index", lambda w: "/articles/?network=private-net", PRIVATE, note="private network"),
    Rule("articles.index", lambda w: "/articles/?network=closed-net", PUBLIC, note="closed network"),
    Rule("articles.index", lambda w: "/articles/?tag=no-such-tag", default=404, note="unknown tag"),
    Rule("articles.index", lambda w: "/articles/?author=author", PUBLIC, note="by author"),
    Rule("articles.article", _article("open"), PUBLIC, note="open"),
    Rule("articles.article", _article("closed"), CLOSED, note="closed"),
    Rule("articles.article", _article("private"), PRIVATE, note="private"),
    Rule("articles.article", _article("archived"), PUBLIC, note="archived"),
    Rule("articles.article", lambda w: f"/articles/{w.draft_slug}", {"admin": 200}, default=404,
         note="draft"),
    Rule("articles.article", lambda w: "/articles/no-such-article", default=404, note="unknown"),
    Rule("articles.own_articles", lambda w: "/articles/mine", SIGNED_IN),
    Rule("articles.new_article", lambda w: "/articles/new", dict(NOT_WRITERS, associate=200)),
    Rule("articles.new_article", lambda w: "/articles/new", dict(NOT_WRITERS, associate=400),
         default=400,
         method="POST", note="empty form"),
    Rule("articles.edit_article", lambda w: _article("open")(w) + "/edit",
         {"anonymous": 302, "admin": 200}, default=403, note="open"),
    Rule("articles.edit_article", lambda w: _article("private")(w) + "/edit",
         {"anonymous": 302, "outsider": 404, "admin": 200}, default=403, note="private"),
    Rule("articles.edit_article", lambda w: f"/articles/{w.draft_slug}/edit",
         {"anonymous": 302, "admin": 200}, default=404, note="draft"),
    Rule("articles.edit_article", lambda w: _article("open")(w) + "/edit",
         {"anonymous": 302, "admin": 400}, default=403, method="POST", note="empty form"),
    Rule("articles.close_comments", lambda w: _article("open")(w) + "/comments/close",
         {"anonymous": 302, "outsider": 403, "member": 403}, default=302, method="POST",
         note="open"),
    Rule("articles.close_comments", lambda w: _article("private")(w) + "/comments/close",
         {"anonymous": 302, "outsider": 404, "member": 403}, default=302, method="POST",
         note="private"),
    Rule("articles.add_comment", lambda w: _article("open")(w) + "/comments", SILENCED,
         default=302, method="POST", data=_comment_text, note="open"),
    Rule("articles.add_comment", lambda w: _article("closed")(w) + "/comments",
         dict(SILENCED, outsider=404), default=302, method="POST", data=_comment_text,
         note="closed"),
    Rule("articles.add_comment", lambda w: _article("private")(w) + "/comments",
         dict(SILENCED, outsider=404), default=302, method="POST", data=_comment_text,
         note="private"),
    Rule("articles.add_comment", lambda w: _article("archived")(w) + "/comments",
         {"anonymous": 302}, default=403, method="POST", data=_comment_text,
         note="archived: read-only"),
    Rule("articles.add_comment", lambda w: _article("open")(w) + "/comments",
         dict(SILENCED, anonymous=302), default=400, method="POST", note="empty comment"),
    Rule("articles.add_comment", lambda w: f"/articles/{w.draft_slug}/comments",
         {"anonymous": 302, "admin": 403}, default=404, method="POST", data=_comment_text,
         note="draft"),
    Rule("articles.edit_comment", _comment("open", "edit"),
         {"anonymous": 302, "member": 200, "silenced": 403, "unconfirmed": 403}, default=403,
         note="open"),
    Rule("articles.edit_comment", _comment("private", "edit"),
         {"anonymous": 302, "outsider": 404, "member": 200, "silenced": 403,
          "unconfirmed": 403}, default=403,
         note="private"),
    Rule("articles.edit_comment", _comment("open", "edit"),
         {"anonymous": 302, "member": 400, "silenced": 403}, default=403, method="POST",
         note="empty"),
    Rule("articles.edit_comment", lambda w: "/comments/999999/edit", {"anonymous": 302},
         default=404, note="unknown"),
    Rule("articles.delete_comment", _comment("open", "delete"),
         {"anonymous": 302, "member": 302, "silenced": 403}, default=403, method="POST",
         note="open"),
    Rule("articles.delete_comment", _comment("private", "delete"),
         {"anonymous": 302, "outsider": 404, "member": 302, "silenced": 403}, default=403,
         method="POST", note="private"),
    Rule("articles.feed", lambda w: "/articles/feed.atom", PUBLIC),
    Rule("articles.network_feed", lambda w: "/networks/open-net/feed.atom", PUBLIC, note="open"),
    Rule("articles.network_feed", lambda w: "/networks/archived-net/feed.atom", PUBLIC,
         note="archived"),
    Rule("articles.network_feed", lambda w: "/networks/closed-net/feed.atom", default=404,
         note="closed"),
    Rule("articles.network_feed", lambda w: "/networks/private-net/feed.atom", default=404,
         note="private"),
]

RULES += [
    Rule("articles.comment", lambda w: f"/comments/{w.places['open'].comment_id}", default=302,
         note="open"),
    Rule("articles.comment", lambda w: f"/comments/{w.places['private'].comment_id}",
         {"anonymous": 404, "outsider": 404}, default=302, note="private"),
    Rule("articles.comment", lambda w: f"/comments/{w.places['closed'].comment_id}",
         {"anonymous": 404, "outsider": 404}, default=302, note="closed"),
    Rule("articles.comment", lambda w: "/comments/999999", default=404, note="unknown"),
]
