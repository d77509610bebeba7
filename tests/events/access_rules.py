"""Access rules for the event routes: lists, one event, going, posting and changing,
who is going (and its CSV), and calendar files. A closed or private network's events
are 404 for outsiders everywhere."""
from tests.access import PUBLIC, SIGNED_IN, Rule

OUTSIDE = {"anonymous": 404, "outsider": 404}
HIDDEN_FROM = {"open": PUBLIC, "archived": PUBLIC, "closed": OUTSIDE, "private": OUTSIDE}
# Managers of the network and admins post, change and cancel; others are refused.
MANAGERS = {"anonymous": 302, "manager": 200, "admin": 200}


def _net(place, suffix):
    return lambda w: f"/networks/{w.places[place].slug}{suffix}"


def _event(place, suffix="", past=False):
    return lambda w: (f"/events/{w.places[place].past_event_id if past else w.places[place].event_id}"
                      f"{suffix}")


def _managers(place, ok=200):
    expect = {k: (ok if v == 200 else v) for k, v in MANAGERS.items()}
    if place == "archived":  # read-only: nobody changes its events
        expect.update(manager=403, admin=403)
    if place in ("closed", "private"):
        expect["outsider"] = 404
    return expect


def _event_form(w):
    return {"title": "Route walk meet-up", "description": "", "starts_local": "2000-01-01T10:00",
            "ends_local": "2000-01-01T11:00", "timezone": "Europe/London", "place": "Hall"}


RULES = [
    Rule("events.index", lambda w: "/events/", PUBLIC),
    Rule("events.index", lambda w: "/events/?when=past", PUBLIC, note="past"),
    Rule("events.network_events", lambda w: "/networks/no-such-network/events/", default=404,
         note="unknown"),
    Rule("events.network_calendar", lambda w: "/networks/no-such-network/events.ics",
         default=404, note="unknown"),
    Rule("events.event", lambda w: "/events/999999", default=404, note="unknown"),
    Rule("events.event_calendar", lambda w: "/events/999999.ics", default=404, note="unknown"),
    Rule("events.own_calendar", lambda w: f"/calendar/{w.calendar_token}.ics", PUBLIC,
         note="the outsider's address"),
    Rule("events.own_calendar", lambda w: "/calendar/not-a-token.ics", default=404,
         note="forged"),
    Rule("events.calendar_settings", lambda w: "/settings/calendar", SIGNED_IN),
    Rule("events.calendar_settings", lambda w: "/settings/calendar", default=302, method="POST",
         note="reset"),
]

for place in ("open", "closed", "private", "archived"):
    hidden = HIDDEN_FROM[place]
    member_may_go = place != "archived"
    attend = {"anonymous": 302, "member": 302 if member_may_go else 403,
              "manager": 302 if member_may_go else 403, "silenced": 403}
    if place in ("closed", "private"):
        attend["outsider"] = 404
    leave = {"anonymous": 302} | ({"outsider": 404} if place in ("closed", "private") else {})
    RULES += [
        Rule("events.network_events", _net(place, "/events/"), hidden, note=place),
        Rule("events.network_events", _net(place, "/events/?when=past"), hidden,
             note=f"{place} past"),
        Rule("events.network_calendar", _net(place, "/events.ics"), hidden, note=place),
        Rule("events.event", _event(place), hidden, note=place),
        Rule("events.event", _event(place, past=True), hidden, note=f"{place} past"),
        Rule("events.event_calendar", _event(place, ".ics"), hidden, note=place),
        Rule("events.attend", _event(place, "/attend"), attend, default=403, method="POST",
             note=place),
        Rule("events.leave", _event(place, "/leave"), leave, default=302, method="POST",
             note=place),
        Rule("events.new_event", _net(place, "/events/new"), _managers(place), default=403,
             note=place),
        Rule("events.new_event", _net(place, "/events/new"), _managers(place, 400), default=403,
             method="POST", data=_event_form, note=f"{place}, start in the past"),
        Rule("events.edit_event", _event(place, "/edit"), _managers(place), default=403,
             note=place),
        Rule("events.edit_event", _event(place, "/edit"), _managers(place, 400), default=403,
             method="POST", data=_event_form, note=f"{place}, start in the past"),
        Rule("events.cancel_event", _event(place, "/cancel"), _managers(place), default=403,
             note=place),
        Rule("events.cancel_event", _event(place, "/cancel"), _managers(place, 400), default=403,
             method="POST", note=f"{place}, no reason"),
        Rule("events.attendees", _event(place, "/attendees"),
             {k: v for k, v in _managers(place).items()} | (
                 {"manager": 200, "admin": 200} if place == "archived" else {}),
             default=403, note=place),
        Rule("events.attendees", _event(place, "/attendees?format=csv"),
             {k: v for k, v in _managers(place).items()} | (
                 {"manager": 200, "admin": 200} if place == "archived" else {}),
             default=403, note=f"{place} csv"),
    ]
