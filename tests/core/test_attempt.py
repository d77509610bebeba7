"""core.forms.attempt: the one way views call a service behind a form or a button.
What the person can fix is rolled back and shown beside its field (or flashed); what
escapes reaches the error handler, which rolls back and answers with its status."""
import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select
from wtforms import StringField

from network.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from network.core.forms import BaseForm, attempt
from network.extensions import db
from network.networks.models import Network


class NameForm(BaseForm):
    name = StringField("Name")
    reason = StringField("Reason")


def _networks() -> int:
    return db.session.scalar(select(func.count(Network.id)))


def _writes_then_raises(error):
    def act():
        db.session.add(Network(slug="half-made", name="Half made", visibility="open"))
        db.session.flush()
        raise error

    return act


def test_an_error_naming_a_field_is_rolled_back_and_shown_beside_it(app):
    with app.test_request_context(method="POST", data={"name": "Typed"}):
        form = NameForm()
        outcome = attempt(_writes_then_raises(Invalid("That name is taken.", field="name")),
                          form)
        assert not outcome and outcome.on_form
        assert form.name.errors == ["That name is taken."] and form.name.data == "Typed"
        assert _networks() == 0


def test_an_error_naming_no_field_goes_atop_the_form_or_beside_the_fallback(app):
    with app.test_request_context(method="POST"):
        form = NameForm()
        attempt(_writes_then_raises(Conflict("Changed meanwhile.")), form)
        assert form.form_errors == ["Changed meanwhile."]
        form = NameForm()
        attempt(_writes_then_raises(Conflict("Already done.")), form, beside="reason")
        assert form.reason.errors == ["Already done."] and form.form_errors == []


def test_the_value_is_returned_when_the_service_succeeds(app):
    with app.test_request_context(method="POST"):
        outcome = attempt(lambda: 42, NameForm())
        assert outcome and outcome.value == 42 and outcome.error is None


def test_without_a_form_the_message_is_flashed(app):
    with app.test_request_context(method="POST"):
        assert not attempt(_writes_then_raises(Conflict("Already a member.")))
        assert not attempt(_writes_then_raises(NotFound()), otherwise="That request is gone.")
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Already a member."), ("error", "That request is gone.")]
        assert _networks() == 0


@pytest.mark.parametrize("error, options", [
    (PermissionDenied("No."), {"escalate": (403,)}),
    (PermissionDenied("No."), {"unnamed": "raise"}),
    (Invalid("Not a field here.", field="colour"), {"unnamed": "raise"}),
])
def test_errors_not_for_the_person_to_fix_escape_untouched(app, error, options):
    with app.test_request_context(method="POST"):
        form = NameForm()
        with pytest.raises(type(error)):
            attempt(_writes_then_raises(error), form, **options)
        assert form.errors == {}


def test_the_error_handler_rolls_back_what_escapes(make_app):
    app = make_app()

    @app.post("/test-escaping-error")
    def escaping():
        form = NameForm()
        attempt(_writes_then_raises(PermissionDenied("Only managers may.")), form,
                unnamed="raise")
        db.session.commit()  # never reached
        return "stored"

    seen_after_the_handler = []

    @app.after_request
    def look(response):  # same request, same session: was the half-made row undone?
        seen_after_the_handler.append(_networks())
        return response

    response = app.test_client().post("/test-escaping-error")
    assert response.status_code == 403 and "Only managers may." in response.get_data(True)
    assert seen_after_the_handler == [0]
    with app.app_context():
        assert _networks() == 0
