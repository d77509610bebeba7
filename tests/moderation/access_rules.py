"""Access rules for the moderation routes (flags, queue, log, members, hiding comments)."""
from tests.access import STAFF_ONLY, Rule

QUEUE = {"anonymous": 302, "outsider": 403, "member": 403}
PRIVATE_FLAG = {"anonymous": 302, "outsider": 404}
CLOSED_FLAG = {"anonymous": 302, "outsider": 404}
MODERATORS = {"anonymous": 302, "outsider": 403, "member": 403}
REASON = lambda w: {"reason": "Checked by the route walk"}  # noqa: E731


def _post(visibility, n=0):
    return lambda w: f"/posts/{w.places[visibility].post_ids[n]}/flag"


RULES = [
    # Flag forms: signed-in people who can see the content; private content is 404.
    Rule("moderation.flag_post", _post("open"), {"anonymous": 302}),
    Rule("moderation.flag_post", _post("closed"), CLOSED_FLAG, note="closed"),
    Rule("moderation.flag_post", _post("private"), PRIVATE_FLAG, note="private"),
    Rule("moderation.flag_post", lambda w: "/posts/999999/flag", {"anonymous": 302},
         default=404, note="unknown"),
    Rule("moderation.flag_post", _post("open"), {"anonymous": 302}, default=400, method="POST",
         note="empty form"),
    Rule("moderation.flag_post", _post("open", 1), {"anonymous": 302, "manager": 400},
         default=302, method="POST", data=lambda w: {"reason": "spam"},
         note="manager's own post"),
    Rule("moderation.flag_post", _post("private", 1), {"anonymous": 302, "outsider": 404,
                                                       "manager": 400},
         default=302, method="POST", data=lambda w: {"reason": "spam"}, note="private"),
    Rule("moderation.flag_comment", lambda w: f"/comments/{w.places['open'].comment_id}/flag",
         {"anonymous": 302}),
    Rule("moderation.flag_comment", lambda w: f"/comments/{w.places['private'].comment_id}/flag",
         PRIVATE_FLAG, note="private"),
    Rule("moderation.flag_comment", lambda w: f"/comments/{w.places['private'].comment_id}/flag",
         {"anonymous": 302, "outsider": 404}, default=400, method="POST", note="private, empty"),
    Rule("moderation.flag_thread", lambda w: f"/threads/{w.places['open'].thread_id}/flag",
         {"anonymous": 302}),
    Rule("moderation.flag_thread", lambda w: f"/threads/{w.places['private'].thread_id}/flag",
         PRIVATE_FLAG, note="private"),
    Rule("moderation.flag_thread", lambda w: f"/threads/{w.places['private'].thread_id}/flag",
         # "member" wrote it (400: not one's own); silenced people may still report
         {"anonymous": 302, "outsider": 404, "member": 400, "silenced": 302}, default=302,
         method="POST", data=lambda w: {"reason": "other", "note": "Looks wrong"},
         note="private"),
    # The queue and the log: site moderators and network managers.
    Rule("moderation.queue", lambda w: "/moderation/", QUEUE),
    Rule("moderation.log", lambda w: "/moderation/log", QUEUE),
    Rule("moderation.log", lambda w: "/moderation/log?network=abc&action=nonsense&page=x",
         QUEUE, note="bad filters"),
    # Decisions: nothing is flagged or pending in the world, so moderators get 409.
    Rule("moderation.review_flags",
         lambda w: f"/moderation/flags/post/{w.places['open'].post_ids[0]}/dismiss",
         MODERATORS, default=409, method="POST", data=REASON, note="nothing flagged"),
    Rule("moderation.review_flags",
         lambda w: f"/moderation/flags/thread/{w.places['private'].thread_id}/uphold",
         MODERATORS, default=400, method="POST", note="private, no reason"),
    Rule("moderation.review_flags", lambda w: "/moderation/flags/post/999999/uphold",
         MODERATORS, default=404, method="POST", data=REASON, note="unknown"),
    Rule("moderation.review_pending",
         lambda w: f"/moderation/pending/comment/{w.places['private'].comment_id}/approve",
         MODERATORS, default=409, method="POST", data=REASON, note="not pending"),
    Rule("moderation.review_pending",
         lambda w: f"/moderation/pending/post/{w.places['open'].post_ids[1]}/reject",
         dict(MODERATORS, manager=403), default=409, method="POST", data=REASON,
         note="not pending; the manager's own post"),
    # A practice: site moderators decide (a published one is not waiting: 409); a
    # network's managers may not read unpublished practices, so never decide on one.
    Rule("moderation.review_pending",
         lambda w: f"/moderation/pending/practice/{w.places['open'].practice_id}/approve",
         MODERATORS, default=409, method="POST", data=REASON, note="practice, not pending"),
    Rule("moderation.review_pending",
         lambda w: f"/moderation/pending/practice/{w.places['private'].practice_id}/reject",
         MODERATORS, default=409, method="POST", data=REASON, note="private practice"),
    # Hiding a comment: moderators of the article's network.
    Rule("moderation.hide_comment", lambda w: f"/comments/{w.places['open'].comment_id}/hide",
         MODERATORS),
    Rule("moderation.hide_comment", lambda w: f"/comments/{w.places['private'].comment_id}/hide",
         {"anonymous": 302, "outsider": 404, "member": 403}, note="private"),
    Rule("moderation.hide_comment", lambda w: f"/comments/{w.places['closed'].comment_id}/hide",
         {"anonymous": 302, "outsider": 404, "member": 403}, default=302, method="POST",
         data=REASON, note="closed"),
    Rule("moderation.hide_comment", lambda w: f"/comments/{w.places['open'].comment_id}/hide",
         MODERATORS, default=400, method="POST", note="no reason"),
    # Removing a comment for good: moderators of the article's network.
    Rule("moderation.remove_comment",
         lambda w: f"/comments/{w.places['open'].comment_id}/remove", MODERATORS),
    Rule("moderation.remove_comment",
         lambda w: f"/comments/{w.places['private'].comment_id}/remove",
         {"anonymous": 302, "outsider": 404, "member": 403}, note="private"),
    Rule("moderation.remove_comment",
         lambda w: f"/comments/{w.places['closed'].comment_id}/remove",
         {"anonymous": 302, "outsider": 404, "member": 403}, default=302, method="POST",
         data=REASON, note="closed"),
    Rule("moderation.remove_comment",
         lambda w: f"/comments/{w.places['open'].comment_id}/remove",
         MODERATORS, default=400, method="POST", note="no reason"),
    Rule("moderation.remove_comment", lambda w: "/comments/999999/remove", {"anonymous": 302},
         default=404, note="unknown"),
    # Members' status: site moderators only.
    Rule("moderation.member", lambda w: "/moderation/members/member", STAFF_ONLY),
    Rule("moderation.member", lambda w: "/moderation/members/no-such-person", STAFF_ONLY,
         default=404, note="unknown"),
    Rule("moderation.member", lambda w: "/moderation/members/member", STAFF_ONLY, default=400,
         method="POST", note="no action"),
    Rule("moderation.member", lambda w: "/moderation/members/member", STAFF_ONLY, default=302,
         method="POST", data=lambda w: {"action": "trust", "trust-reason": "Known to us"},
         note="trust"),
]
