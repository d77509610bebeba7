"""Ids from the outside world. ``<id:name>`` in a route and ``parse_id`` for ids in
forms and query strings take only ids a database column can hold, so
/threads/99999999999999999999 or ?reply_to=² is a plain 404 or a form error, not a
database error (SQLite cannot bind an integer past 64 bits; ``"²".isdigit()`` is
true but ``int("²")`` fails)."""
import re

from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**31 - 1
ID_PATTERN = r"[1-9][0-9]{0,9}"
_ID = re.compile(ID_PATTERN)


def parse_id(value) -> int | None:
    """The id that ``value`` names (an int, or ASCII digits, 1 to MAX_ID), or None for
    anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class IdConverter(BaseConverter):
    regex = ID_PATTERN

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(int(value))
