"""Response headers, safe redirects, request ids, input guards, the client's
address behind a proxy and the keys and limits of rate limiting."""
import logging
import math
import re
import time
import uuid
from urllib.parse import unquote_to_bytes, urlsplit

from flask import Flask, Request, abort, current_app, g, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from network.extensions import limiter

log = logging.getLogger("network")

CSP = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Paths that carry a secret (reset and invitation tokens) must never reach a log.
_SECRET_PATH = re.compile(r"(/auth/reset/|/auth/confirm/(?!resend)|/invitations/)[^/?\s\"]+")


def redact_path(text: str) -> str:
    """Replace the token in reset and invitation links with [redacted]."""
    return _SECRET_PATH.sub(r"\1[redacted]", text or "")


def safe_next(target: str | None, default_endpoint: str = "site.home") -> str:
    """Return target if it is a path on this site, otherwise the home page.

    Refuses absolute URLs, scheme-relative ``//host``, backslash tricks
    (browsers read ``/\\host`` as ``//host``) and control characters.
    """
    fallback = url_for(default_endpoint)
    if not target or not isinstance(target, str) or len(target) > 2000:
        return fallback
    if _CONTROL.search(target) or "\\" in target:
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


NOT_A_FORM = ("What you sent was not a web form, so it could not be read. Use the form on "
              "the page and try again.")
FORM_TYPE = "application/x-www-form-urlencoded"
INVALID_TEXT = ("What you sent contains bytes that are not valid text (UTF-8). "
                "Go back, check what you typed and try again.")


def _is_utf8_form(body: bytes) -> bool:
    """True when every name and value of a url-encoded body is valid UTF-8
    (raw or percent-encoded); Werkzeug would otherwise drop or mangle them silently."""
    try:
        for pair in body.split(b"&"):
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- uploads: a larger body for the routes that take files, and only there ------
UPLOAD_TYPE = "multipart/form-data"
UPLOAD_SLACK = 64 * 1024  # the form's other fields and the multipart boundaries


def accepts_uploads(setting: str):
    """Mark a view as taking ``multipart/form-data`` bodies of up to
    ``app.config[setting]`` bytes (and a little for the other fields). Every other
    route keeps MAX_CONTENT_LENGTH and refuses multipart bodies."""
    def mark(view):
        view.upload_limit_setting = setting
        return view
    return mark


def upload_setting() -> str | None:
    """The config key of this request's upload limit, when its view takes uploads."""
    endpoint = request.endpoint if request else None
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, "upload_limit_setting", None)


class LimitedRequest(Request):
    """MAX_CONTENT_LENGTH everywhere, except multipart bodies sent to a view marked
    with ``accepts_uploads`` (a url-encoded body there keeps the small limit).
    Decided before anything reads the body (CSRF, the guards below, the view), since
    the matched endpoint is known when the request starts; Werkzeug refuses a larger
    body with 413 whether or not it says its length."""

    @property
    def max_content_length(self) -> int | None:
        if (self._max_content_length is None and current_app and self.url_rule is not None
                and self.mimetype == UPLOAD_TYPE):
            view = current_app.view_functions.get(self.url_rule.endpoint)
            setting = getattr(view, "upload_limit_setting", None)
            if setting:
                return current_app.config[setting] + UPLOAD_SLACK
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


# --- rate limits --------------------------------------------------------------
# Stored edits keep a revision each; watching queues notifications. Per person, so a
# shared office address does not block colleagues; anonymous requests by address.
EDIT_LIMIT = "20 per 10 minutes;200 per day"
WATCH_LIMIT = "30 per 10 minutes;300 per day"
# Fields a rate-limited form gives back on the 429 page, so nobody loses what they
# wrote (never passwords or tokens: only these names are shown).
KEPT_FIELDS = {"title": "Title", "standfirst": "Standfirst", "body": "Text", "tags": "Tags",
               "new_series": "New series", "author_bio": "About the author",
               "summary": "Summary", "description": "Description", "reason": "Reason",
               "message": "Message"}


def person_key() -> str:
    """Rate-limit key: the signed-in person, else the client's address."""
    if current_user.is_authenticated:
        return f"person:{current_user.id}"
    return f"address:{get_remote_address()}"


def change_was_saved(response) -> bool:
    """``deduct_when`` for forms that redirect once they have saved: only a stored
    change counts (a preview or a form error costs nothing)."""
    return response.status_code in (302, 303)


def attempt_failed(response) -> bool:
    """``deduct_when`` for sign-in steps (password, code): only a failed attempt counts
    (a success redirects onwards)."""
    return response.status_code != 302


# The decorators the views use (one definition each, applied to every such route).
limit_edits = limiter.limit(EDIT_LIMIT, key_func=person_key, methods=["POST"],
                            deduct_when=change_was_saved)
limit_watching = limiter.limit(WATCH_LIMIT, key_func=person_key, methods=["POST"])


def retry_after() -> int | None:
    """Seconds until the limit this request broke lets it through again."""
    breached = limiter.current_limit
    if breached is None or not breached.breached:
        return None
    return max(1, int(breached.reset_at - time.time()))


def retry_message() -> str | None:
    seconds = retry_after()
    if seconds is None:
        return None
    if seconds < 90:
        return f"You can try again in {seconds} seconds."
    return f"You can try again in about {math.ceil(seconds / 60)} minutes."


def kept_text() -> list[tuple[str, str]]:
    """(label, text) of what a refused form carried, for the 429 page."""
    if request.method != "POST" or request.mimetype != FORM_TYPE:
        return []
    return [(label, request.form[name]) for name, label in KEPT_FIELDS.items()
            if request.form.get(name, "").strip()]


def trust_proxy(app: Flask) -> None:
    """Read the client's address and scheme from ``PROXY_HOPS`` proxies in front
    (nginx: 1). Call last in create_app, so this wraps every other middleware.
    The Host header is never taken from a proxy: links are built from BASE_URL."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0,
                                x_port=0, x_prefix=0)


def init_app(app: Flask) -> None:
    app.request_class = LimitedRequest
    if (app.config.get("NETWORK_ENV") == "production" and app.config.get("RATELIMIT_ENABLED")
            and str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory")):
        log.warning("rate limits are kept in each worker's memory: with N workers each "
                    "limit is N times as loose. Set REDIS_URL to share them.")

    @app.before_request
    def _request_id_and_guards():
        g.request_id = uuid.uuid4().hex[:12]
        g.pop("network_roles", None)  # per-request cache of the viewer's memberships
        # NUL bytes and invalid percent-encodings in the path or query reach the
        # database as text PostgreSQL refuses; answer them as a bad request.
        if "\x00" in request.path:
            abort(400)
        for key, value in request.args.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
        # Every form here is url-encoded but the uploads (multipart, only where the view
        # takes them). Flask-WTF would read a JSON body as form data too, with lists
        # and objects where forms expect text.
        allowed = (FORM_TYPE, UPLOAD_TYPE) if upload_setting() else (FORM_TYPE,)
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype \
                and request.mimetype not in allowed:
            abort(400, description=NOT_A_FORM)
        if request.mimetype == FORM_TYPE and not _is_utf8_form(request.get_data(cache=True)):
            abort(400, description=INVALID_TEXT)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Permissions-Policy", "interest-cohort=()")
        if app.config.get("NETWORK_ENV") == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if response.status_code == 429 and "Retry-After" not in response.headers:
            seconds = retry_after()
            if seconds is not None:
                response.headers["Retry-After"] = str(seconds)
        rid = getattr(g, "request_id", None)
        if rid:
            response.headers["X-Request-Id"] = rid
        return response
