"""Event pages: a network's events and everyone's, one event with going and the
waiting list, posting, changing and cancelling (managers), who is going (and its
CSV), and calendar files: one event's, a network's, and one's own at a private
address. Each view loads the object, asks ``core.policy``, then acts; an event a
viewer may not read, and everything about it, is a 404."""
from datetime import timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (Blueprint, abort, current_app, flash, make_response, redirect,
                   render_template, request, url_for)
from flask_login import login_required

from network.core import policy
from network.core.forms import ActionForm, attempt
from network.core.handlers import refuse
from network.core.pagination import page_arg, paginate
from network.core.time import HOME_ZONE
from network.core.viewer import viewer as _viewer
from network.events import calendar, feeds, queries, services
from network.events.forms import CancelForm, EventForm
from network.events.models import Event
from network.extensions import limiter
from network.networks.models import Network
from network.networks.services import get_network

bp = Blueprint("events", __name__)

WRITE_LIMIT = "30 per hour"


def _person_key() -> str:
    return f"events:{_viewer().id}" if _viewer().is_authenticated else request.remote_addr


# --- loading ------------------------------------------------------------------

def _network(slug: str) -> Network:
    """A network whose events the viewer may read; 404 otherwise (closed and private
    networks' events never reach outsiders)."""
    if len(slug) > 80 or "\x00" in slug:
        abort(404)
    network = get_network(slug)
    if network is None or not policy.can_read_network_content(_viewer(), network):
        abort(404)
    return network


def _event(event_id: int) -> Event:
    event = queries.event_with_network(event_id)
    if event is None or not policy.can_read_event(_viewer(), event):
        abort(404)
    return event


def _editable(event_id: int) -> Event:
    event = _event(event_id)
    if not policy.can_edit_event(_viewer(), event):
        abort(403, "Only the network's managers change its events, and a cancelled event "
                   "stays as it was.")
    return event


def _own_zone() -> str:
    viewer = _viewer()
    return getattr(viewer, "timezone", "") if viewer.is_authenticated else ""


# --- lists ----------------------------------------------------------------------

def _list_page(template: str, stmt_for, **context):
    past = request.args.get("when") == "past"
    page = paginate(stmt_for(past), page_arg(), per_page=queries.PER_PAGE)
    return render_template(template, page=page, past=past, own_zone=_own_zone(),
                           states=queries.states_of(_viewer(), (e.id for e in page.items)),
                           **context)


@bp.route("/events/")
def index():
    return _list_page("events/index.html",
                      lambda past: queries.event_list(_viewer(), past=past), network=None)


@bp.route("/networks/<slug>/events/")
def network_events(slug):
    network = _network(slug)
    return _list_page("events/index.html",
                      lambda past: queries.event_list(_viewer(), network, past=past),
                      network=network)


# --- one event --------------------------------------------------------------------

def _render_event(event: Event, status: int = 200):
    viewer = _viewer()
    attendance = services.attendance_of(viewer, event)
    return render_template(
        "events/event.html", event=event, network=event.network, attendance=attendance,
        position=(queries.waiting_position(attendance)
                  if attendance is not None and attendance.state == "waiting" else None),
        waiting=queries.waiting_count(event), own_zone=_own_zone(),
        full=event.capacity is not None and event.going_count >= event.capacity), status


@bp.route("/events/<id:event_id>")
def event(event_id):
    return _render_event(_event(event_id))


@bp.route("/events/<id:event_id>/attend", methods=["POST"])
@limiter.limit(WRITE_LIMIT, key_func=_person_key)
@login_required
def attend(event_id):
    found = _event(event_id)
    if not policy.can_attend_event(_viewer(), found):
        refuse(_viewer(), "Only members of the network can go to its events, and not once "
                          "an event is cancelled.")
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = attempt(lambda: services.attend(_viewer(), found))
    if outcome:
        flash("You are going." if outcome.value == "going" else
              "The event is full: you are on the waiting list. We will tell you if a place "
              "comes free.", "success")
    return redirect(url_for("events.event", event_id=found.id))


@bp.route("/events/<id:event_id>/leave", methods=["POST"])
@limiter.limit(WRITE_LIMIT, key_func=_person_key)
@login_required
def leave(event_id):
    found = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if attempt(lambda: services.leave(_viewer(), found), otherwise="You were not going."):
        flash("You are no longer going.", "success")
    return redirect(url_for("events.event", event_id=found.id))


# --- posting, changing, cancelling ----------------------------------------------------

def _input(form: EventForm) -> services.EventInput:
    return services.EventInput(
        title=form.title.data or "", description=form.description.data or "",
        starts_local=form.starts_local.data, ends_local=form.ends_local.data,
        timezone=form.timezone.data or services.DEFAULT_ZONE, place=form.place.data or "",
        online_url=form.online_url.data or "", capacity=form.capacity.data)


def _local(value, zone: str):
    """A stored UTC time as a naive local time in ``zone`` (for the form)."""
    return value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@bp.route("/networks/<slug>/events/new", methods=["GET", "POST"])
@limiter.limit(WRITE_LIMIT, key_func=_person_key, methods=["POST"])
@login_required
def new_event(slug):
    network = _network(slug)
    if not policy.can_post_event(_viewer(), network):
        refuse(_viewer(), "Only the network's managers post events.")
    form = EventForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.post_event(_viewer(), network, _input(form)), form)
        if outcome:
            flash("The event is posted.", "success")
            return redirect(url_for("events.event", event_id=outcome.value.id))
    return (render_template("events/edit.html", form=form, network=network, event=None),
            400 if form.errors or form.form_errors else 200)


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@limiter.limit(WRITE_LIMIT, key_func=_person_key, methods=["POST"])
@login_required
def edit_event(event_id):
    found = _editable(event_id)
    if request.method == "GET":
        form = EventForm(obj=found)
        form.starts_local.data = _local(found.starts_at, found.timezone)
        form.ends_local.data = _local(found.ends_at, found.timezone)
    else:
        form = EventForm()
    if form.validate_on_submit():
        if attempt(lambda: services.edit_event(_viewer(), found, _input(form)), form):
            flash("The event is changed. Those going have been told.", "success")
            return redirect(url_for("events.event", event_id=found.id))
    return (render_template("events/edit.html", form=form, network=found.network, event=found),
            400 if form.errors or form.form_errors else 200)


@bp.route("/events/<id:event_id>/cancel", methods=["GET", "POST"])
@limiter.limit(WRITE_LIMIT, key_func=_person_key, methods=["POST"])
@login_required
def cancel_event(event_id):
    found = _editable(event_id)
    form = CancelForm()
    if form.validate_on_submit():
        if attempt(lambda: services.cancel_event(_viewer(), found, form.reason.data), form):
            flash("The event is cancelled. Those going have been told.", "success")
            return redirect(url_for("events.event", event_id=found.id))
    return (render_template("events/cancel.html", form=form, event=found, network=found.network),
            400 if form.errors or form.form_errors else 200)


# --- who is going ---------------------------------------------------------------------

@bp.route("/events/<id:event_id>/attendees")
@login_required
def attendees(event_id):
    found = _event(event_id)
    if not policy.can_see_attendees(_viewer(), found):
        abort(403, "Only the network's managers see who is going.")
    if request.args.get("format") == "csv":
        response = make_response(queries.attendee_csv(found))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = (
            f'attachment; filename="event-{found.id}-attendees.csv"')
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return render_template("events/attendees.html", event=found, network=found.network,
                           rows=queries.attendees(found))


# --- calendar files -------------------------------------------------------------------

def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def _ics(events: list[Event], filename: str, name: str | None = None):
    base = current_app.config["BASE_URL"].rstrip("/")
    body = calendar.calendar_for(events, _host(),
                                 urls={e.id: f"{base}/events/{e.id}" for e in events}, name=name)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/events/<id:event_id>.ics")
def event_calendar(event_id):
    found = _event(event_id)
    return _ics([found], f"event-{found.id}.ics")


@bp.route("/networks/<slug>/events.ics")
def network_calendar(slug):
    network = _network(slug)
    return _ics(queries.network_calendar(network), f"{network.slug}-events.ics",
                name=f"{network.name} events")


@bp.route("/calendar/<token>.ics")
@limiter.limit("120 per hour")
def own_calendar(token):
    person = feeds.person_for(token)
    if person is None:
        abort(404)
    return _ics(queries.own_calendar(person), "my-events.ics", name="My events")


@bp.route("/settings/calendar", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=_person_key, methods=["POST"])
@login_required
def calendar_settings():
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        feeds.reset_calendar_token(_viewer())
        flash("Your calendar has a new address. The old one no longer works: give the new "
              "one to your calendar program.", "success")
        return redirect(url_for("events.calendar_settings"))
    address = (current_app.config["BASE_URL"].rstrip("/")
               + url_for("events.own_calendar", token=feeds.calendar_token(_viewer())))
    return render_template("events/calendar_settings.html", address=address,
                           home_zone=HOME_ZONE)
