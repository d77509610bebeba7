"""The base every form uses, and the empty form behind every POST button.

BaseForm refuses text that cannot be stored or shown: NUL and other control
characters, and the U+FFFD that stands in for bytes that were not valid UTF-8.
The field gets a clear message and keeps what the person typed (less those
characters), so nothing else is lost.
"""
import re
from dataclasses import dataclass
from typing import Any, Callable

from flask import flash
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from network.core.converters import parse_id
from network.core.errors import DomainError
from network.extensions import db

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
BAD_TEXT_MESSAGE = ("This contains characters we cannot accept (control characters or "
                    "text that is not valid UTF-8). Remove them and try again.")


def refuse_bad_characters(fields) -> bool:
    """Take NUL, control characters and U+FFFD out of each text field in ``fields``,
    keeping the rest of what was typed, and put BAD_TEXT_MESSAGE beside each field
    that had them. True when none had them. For forms that are not a BaseForm (the
    rows of a FieldList) as well as for BaseForm itself."""
    ok = True
    for field in fields:
        if isinstance(field.data, str) and _BAD_CHARS.search(field.data):
            field.data = _BAD_CHARS.sub("", field.data)
            field.errors = list(field.errors) + [BAD_TEXT_MESSAGE]
            ok = False
    return ok


def optional_id(value):
    """A SelectField ``coerce`` for an optional row id: '' or None -> None; an id ->
    int; anything else raises ValueError (a message beside the field)."""
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def _strip_edges(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Single-line inputs lose leading and trailing spaces; text areas
            # keep their shape (Markdown indentation matters).
            if unbound_field.field_class is StringField:
                filters = list(unbound_field.kwargs.get("filters", []))
                filters.append(_strip_edges)
                unbound_field.kwargs["filters"] = filters
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return refuse_bad_characters(self) and ok


class ActionForm(BaseForm):
    """A POST button: no fields, but CSRF-checked (microblog's EmptyForm)."""


__all__ = ["BaseForm", "ActionForm", "StringField", "TextAreaField", "Outcome", "attempt",
           "show_domain_error", "wanted_state", "optional_id", "refuse_bad_characters"]


def _form_field(form, name: str | None):
    field = getattr(form, name or "", None)
    return field if field is not None and hasattr(field, "errors") else None


def show_domain_error(form, error, beside: str | None = None) -> None:
    """Put a service's DomainError beside the field it names (``error.field``), else
    beside the field ``beside``, else at the top of the form, so the page re-renders
    with it."""
    field = _form_field(form, error.field) or _form_field(form, beside)
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


@dataclass
class Outcome:
    """What :func:`attempt` did: the service's return value, or the error it showed
    (``on_form`` when beside a field or atop the form, else it was flashed). True when
    the service call went through."""

    value: Any = None
    error: DomainError | None = None
    on_form: bool = False

    def __bool__(self) -> bool:
        return self.error is None


def attempt(act: Callable[[], Any], form=None, *, unnamed: str = "top",
            escalate: tuple[int, ...] = (), beside: str | None = None,
            category: str = "error", otherwise: str = "That could not be done.") -> Outcome:
    """Run ``act()``, the service call behind a form or a button, and tell the person
    what went wrong in a way they can act on.

    A DomainError that is theirs to fix is rolled back here and shown: beside the
    field of ``form`` it names (or beside ``beside``), or, for an error naming no field
    of the form, as ``unnamed`` says: "top" of the form, "flash" it (with
    ``category``), or "raise" it. With no form every error is flashed (``otherwise``
    stands in for an error without a message). Errors with a status in ``escalate``
    and those raised are not caught: they reach the app's error handler, which rolls
    the session back and answers with the error's status page.
    """
    try:
        return Outcome(value=act())
    except DomainError as error:
        named = form is not None and (_form_field(form, error.field) or _form_field(form, beside))
        if error.status in escalate or (not named and unnamed == "raise"):
            raise
        db.session.rollback()
        if named or (form is not None and unnamed == "top"):
            show_domain_error(form, error, beside)
            return Outcome(error=error, on_form=True)
        flash(error.message or otherwise, category)
        return Outcome(error=error)


def wanted_state(form, current: bool) -> bool:
    """What an on/off button asked for: its ``state`` field, "on" or "off" (so
    pressing it twice does not undo it), or the opposite of now when it sent none."""
    state = form.state.data
    return state == "on" if state in ("on", "off") else not current
