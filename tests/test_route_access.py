"""Walk every route of the app with every kind of viewer.

Fails when a route (or a method of one) is added without an access rule
(tests/<domain>/access_rules.py), and when a viewer gets a status the rule does not
allow. What GET pages show to those outside the private network is walked in
tests/test_privacy.py; POST answers are checked here.
"""
import pytest

from network import create_app
from tests.access import all_rules
from tests.conftest import base_config
from tests.world import OUTSIDE_PRIVATE, PERSONAS, PLACES, SECRET, build_world, client_as

RULES = all_rules()
# Pages that show one network's content: each has a rule for every kind of network.
PER_PLACE = ("networks.network", "networks.members", "forum.threads", "forum.thread",
             "articles.article", "articles.add_comment", "articles.network_feed",
             "events.network_events", "events.network_calendar", "events.event",
             "events.event_calendar", "events.attend", "events.new_event", "events.attendees")


def _routes(app) -> set:
    """(endpoint, method) for every route in the URL map, HEAD and OPTIONS aside."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_and_method_has_an_access_rule():
    """A route added (or a method added to a route) without a rule fails here."""
    routes = _routes(create_app(base_config("sqlite://")))
    described = {(rule.endpoint, rule.method) for rule in RULES}
    assert sorted(routes - described) == [], "routes without an access rule"
    assert sorted(described - routes) == [], "access rules for routes that do not exist"


def test_a_route_added_without_a_rule_is_caught():
    """The check above sees the URL map as it is, not a list kept by hand."""
    app = create_app(base_config("sqlite://"))
    app.add_url_rule("/added-later", "site.added_later", lambda: "", methods=["GET", "POST"])
    described = {(rule.endpoint, rule.method) for rule in RULES}
    assert _routes(app) - described == {("site.added_later", "GET"),
                                        ("site.added_later", "POST")}


def test_the_walk_covers_every_place_and_persona():
    """Every kind of viewer, and a rule for each kind of network on the pages that
    belong to one."""
    assert set(PERSONAS) == {"anonymous", "outsider", "member", "manager", "associate",
                             "moderator", "admin", "silenced", "suspended", "unconfirmed"}
    for endpoint in PER_PLACE:
        notes = " ".join(rule.note for rule in RULES if rule.endpoint == endpoint)
        missing = [place for place in PLACES if place not in notes]
        assert missing == [], f"{endpoint} has no rule for {missing}"


def _call(client, rule, world):
    url = rule.url(world)
    if rule.method == "GET":
        return client.get(url)
    data = rule.data(world) if rule.data else {}
    return client.open(url, method=rule.method, data=data)


# Staff who have not turned two-factor sign-in on, where it is required (as in
# production): they count as associates (the policy's rank cap), and the moderator and
# admin of the world are in no network, so they must be answered as the associate is,
# or sent to turn two-factor sign-in on where the associate is refused.
STAFF = ("moderator", "admin")
TWO_FACTOR_PAGE = "/settings/two-factor"


def _check_staff_without_two_factor(response, rule, persona, world):
    as_associate = rule.expected("associate")
    allowed = as_associate | ({302, 403} if as_associate <= {400, 403, 404, 405} else set())
    where = f"{persona} without two-factor got {response.status_code} from " \
            f"{rule.method} {rule.url(world)}"
    assert response.status_code in allowed, where
    if response.status_code == 302 and 302 not in as_associate:
        assert response.headers["Location"].endswith(TWO_FACTOR_PAGE), where


@pytest.mark.parametrize("rule", [r for r in RULES if r.method == "GET"],
                         ids=lambda r: f"GET {r.endpoint}{r.note and ' ' + r.note}")
def test_get_route_answers_each_viewer_as_the_policy_says(make_app, rule):
    app = make_app()
    world = build_world(app)
    for persona in PERSONAS:
        response = _call(client_as(app, world, persona), rule, world)
        assert response.status_code in rule.expected(persona), (
            f"{persona} got {response.status_code} from {rule.url(world)}")
    required = make_app(STAFF_TWO_FACTOR=True)
    for persona in STAFF:
        response = _call(client_as(required, world, persona), rule, world)
        _check_staff_without_two_factor(response, rule, persona, world)


@pytest.mark.parametrize("rule", [r for r in RULES if r.method != "GET" and not
                                  r.expected("associate") - {400, 403, 404, 405}],
                         ids=lambda r: f"{r.method} {r.endpoint}{r.note and ' ' + r.note}")
def test_staff_without_two_factor_are_refused_what_an_associate_is_refused(make_app, rule):
    """Where two-factor sign-in is required, a moderator or admin without it changes
    nothing an associate may not (a refusal changes nothing, so both are tried)."""
    world = build_world(make_app())
    required = make_app(STAFF_TWO_FACTOR=True)
    for persona in STAFF:
        response = _call(client_as(required, world, persona), rule, world)
        _check_staff_without_two_factor(response, rule, persona, world)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("rule", [r for r in RULES if r.method != "GET"],
                         ids=lambda r: f"{r.method} {r.endpoint}{r.note and ' ' + r.note}")
def test_post_route_answers_each_viewer_as_the_policy_says(app, rule, persona):
    world = build_world(app)
    response = _call(client_as(app, world, persona), rule, world)
    assert response.status_code in rule.expected(persona), (
        f"{persona} got {response.status_code} from {rule.method} {rule.url(world)}")
    if rule.refuses_unconfirmed(persona):  # refused by the confirmation gate, not another
        assert "Confirm your email address first" in response.get_data(as_text=True)
    if persona in OUTSIDE_PRIVATE:
        assert SECRET.lower() not in response.get_data(as_text=True).lower()
