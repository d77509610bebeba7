"""The base every form uses, and the empty form behind every POST button.

BaseForm refuses text that cannot be stored or shown: NUL and other control
characters, and the U+FFFD that stands in for bytes that were not valid UTF-8.
The field gets a clear message and keeps what the person typed (less those
characters), so nothing else is lost.
"""
import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
BAD_TEXT_MESSAGE = ("This contains characters we cannot accept (control characters or "
                    "text that is not valid UTF-8). Remove them and try again.")


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
        for field in self:
            if isinstance(field.data, str) and _BAD_CHARS.search(field.data):
                field.data = _BAD_CHARS.sub("", field.data)
                field.errors = list(field.errors) + [BAD_TEXT_MESSAGE]
                ok = False
        return ok


class ActionForm(BaseForm):
    """A POST button: no fields, but CSRF-checked (microblog's EmptyForm)."""


__all__ = ["BaseForm", "ActionForm", "StringField", "TextAreaField", "show_domain_error",
           "wanted_state"]


def show_domain_error(form, error) -> None:
    """Put a service's DomainError beside the field it names (``error.field``), or
    at the top of the form when it names none, so the page re-renders with it."""
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def wanted_state(form, current: bool) -> bool:
    """What an on/off button asked for: its ``state`` field, "on" or "off" (so
    pressing it twice does not undo it), or the opposite of now when it sent none."""
    state = form.state.data
    return state == "on" if state in ("on", "off") else not current
