"""Walk every route of the app with every kind of viewer.

Fails when a route is added without an access rule (tests/<domain>/access_rules.py),
when a viewer gets a status the rule does not allow, and when a page shown to an
anonymous visitor or an outsider contains anything from the private network.
"""
import pytest

from network import create_app
from tests.access import all_rules
from tests.conftest import base_config
from tests.world import PERSONAS, SECRET, build_world, client_as

RULES = all_rules()


def test_every_route_has_an_access_rule():
    app = create_app(base_config("sqlite://"))
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    described = {rule.endpoint for rule in RULES}
    assert sorted(endpoints - described) == [], "routes without an access rule"
    assert sorted(described - endpoints) == [], "access rules for routes that do not exist"


def _call(client, rule, world):
    url = rule.url(world)
    if rule.method == "GET":
        return client.get(url)
    data = rule.data(world) if rule.data else {}
    return client.open(url, method=rule.method, data=data)


@pytest.mark.parametrize("rule", [r for r in RULES if r.method == "GET"],
                         ids=lambda r: f"GET {r.endpoint}{r.note and ' ' + r.note}")
def test_get_route_answers_each_viewer_as_the_policy_says(app, rule):
    world = build_world(app)
    for persona in PERSONAS:
        response = _call(client_as(app, world, persona), rule, world)
        assert response.status_code in rule.expected(persona), (
            f"{persona} got {response.status_code} from {rule.url(world)}")
        if persona in ("anonymous", "outsider") and response.status_code == 200:
            assert SECRET not in response.get_data(as_text=True), (
                f"{rule.url(world)} shows private content to {persona}")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("rule", [r for r in RULES if r.method != "GET"],
                         ids=lambda r: f"{r.method} {r.endpoint}{r.note and ' ' + r.note}")
def test_post_route_answers_each_viewer_as_the_policy_says(app, rule, persona):
    world = build_world(app)
    response = _call(client_as(app, world, persona), rule, world)
    assert response.status_code in rule.expected(persona), (
        f"{persona} got {response.status_code} from {rule.method} {rule.url(world)}")
    if persona in ("anonymous", "outsider"):
        assert SECRET not in response.get_data(as_text=True)
