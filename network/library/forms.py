"""Forms for the library: upload, new version, remove (with a reason), folders."""
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.core.forms import BaseForm, optional_id
from network.networks.forms import CheckboxesField

FILE_HINT = ("PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG, "
             "up to {limit}.")


class VersionForm(BaseForm):
    file = FileField("File")


class UploadForm(VersionForm):
    title = StringField("Title", validators=[
        DataRequired("Give the document a title."),
        Length(max=200, message="Use 200 characters or fewer.")])
    description = TextAreaField("Short description (optional)", validators=[
        Optional(), Length(max=1000, message="Use 1000 characters or fewer.")])
    folder = SelectField("Folder", choices=[], coerce=optional_id, validate_choice=False)
    topics = CheckboxesField("Topics (optional)", choices=[], validate_choice=False, coerce=str)


class RemoveForm(BaseForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason; it is kept in "
                                                              "the moderation log.")],
                           description="Say why it is being removed. This is kept in the "
                                       "moderation log.")


class FolderForm(BaseForm):
    name = StringField("Folder name", validators=[
        DataRequired("Give the folder a name."),
        Length(max=80, message="Use 80 characters or fewer.")])
