"""Events in search (issues 11 and 13): found by members of the network by their title
and description, never by outsiders of a closed network; changes follow at once and
a cancelled event leaves."""
import re

from tests.events.test_event_pages import _form


def _event_hits(client, q):
    page = client.get(f"/search?q={q}&type=event").get_data(as_text=True)
    return re.findall(r'href="/events/(\d+)"', page)


def test_events_are_found_by_readers_and_follow_changes(app, login, make_user, make_network):
    manager, member, outsider = make_user(), make_user(), make_user()
    network = make_network(visibility="closed", managers=[manager], members=[member])
    managing = login(app.test_client(), manager)
    response = managing.post(f"/networks/{network.slug}/events/new",
                             data=_form(title="Falls prevention workshop",
                                        description="Strength and **balance** classes."))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    event_id = response.location.rstrip("/").rsplit("/", 1)[-1]
    reader = login(app.test_client(), member)
    assert _event_hits(reader, "falls+workshop") == [event_id]
    assert _event_hits(reader, "balance") == [event_id]
    for who in (login(app.test_client(), outsider), app.test_client()):
        assert _event_hits(who, "falls+workshop") == []
        assert "Falls prevention" not in who.get("/search?q=falls").get_data(as_text=True)
    changed = managing.post(f"/events/{event_id}/edit",
                            data=_form(title="Hydration clinic", description="Drinks rounds."))
    assert changed.status_code == 302
    assert _event_hits(reader, "falls+workshop") == []
    assert _event_hits(reader, "hydration") == [event_id]
    cancelled = managing.post(f"/events/{event_id}/cancel", data={"reason": "Room flooded"})
    assert cancelled.status_code == 302
    assert _event_hits(reader, "hydration") == []
