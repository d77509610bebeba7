"""The kinds of notification, the groups people choose delivery for, and the
filters of /notifications/. One table, so the list page, the settings page, the
mail and the digest agree on what a kind is.

Kinds (what services pass to ``notify``):
- ``mention``: someone @mentioned you in a post or comment.
- ``reply_to_you``: a reply to your comment.
- ``comment``: a new comment on your article.
- ``reply``: a new post in a thread you watch.
- ``new_thread``, ``new_article``: a new thread or article in a network you watch.
- ``join_request``, ``join_decision``, ``network_invitation``, ``network_manager``,
  ``network_removed``: your networks.
- ``moderation``: a moderator's decision on your content.
- ``event_place``, ``event_changed``, ``event_cancelled``: events you are going to
  (a place came free for you; it changed; it was cancelled).
"""
GROUPS = {
    # group: (label, kinds, default delivery)
    "mentions": ("When someone mentions you", ("mention",), "immediate"),
    "replies": ("Replies to you and comments on your articles",
                ("reply_to_you", "comment"), "immediate"),
    "watching": ("New posts in threads you watch, new threads and articles in networks you watch",
                 ("reply", "new_thread", "new_article"), "weekly"),
    "networks": ("Your networks: requests, decisions, invitations",
                 ("join_request", "join_decision", "network_invitation", "network_manager",
                  "network_removed"), "immediate"),
    "moderation": ("Moderators' decisions on what you wrote", ("moderation",), "immediate"),
    "events": ("Events you are going to: a place for you, changes, cancellations",
               ("event_place", "event_changed", "event_cancelled"), "immediate"),
}
DELIVERIES = {
    "off": "Off",
    "app": "On this site only",
    "immediate": "On this site and by e-mail at once",
    "daily": "On this site and in a daily e-mail summary",
    "weekly": "On this site and in a weekly e-mail summary",
}
DIGESTS = ("daily", "weekly")
# A few words for a subject line about a private or closed network's content,
# where nothing of the content itself may be said.
LABELS = {"mention": "You were mentioned", "reply_to_you": "A reply to you",
          "comment": "A new comment", "reply": "A new post", "new_thread": "A new thread",
          "new_article": "A new article", "moderation": "A moderator's decision",
          "event_place": "A place for you at an event", "event_changed": "An event has changed",
          "event_cancelled": "An event is cancelled"}

FILTERS = {
    # name on /notifications/?show=: (label, kinds or None for every kind)
    "all": ("All", None),
    "unread": ("Unread", None),
    "mentions": ("Mentions", GROUPS["mentions"][1]),
    "replies": ("Replies", GROUPS["replies"][1] + GROUPS["watching"][1]),
    "networks": ("My networks", GROUPS["networks"][1]),
    "moderation": ("Moderation", GROUPS["moderation"][1]),
    "events": ("Events", GROUPS["events"][1]),
}


def group_of(kind: str) -> str | None:
    """The settings group a kind belongs to (None: not configurable, in-app only)."""
    for group, (_label, kinds, _default) in GROUPS.items():
        if kind in kinds:
            return group
    return None


def default_delivery(group: str | None) -> str:
    return GROUPS[group][2] if group in GROUPS else "app"
