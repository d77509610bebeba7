from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from network.accounts.models import SECTORS
from network.core.forms import BaseForm
from network.core.time import zone_choices

USERNAME_RULES = [
    DataRequired("Enter a username."),
    Length(min=3, max=30, message="Usernames are 3 to 30 characters long."),
    Regexp(r"^[A-Za-z0-9_.-]+$",
           message="Use only letters, numbers, dots, hyphens and underscores."),
]
PASSWORD_RULES = [
    DataRequired("Enter a password."),
    Length(min=10, max=200, message="Passwords must be between 10 and 200 characters."),
]
SECTOR_CHOICES = [("", "Choose a sector")] + list(SECTORS.items())


def _region_field():
    return SelectField("Region", choices=[], validate_choice=False)


class ProfileFields(BaseForm):
    display_name = StringField("Full name", validators=[
        DataRequired("Enter your name."), Length(max=80, message="Use 80 characters or fewer.")])
    job_title = StringField("Job title", validators=[
        Optional(), Length(max=120, message="Use 120 characters or fewer.")])
    organisation = StringField("Organisation", validators=[
        Optional(), Length(max=120, message="Use 120 characters or fewer.")])
    sector = SelectField("Sector", choices=SECTOR_CHOICES,
                         validators=[DataRequired("Choose the sector you work in.")])
    region = _region_field()


class RegisterForm(ProfileFields):
    username = StringField("Username", validators=USERNAME_RULES,
                           description="Shown on your posts. Letters, numbers, dots, hyphens and underscores.")
    email = StringField("Email address", validators=[
        DataRequired("Enter your email address."),
        Length(max=254, message="Email addresses are 254 characters or fewer."),
        Email("Enter an email address like name@example.org.")])
    password = PasswordField("Password", validators=PASSWORD_RULES,
                             description="At least 10 characters.")
    confirm = PasswordField("Confirm password", validators=[
        DataRequired("Enter your password again."),
        EqualTo("password", message="The passwords do not match.")])
    accept_terms = BooleanField("I accept the terms of use", validators=[
        DataRequired("You must accept the terms of use to register.")])


class LoginForm(BaseForm):
    login = StringField("Username or email address", validators=[
        DataRequired("Enter your username or email address."), Length(max=254)])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password."), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class ResetRequestForm(BaseForm):
    email = StringField("Email address", validators=[
        DataRequired("Enter your email address."), Length(max=254),
        Email("Enter an email address like name@example.org.")])


class ResetForm(BaseForm):
    password = PasswordField("New password", validators=PASSWORD_RULES,
                             description="At least 10 characters.")
    confirm = PasswordField("Confirm new password", validators=[
        DataRequired("Enter your new password again."),
        EqualTo("password", message="The passwords do not match.")])


class ChangePasswordForm(ResetForm):
    current = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=200)])


class ProfileForm(ProfileFields):
    bio = TextAreaField("About you", validators=[
        Optional(), Length(max=5000, message="Use 5,000 characters or fewer.")],
        description="Markdown: **bold**, *italic*, [links](https://example.org), lists.")
    hidden_from_directory = BooleanField("Hide me from the member directory",
                                         description="Your profile page and posts stay visible.")
    timezone = SelectField("Your time zone", default="", validate_choice=True,
                           description="Event times are shown in London time, and also in "
                                       "this zone if you choose one.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [("", "London time only")] + zone_choices()


class RoleForm(BaseForm):
    role = SelectField("Role", choices=[("member", "Member"), ("associate", "Associate"),
                                        ("moderator", "Moderator"), ("admin", "Admin")])
    reason = StringField("Reason", validators=[
        DataRequired("Give a reason; it is kept in the moderation log."), Length(max=500)])


class SuspendForm(BaseForm):
    days = SelectField("For", choices=[("1", "1 day"), ("7", "7 days"), ("30", "30 days"),
                                       ("365", "1 year"), ("36500", "Indefinitely")],
                       default="7")
    reason = StringField("Reason", validators=[
        DataRequired("Give a reason; the member sees it and it is kept in the log."),
        Length(max=500)])


class ReasonForm(BaseForm):
    reason = StringField("Reason", validators=[
        DataRequired("Give a reason; it is kept in the moderation log."), Length(max=500)])


class ChangeEmailForm(BaseForm):
    email = StringField("New email address", validators=[
        DataRequired("Enter your new email address."),
        Length(max=254, message="Email addresses are 254 characters or fewer."),
        Email("Enter an email address like name@example.org.")])
    password = PasswordField("Your password", validators=[
        DataRequired("Enter your password."), Length(max=200)])


class PasswordCheckForm(BaseForm):
    password = PasswordField("Your password", validators=[
        DataRequired("Enter your password."), Length(max=200)])


class DeleteAccountForm(PasswordCheckForm):
    remove_text = BooleanField("Also remove the text of my posts and comments",
                               description="They will read “Removed by its author” so "
                                           "discussions still make sense.")


class TwoFactorCodeForm(BaseForm):
    code = StringField("Code", description="The 6 digits your authenticator app shows now, "
                                           "or one of your recovery codes.",
                       validators=[DataRequired("Enter the code from your app, or a "
                                                "recovery code."), Length(max=40)])


class TwoFactorOffForm(PasswordCheckForm):
    code = TwoFactorCodeForm.code
