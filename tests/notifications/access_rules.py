"""Access rules for the notification settings and the unsubscribe link."""
from tests.access import SIGNED_IN, Rule

RULES = [
    Rule("notifications.settings", lambda w: "/settings/notifications", SIGNED_IN),
    Rule("notifications.settings", lambda w: "/settings/notifications", SIGNED_IN,
         default=302, method="POST", note="empty form: the defaults"),
    # Public on purpose (the signed token is the credential); a made-up token is
    # refused the same way for everyone and changes nothing.
    Rule("notifications.unsubscribe", lambda w: "/unsubscribe/not-a-token", default=400,
         note="bad token"),
    Rule("notifications.unsubscribe", lambda w: "/unsubscribe/not-a-token", default=400,
         method="POST", note="bad token"),
]
