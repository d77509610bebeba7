"""Event rows for tests and the route walk's world (no fixtures here)."""
from datetime import timedelta

from network.core.text import render_markdown
from network.core.time import utcnow
from network.events.models import Attendance, Event
from network.extensions import db


def add_event(network, creator, title="Meet-up", starts_in=timedelta(days=30),
              hours=2, capacity=None, going=(), waiting=(), **fields) -> Event:
    """An event row (inside an app context; flushed, not committed), with people
    going and waiting in that order. ``starts_in`` may be negative (a past event)."""
    starts = (utcnow() + starts_in).replace(second=0, microsecond=0)
    description = fields.pop("description", f"About {title}.")
    event = Event(network_id=network.id, title=title, description=description,
                  description_html=render_markdown(description), starts_at=starts,
                  ends_at=starts + timedelta(hours=hours),
                  timezone=fields.pop("timezone", "Europe/London"),
                  place=fields.pop("place", "Leeds Town Hall"), capacity=capacity,
                  going_count=len(going), sequence=0, status="scheduled",
                  created_by_id=creator.id, **fields)
    db.session.add(event)
    db.session.flush()
    now = utcnow()
    for n, (person, state) in enumerate([(p, "going") for p in going]
                                        + [(p, "waiting") for p in waiting]):
        db.session.add(Attendance(event_id=event.id, user_id=person.id, state=state,
                                  created_at=now + timedelta(seconds=n)))
    db.session.flush()
    return event


def add_world_events(world, people) -> None:
    """The route walk's world: in each network an upcoming event the member is going
    to and a past one (SECRET in the private network's titles and text); the
    outsider's private calendar address."""
    from network.events import feeds
    from network.networks.models import Network

    for visibility, place in world.places.items():
        network = db.session.get(Network, place.network_id)
        label = "SECRETPRIVATE" if visibility == "private" else visibility.title()
        upcoming = add_event(network, people["manager"], title=f"{label} event",
                             description=f"{label} event description",
                             place=f"{label} hall", capacity=10, going=[people["member"]])
        past = add_event(network, people["manager"], title=f"{label} past event",
                         starts_in=-timedelta(days=30))
        place.event_id, place.past_event_id = upcoming.id, past.id
    world.calendar_token = feeds.calendar_token(people["outsider"])
