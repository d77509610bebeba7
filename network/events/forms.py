"""Forms for posting and changing events, cancelling one, and the time zones offered."""
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from network.core.forms import BaseForm
from network.core.time import zone_choices
from network.events.services import (DEFAULT_ZONE, MAX_CAPACITY, MAX_DESCRIPTION, MAX_REASON,
                                     MAX_TITLE)

TIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(label: str) -> DateTimeLocalField:
    return DateTimeLocalField(label, format=TIME_FORMAT,
                              description="In the time zone below, for example 2027-07-01T18:30.",
                              validators=[DataRequired("Enter a date and time, for example "
                                                       "2027-07-01T18:30.")])


class EventForm(BaseForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title."),
        Length(max=MAX_TITLE, message=f"Titles are {MAX_TITLE} characters or fewer.")])
    description = TextAreaField(
        "Description", description="You can use Markdown: **bold**, *italic*, lists, links.",
        validators=[Optional(), Length(max=MAX_DESCRIPTION,
                                       message=f"Use {MAX_DESCRIPTION:,} characters or fewer.")])
    starts_local = _when("Starts")
    ends_local = _when("Ends")
    timezone = SelectField("Time zone", default=DEFAULT_ZONE, choices=[])
    place = StringField("Place", description="Where it happens, or leave empty for online only.",
                        validators=[Optional(), Length(max=300, message="Use 300 characters "
                                                                        "or fewer.")])
    online_url = StringField("Online link", description="For example https://meet.example.org/x.",
                             validators=[Optional(), Length(max=500, message="Use 500 characters "
                                                                             "or fewer.")])
    capacity = IntegerField("Places", description="Leave empty for no limit.", validators=[
        Optional(), NumberRange(min=1, max=MAX_CAPACITY,
                                message=f"Give a number from 1 to {MAX_CAPACITY:,}, or leave "
                                        "it empty.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()


class CancelForm(BaseForm):
    reason = StringField("Why is it cancelled?", description="Shown on the event and sent to "
                                                             "those going.", validators=[
        DataRequired("Say why the event is cancelled."),
        Length(max=MAX_REASON, message=f"Use {MAX_REASON} characters or fewer.")])
