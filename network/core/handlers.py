"""Friendly error pages (JSON for clients that ask for it), with a request id on 500."""
import logging

from flask import Flask, abort, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from network.core import policy
from network.core.errors import DomainError
from network.core.security import kept_text, redact_path, retry_message, upload_setting
from network.extensions import db

log = logging.getLogger("network")

TITLES = {
    400: ("Something in that request was not right",
          "The page could not understand what was sent. Go back and try again."),
    403: ("You do not have permission to do that",
          "If you think you should, contact the network's managers or an administrator."),
    404: ("Page not found",
          "If you typed the web address, check it is correct. The page may have been moved "
          "or deleted, or you may not have access to it."),
    405: ("That action is not allowed here", "Use the buttons and links on the page."),
    409: ("That could not be done", "Something changed in the meantime. Go back and try again."),
    413: ("That was too large to send",
          "What you sent is larger than we accept. Shorten it and try again."),
    429: ("Too many attempts",
          "You have tried that too many times in a short time. Wait a few minutes and try again."),
    500: ("Sorry, there is a problem with the service",
          "Try again later. If it keeps happening, tell us the reference below."),
}
SILENCED = ("You cannot post at the moment",
            "A moderator has stopped you posting for a while. You can still read everything "
            "you could before.")


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message: str | None = None, silenced: bool = False):
    title, advice = (SILENCED if silenced
                     else TITLES.get(status, TITLES[500 if status >= 500 else 400]))
    request_id = getattr(g, "request_id", "")
    if _wants_json():
        return jsonify(error=title, message=message or advice, status=status,
                       request_id=request_id), status
    return render_template("errors/error.html", status=status, title=title, message=message,
                           advice=advice, request_id=request_id, silenced=silenced,
                           kept=kept_text() if status == 429 else []), status


def refuse(viewer, message: str | None = None):
    """Abort with 403 where someone may not write. A silenced person is told that they
    are silenced, until when and why (moderation/_silenced.html, the notice thread and
    article pages show), rather than given a bare refusal."""
    if policy.is_silenced_member(viewer):
        abort(make_response(error_response(403, silenced=True)))
    abort(403, message)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return error_response(400, "The form had expired or was sent from another site. "
                                   "Go back, reload the page and try again.")

    @app.errorhandler(DomainError)
    def _domain(error):
        # Services raise before they commit. What a view does not show beside a field
        # (core.forms.attempt lets it escape) ends here, and its half-done writes with it.
        db.session.rollback()
        return error_response(error.status, error.message or None)

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code is None or error.code < 400:
            return error
        description = getattr(error, "description", None)
        # Our own abort(..., description=...) messages are meant for people;
        # Werkzeug's default descriptions are not shown.
        custom = description if description and description != type(error).description else None
        if error.code == 429:  # Flask-Limiter's description is the limit ("10 per 1 minute")
            custom = retry_message()
        if error.code == 413 and upload_setting() and request.mimetype == "multipart/form-data":
            limit = app.config[upload_setting()] / (1024 * 1024)
            custom = (f"The file is larger than {limit:g} MB, the most we accept. Go back, "
                      "choose a smaller file (for example, saved as PDF) and try again.")
        body, status = error_response(error.code, custom)
        response = make_response(body, status)
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        original = getattr(error, "original_exception", None)
        log.error("request %s failed: %s %s", getattr(g, "request_id", "-"), request.method,
                  redact_path(request.path), exc_info=original or error)
        try:
            db.session.rollback()
        except Exception:  # the session may be unusable; the page must still render
            log.exception("rollback after error failed")
        return error_response(500)
