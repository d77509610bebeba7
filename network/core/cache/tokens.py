"""A form token belongs to one session.

Before a signed-in page or fragment is kept, this request's token is replaced by
a marker, and each request gets its own token back when it is served. The marker
contains "<", which escaped user text and sanitised HTML can never contain, so
user content cannot make a token appear.
"""
from __future__ import annotations

from flask import g

TOKEN_MARK = "<csrf-token>"
CSRF_FIELD = "csrf_token"  # where Flask-WTF keeps this request's token in g


def hide_token(html: str) -> str:
    token = g.get(CSRF_FIELD)
    return html.replace(token, TOKEN_MARK) if token else html


def show_token(html: str) -> str:
    if TOKEN_MARK not in html:
        return html
    from flask_wtf.csrf import generate_csrf

    return html.replace(TOKEN_MARK, generate_csrf())
