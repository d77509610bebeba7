"""Forms for threads, posts and the moderators' thread and post actions."""
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.core.forms import BaseForm
from network.forum.services import MAX_BODY, MAX_TITLE

BODY_HINT = "You can use Markdown: **bold**, *italic*, lists, links and > quotes."


def _body_field(label):
    return TextAreaField(label, description=BODY_HINT, validators=[
        DataRequired("Write something before posting."),
        Length(max=MAX_BODY, message=f"Posts are {MAX_BODY:,} characters or fewer.")])


class ThreadForm(BaseForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title."),
        Length(max=MAX_TITLE, message=f"Titles are {MAX_TITLE} characters or fewer.")])
    body = _body_field("Your post")


class PostForm(BaseForm):
    body = _body_field("Your reply")


class EditPostForm(BaseForm):
    body = _body_field("Your post")


class ReasonForm(BaseForm):
    """Every moderator action asks why; ``state`` says what the button meant
    (for example "on" to pin), so pressing it twice does not undo it."""

    reason = StringField("Reason", description="Recorded in the moderation log.", validators=[
        DataRequired("Give a reason."), Length(max=500, message="Use 500 characters or fewer.")])
    state = HiddenField(validators=[Optional()])


class MoveForm(ReasonForm):
    network = SelectField("Move to network", coerce=int, choices=[],
                          validators=[DataRequired("Choose a network.")])
