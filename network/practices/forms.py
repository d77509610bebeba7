"""Forms for practices and adoptions.

Measures are a repeatable group of rows that works without JavaScript: the form
shows a few empty rows, and "Add another row" posts the form back with one more.
A row left wholly empty is ignored; a row with anything in it must be complete.
"""
import math
import re

from wtforms import FieldList, Form, FormField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from network.core.forms import (BaseForm, StringField, TextAreaField, optional_id,
                                refuse_bad_characters)
from network.practices.models import (COST_BANDS, DIRECTIONS, EVIDENCE_LEVELS, SECTORS, STAGES)

MAX_FIGURE = 1e12
MARKDOWN_MAX = 20_000
MAX_ROWS = 20
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(text: str) -> float:
    """'1,200' -> 1200.0; raises ValueError with the message to show."""
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned or not _NUMBER.match(cleaned) or cleaned in ("+", "-", "."):
        raise ValueError("Enter a number, like 18 or 4.5.")
    value = float(cleaned.replace(",", ""))
    if not math.isfinite(value) or abs(value) > MAX_FIGURE:
        raise ValueError("Enter a number no bigger than a million million.")
    return value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _short(label, limit, **kwargs):
    return StringField(label, validators=[Optional(), Length(
        max=limit, message=f"Use {limit} characters or fewer.")], **kwargs)


class _Row(Form):
    """A row of figures; ``values`` parses it after validation."""

    def _text_fields(self):
        return [f for f in self if isinstance(f.data, str)]

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in self._text_fields()
                       if f.name.rsplit("-", 1)[-1] != "direction")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = refuse_bad_characters(self._text_fields()) and ok
        if self.is_blank():
            return ok
        self.numbers = {}
        for name in ("before", "after"):
            f = self[name]
            try:
                self.numbers[name] = parse_number(f.data)
            except ValueError as error:
                f.errors = list(f.errors) + [
                    "Enter both the before and after figures." if not (f.data or "").strip()
                    else str(error)]
                ok = False
        return ok


class MeasureRow(_Row):
    name = _short("Measure", 120)
    before = _short("Before", 40)
    after = _short("After", 40)
    unit = _short("Unit", 40, description="For example: weeks, %, admissions per 1,000")
    period = _short("Period", 60, description="For example: 2023 to 2024")
    direction = SelectField("Which way is better", choices=list(DIRECTIONS.items()),
                            default="lower")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.is_blank() and not (self.name.data or "").strip():
            self.name.errors = list(self.name.errors) + ["Name the measure."]
            ok = False
        return ok


class FigureRow(_Row):
    """An adopter's figures for one of the origin's measures (name and unit are its)."""

    before = _short("Before", 40)
    after = _short("After", 40)
    period = _short("Period", 60)


def row_errors(rows) -> bool:
    return any(entry.form.errors for entry in rows.entries)


def filled_rows(rows) -> list:
    return [entry.form for entry in rows.entries if not entry.form.is_blank()]


class _RowsForm(BaseForm):
    def has_errors(self) -> bool:
        return bool(self.form_errors) or any(
            f.errors and any(isinstance(e, str) or e for e in f.errors) for f in self)

    def add_row(self, rows) -> None:
        if len(rows.entries) < MAX_ROWS:
            rows.append_entry()


class PracticeForm(_RowsForm):
    title = StringField("Title", validators=[
        DataRequired("Enter a title."), Length(max=200, message="Use 200 characters or fewer.")])
    summary = StringField("Summary in one line", validators=[
        DataRequired("Enter a one-line summary."),
        Length(max=300, message="Use 300 characters or fewer.")])
    problem = TextAreaField(
        "The problem and why it mattered", description="Markdown: **bold**, lists and links.",
        validators=[DataRequired("Describe the problem."), Length(
            max=MARKDOWN_MAX, message="Use 20,000 characters or fewer.")])
    approach = TextAreaField(
        "What was done and how it was put in place",
        validators=[DataRequired("Describe what was done."), Length(
            max=MARKDOWN_MAX, message="Use 20,000 characters or fewer.")])
    results = TextAreaField("Results", validators=[Optional(), Length(
        max=MARKDOWN_MAX, message="Use 20,000 characters or fewer.")])
    key_learning = TextAreaField("Key learning for anyone trying it", validators=[
        Optional(), Length(max=MARKDOWN_MAX, message="Use 20,000 characters or fewer.")])
    measures = FieldList(FormField(MeasureRow), "Measures", min_entries=3, max_entries=MAX_ROWS)
    sectors = MultiCheckboxField("Sectors involved", choices=list(SECTORS.items()))
    partners = TextAreaField("Partner organisations", description="One organisation per line.",
                             validators=[Optional(), Length(
                                 max=3000, message="Use 3,000 characters or fewer.")])
    region = SelectField("Region it came from", choices=[])
    organisation = StringField("Organisation it came from", validators=[
        DataRequired("Enter the organisation."),
        Length(max=120, message="Use 120 characters or fewer.")])
    topics = MultiCheckboxField("Topics", choices=[])
    cost_band = RadioField("Cost", choices=list(COST_BANDS.items()), validators=[
        InputRequired("Choose a cost band.")])
    evidence_level = RadioField(
        "Evidence level (Nesta Standards of Evidence)",
        choices=[(str(n), f"Level {n}: {title}") for n, (title, _) in EVIDENCE_LEVELS.items()],
        validators=[InputRequired("Choose an evidence level from 1 to 5.")])
    evidence_links = TextAreaField(
        "Evidence links", description="Addresses of evaluations or reports, one per line, "
                                      "starting https://",
        validators=[Optional(), Length(max=5000, message="Use 5,000 characters or fewer.")])
    contact = StringField("Contact (username)", description="A member people can ask about "
                                                            "it. Leave empty for yourself.",
                          validators=[Optional(), Length(max=30, message="Use a username of "
                                                                         "30 characters or fewer.")])
    network = SelectField("Network", choices=[], coerce=optional_id, validate_choice=False,
                          description="A practice in a closed or private network is read only "
                                      "by its members.")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for f in (self.region,):
            if f.errors:
                f.errors = ["Choose a region from the list."]
        if self.network.errors:
            self.network.errors = ["Choose a network you are a member of, or none."]
        if self.sectors.errors:
            self.sectors.errors = ["Choose sectors from the list."]
        if self.topics.errors:
            self.topics.errors = ["Choose topics from the list."]
        if not row_errors(self.measures) and not filled_rows(self.measures):
            self.measures.errors = ["Add at least one measure, with its before and after "
                                    "figures."]
            ok = False
        links = [line.strip() for line in (self.evidence_links.data or "").splitlines()
                 if line.strip()]
        if any(not re.match(r"^https?://[^\s/]+\.[^\s]+$", link, re.I) or len(link) > 500
               for link in links) and not self.evidence_links.errors:
            self.evidence_links.errors = ["Put one address per line, each starting "
                                          "http:// or https://."]
            ok = False
        partners = [line for line in (self.partners.data or "").splitlines() if line.strip()]
        if any(len(line) > 120 for line in partners) or len(partners) > 30:
            self.partners.errors = list(self.partners.errors) + [
                "List up to 30 organisations, each 120 characters or fewer."]
            ok = False
        return ok


class AdoptionUpdateForm(_RowsForm):
    stage = RadioField("Stage", choices=list(STAGES.items()),
                       validators=[InputRequired("Choose a stage.")])
    note = TextAreaField("Outcome note", description="What happened, what you learned. If you "
                                                     "stopped, say why: it helps others.",
                         validators=[Optional(), Length(
                             max=MARKDOWN_MAX, message="Use 20,000 characters or fewer.")])
    figures = FieldList(FormField(FigureRow), "Your figures", max_entries=MAX_ROWS)
    own = FieldList(FormField(MeasureRow), "Measures of your own", min_entries=2, max_entries=MAX_ROWS)

    def fit_figures(self, count: int) -> None:
        """One figures row per origin measure, whatever was posted."""
        while len(self.figures.entries) < count:
            self.figures.append_entry()
        del self.figures.entries[count:]


class AdoptionForm(AdoptionUpdateForm):
    region = SelectField("Your region", choices=[])
    organisation = StringField("Your organisation", validators=[
        DataRequired("Enter your organisation's name."),
        Length(max=120, message="Use 120 characters or fewer.")])
    adaptations = TextAreaField("What you changed to make it fit", validators=[
        Optional(), Length(max=MARKDOWN_MAX, message="Use 20,000 characters or fewer.")])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.region.errors:
            self.region.errors = ["Choose a region from the list."]
        return ok
