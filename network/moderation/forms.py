"""Forms for flagging content and for every moderation action (each needs a reason)."""
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from network.core.forms import BaseForm
from network.moderation.models import FLAG_REASONS

NOTE_MAX = 1000
REASON_MAX = 500
REASON_RULES = [DataRequired("Give a reason; it is kept in the moderation log."),
                Length(max=REASON_MAX, message=f"Use {REASON_MAX} characters or fewer.")]
DURATIONS = [("1", "1 day"), ("7", "7 days"), ("30", "30 days"), ("365", "1 year"),
             ("36500", "Indefinitely")]


class FlagForm(BaseForm):
    reason = RadioField("Why should moderators look at this?",
                        choices=list(FLAG_REASONS.items()), validate_choice=False,
                        validators=[DataRequired("Choose a reason.")])
    note = TextAreaField("Tell the moderators more", validators=[
        Length(max=NOTE_MAX, message=f"Use {NOTE_MAX:,} characters or fewer.")],
        description="Required when you choose “Something else”.")

    def validate_reason(self, field):
        if field.data not in FLAG_REASONS:
            raise ValidationError("Choose a reason from the list.")

    def validate_note(self, field):
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError("Say what is wrong, so a moderator can judge it.")


class ReasonForm(BaseForm):
    reason = StringField("Reason", validators=REASON_RULES)


class StateReasonForm(ReasonForm):
    """An on/off action (hide or show again): ``state`` says what the button meant,
    "on" or "off", so pressing it twice does not undo it."""

    state = HiddenField(validators=[Optional()])


class DurationForm(BaseForm):
    days = SelectField("For", choices=DURATIONS, default="7")
    reason = StringField("Reason", validators=[
        DataRequired("Give a reason; the member sees it and it is kept in the log."),
        Length(max=REASON_MAX, message=f"Use {REASON_MAX} characters or fewer.")])
