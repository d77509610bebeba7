"""Forms for writing articles and comments."""
from wtforms import DateTimeLocalField, HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from network.core.forms import BaseForm, StringField, TextAreaField, optional_id

COMMENT_MAX = 10_000


class ArticleForm(BaseForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title."), Length(max=200, message="Use 200 characters or fewer.")])
    standfirst = TextAreaField(
        "Standfirst", description="One or two sentences shown under the title and in lists.",
        validators=[Optional(), Length(max=400, message="Use 400 characters or fewer.")])
    body = TextAreaField(
        "Article", description="Markdown: **bold**, *italic*, ## headings, lists and links.",
        validators=[DataRequired("Write the article."),
                    Length(max=100_000, message="Use 100,000 characters or fewer.")])
    tags = StringField("Tags", description="Separate tags with commas, for example: frailty, "
                                           "care homes.",
                       validators=[Optional(), Length(max=300, message="Use 300 characters or fewer.")])
    network = SelectField("Network", choices=[], coerce=optional_id, validate_choice=False,
                          invalid_value_message="Choose a network you are a member of, or none.",
                          description="Articles in a closed or private network are read only "
                                      "by its members.")
    series = SelectField("Series", choices=[], coerce=optional_id, validate_choice=False,
                         invalid_value_message="Choose one of your series, or start a new one.")
    new_series = StringField("Or start a new series", validators=[
        Optional(), Length(max=200, message="Use 200 characters or fewer.")])
    series_part = IntegerField("Part number", description="1 for the first part, 2 for the "
                                                          "second, and so on.", validators=[
        Optional(), NumberRange(min=1, max=1000, message="Enter a whole number from 1 to 1000.")])
    author_bio = TextAreaField(
        "About the author", description="Shown at the foot of the article. Markdown allowed.",
        validators=[Optional(), Length(max=2000, message="Use 2,000 characters or fewer.")])
    publish_at = DateTimeLocalField(
        "Publication date and time (UTC)", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        description="Only needed to schedule publication for later.", validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # Friendlier words than WTForms' defaults for values that do not parse.
        if self.series_part.errors and self.series_part.raw_data and \
                "Not a valid integer value." in self.series_part.errors:
            self.series_part.errors = ["Enter the part number as a whole number, like 2."]
        if self.publish_at.errors and "Not a valid datetime value." in self.publish_at.errors:
            self.publish_at.errors = ["Enter a real date and time, like 12 July 2016 09:00."]
        return ok


class CommentForm(BaseForm):
    body = TextAreaField("Your comment", validators=[
        DataRequired("Write your comment before posting it."),
        Length(max=COMMENT_MAX, message="Comments must be 10,000 characters or fewer.")])
    reply_to = HiddenField()
