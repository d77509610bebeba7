"""Response headers, safe redirects, request ids and input guards."""
import logging
import re
import uuid
from urllib.parse import unquote_to_bytes, urlsplit

from flask import Flask, abort, g, request, url_for

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
_SECRET_PATH = re.compile(r"(/auth/reset/|/invitations/)[^/?\s\"]+")


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


def init_app(app: Flask) -> None:
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
        # Every form here is url-encoded (no uploads). Flask-WTF would read a JSON
        # body as form data too, with lists and objects where forms expect text.
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype \
                and request.mimetype != FORM_TYPE:
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
        rid = getattr(g, "request_id", None)
        if rid:
            response.headers["X-Request-Id"] = rid
        return response
