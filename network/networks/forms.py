"""Forms for networks: create and settings, join requests, leaving, members, invitations."""
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from network.core.forms import BaseForm

VISIBILITY_CHOICES = [
    ("open", "Open: anyone can read it and join at once"),
    ("closed", "Closed: anyone can see it exists; a manager approves each member, "
               "and discussions are for members only"),
    ("private", "Private: hidden from everyone but its members; people join by invitation"),
]
NATIONAL = "national"


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes; unknown values are reported by the service, beside the field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NetworkForm(BaseForm):
    name = StringField("Name", validators=[
        DataRequired("Enter a name for the network."),
        Length(max=120, message="Use 120 characters or fewer.")])
    summary = StringField("Summary", validators=[
        DataRequired("Enter a one-line summary."),
        Length(max=300, message="Use 300 characters or fewer.")],
        description="One sentence shown in the directory.")
    description = TextAreaField("Description", validators=[
        Optional(), Length(max=20000, message="Use 20,000 characters or fewer.")],
        description="Markdown: **bold**, *italic*, [links](https://example.org), lists.")
    region = SelectField("Region", choices=[], validate_choice=False,
                         validators=[DataRequired("Choose a region, or national.")])
    topics = CheckboxesField("Topics", choices=[], validate_choice=False, coerce=str)
    visibility = RadioField("Who can see it", choices=VISIBILITY_CHOICES, default="open",
                            validate_choice=False,
                            validators=[DataRequired("Choose who can see the network.")])


class JoinRequestForm(BaseForm):
    message = TextAreaField("Message to the managers (optional)", validators=[
        Optional(), Length(max=1000, message="Use 1,000 characters or fewer.")],
        description="Tell them about your role and why you would like to join.")


class LeaveForm(BaseForm):
    successor = StringField("Username of the member who becomes manager", validators=[
        Optional(), Length(max=30, message="Usernames are 30 characters or fewer.")],
        description="You are the only manager, so someone must take over before you leave.")


class DecisionForm(BaseForm):
    request_id = HiddenField(validators=[DataRequired()])
    decision = HiddenField(validators=[DataRequired()])


class MemberActionForm(BaseForm):
    action = HiddenField(validators=[DataRequired()])
    reason = StringField("Reason", validators=[
        DataRequired("Give a reason; it is kept in the moderation log."),
        Length(max=500, message="Use 500 characters or fewer.")])


class InviteForm(BaseForm):
    invitee = StringField("Username or email address", validators=[
        DataRequired("Enter a username or an email address."),
        Length(max=254, message="Use 254 characters or fewer.")],
        description="Members get a notification; an email address gets a link by email.")


class ArchiveForm(BaseForm):
    action = HiddenField(validators=[DataRequired()])
    reason = StringField("Reason", validators=[
        DataRequired("Give a reason; it is kept in the moderation log."),
        Length(max=500, message="Use 500 characters or fewer.")])


class DirectoryFilterForm(BaseForm):
    """The directory's GET filter (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Search by name or summary", validators=[Optional(), Length(max=100)])
    region = SelectField("Region", choices=[], validate_choice=False)
    topic = SelectField("Topic", choices=[], validate_choice=False)
    sector = SelectField("Members from", choices=[], validate_choice=False)
    sort = SelectField("Sort by", choices=[("recent", "Recent activity"), ("name", "Name")],
                       validate_choice=False)
