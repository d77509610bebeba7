from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from network.core.forms import BaseForm


class ContactForm(BaseForm):
    name = StringField("Your name", validators=[
        DataRequired("Enter your name."), Length(max=80, message="Use 80 characters or fewer.")])
    email = StringField("Your email address", validators=[
        DataRequired("Enter your email address so we can reply."), Length(max=254),
        Email("Enter an email address like name@example.org.")])
    subject = StringField("Subject", validators=[
        DataRequired("Enter a subject."), Length(max=150, message="Use 150 characters or fewer.")])
    message = TextAreaField("Message", validators=[
        DataRequired("Enter your message."),
        Length(max=5000, message="Use 5,000 characters or fewer.")])
