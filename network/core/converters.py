"""URL converters. ``<id:name>`` takes only ids a database column can hold, so a
path like /threads/99999999999999999999 is a plain 404, not a database error."""
from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**31 - 1


class IdConverter(BaseConverter):
    regex = r"[1-9][0-9]{0,9}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(int(value))
