"""Fuzzing with Hypothesis: every form field and query parameter, never a 500.

The routes come from the app's URL map through the route walk's access rules
(tests/access.py; tests/test_route_access.py fails when a route has no rule), the
fields from the form on each route's page and from the WTForms classes in
network/*/forms.py, the query parameters from the code that reads them
(tests/test_hostile_input.py). Each example sends, as anonymous, as a member or as
the persona the route is for, one field or parameter given a generated value (long
strings, NUL, invalid UTF-8 sent as raw bytes, control and bidi characters, numbers
out of range), or left out, or repeated. A form shown again with an error keeps the
typed text, escaped.

Profiles (HYPOTHESIS_PROFILE): "ci" (the default) runs about 25 examples a field,
derandomised, so a run is repeatable and fits the CI budget; "long" runs 500 a field
with a random seed, on demand:
    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -n 2 tests/test_fuzz.py
"""
import importlib
import os
import pkgutil
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

import network
from tests.test_hostile_input import (GET_RULES, PARAMS, POST_RULES, _base_fields, _check,
                                      _doers, _find_form, _Forms, _route_params, _viewers,
                                      hostile)
from tests.world import client_as

__all__ = ["hostile"]  # the module-scoped world of tests/test_hostile_input.py

settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None,
                          database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("long", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
PER_FIELD = settings.get_profile(PROFILE).max_examples


# --- what to send -------------------------------------------------------------------

_ODD = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\u00a0", "\u200b",
        "\u200e", "\u200f", "\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067",
        "\u2068", "\u2069", "\u2028", "\u2029", "\ufeff", "\ufffd", "\ufffe", "\r", "\n",
        "\t", " ", "<", ">", "&", '"', "'", "%", "_", "\\", "é", "ﬀ", "𝒳", "١")
# Text a person could type: no surrogates (a browser cannot send them as UTF-8).
_TYPED = st.characters(exclude_categories=("Cs",))

TEXT = st.one_of(
    st.text(_TYPED, max_size=80),
    st.text(st.sampled_from(_ODD) | _TYPED, min_size=1, max_size=40),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "\u202e", "𝒳", "<a>"]),
              st.integers(200, 20_000)),
    st.integers(-(2 ** 80), 2 ** 80).map(str),
    st.sampled_from(["-1", "0", "1e309", "NaN", "-0", "0x10", "1_000", "²", "١٢", "9" * 40,
                     "2026-02-30", "0000-00-00T00:00", "9999-12-31T23:59", "on", "y", ""]),
)
# Text BaseForm refuses (a NUL or control character inside): the form comes back with
# an error, and must still hold the rest of what was typed.
REFUSED_TEXT = st.builds(lambda a, bad, b: a + bad + b, st.text(_TYPED, max_size=40),
                         st.sampled_from(["\x00", "\x01", "\x1b", "\x7f"]),
                         st.text(_TYPED, max_size=40))
RAW = st.binary(min_size=1, max_size=40)  # sent percent-encoded: often invalid UTF-8

# A change to one field: ("set", value) | ("raw", bytes) | ("missing",) | ("repeat", value)
CHANGE = st.one_of(
    st.tuples(st.just("set"), TEXT),
    st.tuples(st.just("set"), REFUSED_TEXT),
    st.tuples(st.just("raw"), RAW),
    st.tuples(st.just("missing")),
    st.tuples(st.just("repeat"), TEXT),
)


def _form_field_names() -> set[str]:
    """The field names of every WTForms class under network/ (for fields a page
    does not draw, which a hostile client sends anyway)."""
    names = set()
    for module in pkgutil.walk_packages(network.__path__, "network."):
        if not module.name.endswith(".forms"):
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type):
                names |= {k for k in dir(value) if isinstance(getattr(value, k, None),
                                                                UnboundField)}
    return names


FORM_FIELDS = _form_field_names()


def _body(rows, name, change) -> bytes:
    """The form body: rows with the named field changed."""
    kept = [(n, v) for n, _, v in rows if n != name]
    old = next((v for n, _, v in rows if n == name), "x")
    parts = [f"{quote(str(n), safe='')}={quote(str(v), safe='')}" for n, v in kept]
    kind = change[0]
    if kind in ("set", "repeat"):
        parts.append(f"{quote(name, safe='')}={quote(change[1], safe='')}")
    if kind == "repeat":
        parts.append(f"{quote(name, safe='')}={quote(str(old), safe='')}")
    if kind == "raw":
        parts.append(f"{quote(name, safe='')}={quote(change[1], safe='')}")
    return "&".join(parts).encode("ascii")


# --- the form shown again -------------------------------------------------------------

_REFUSED = set("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
               "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\ufffd")


def _kept_problem(response, name, kind, typed) -> str | None:
    """When the answer is the form again with an error (400), a text field holds what
    was typed (less the characters BaseForm refuses; single lines lose their edges)."""
    if response.status_code != 400 or response.mimetype != "text/html" \
            or kind not in ("text", "textarea", "email", "search"):
        return None
    parser = _Forms()
    parser.feed(response.get_data(as_text=True))
    shown = [v for form in parser.forms for n, _, v in form["fields"] if n == name]
    if not shown:
        return None  # an error page, or another form: nothing to keep
    def clean(text):
        return "".join(c for c in text if c not in _REFUSED)

    def lines(text):
        return text.replace("\r\n", "\n").replace("\r", "\n")

    # As typed (a form that was not the one validated), or less the refused characters,
    # removed before or after a single line's edges are trimmed.
    expected = {lines(typed), lines(clean(typed)), lines(clean(typed.strip())),
                lines(clean(typed).strip())}
    normal = [lines(v) for v in shown]
    if kind == "textarea":
        # Leading newlines: the browser drops the first; trailing ones are the same text.
        if any(v.strip("\n") in {e.strip("\n") for e in expected} for v in normal):
            return None
    elif any(v in expected or v.strip() in expected for v in normal):
        return None
    return f"{name}: typed {typed[:60]!r}, shown {[v[:60] for v in shown]!r}"


# --- POST: every form field -----------------------------------------------------------

def _form_of(hostile, rule):
    """(persona, rows, kinds) for the first persona shown the form."""
    world = hostile.world
    for persona in _doers(rule):
        form = _find_form(client_as(hostile.app, world, persona), rule.url(world), world)
        if form is not None:
            break
    else:
        persona, form = _doers(rule)[0], None
    rows = _base_fields(form, rule.data(world) if rule.data else None)
    return persona, rows, {n: k for n, k, _ in rows}


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: f"POST {r.endpoint}")
def test_fuzzed_form_fields_never_fail_and_errors_keep_the_input(hostile, rule):
    world = hostile.fresh()
    persona, rows, kinds = _form_of(hostile, rule)
    names = sorted(set(kinds) | (FORM_FIELDS & set(kinds)) or {"body"})
    # Fields of the same form class that the page left out, and one nobody knows.
    extra = sorted({n for n in FORM_FIELDS if n not in kinds} & {"next", "network", "page"})
    fuzzed = names + extra + ["zz_unknown"]
    url = rule.url(world)
    who = sorted({persona, "member", "anonymous"})

    @settings(max_examples=PER_FIELD * len(fuzzed))
    @given(name=st.sampled_from(fuzzed), change=CHANGE, viewer=st.sampled_from(who))
    def send(name, change, viewer):
        client = client_as(hostile.app, world, viewer)
        response = client.post(url, data=_body(rows, name, change),
                               content_type="application/x-www-form-urlencoded")
        problems = []
        _check(response, f"{viewer} POST {url} {name}={change!r:.80}", problems)
        if change[0] == "set":
            kept = _kept_problem(response, name, kinds.get(name), change[1])
            if kept:
                problems.append(f"{viewer} POST {url}: form error lost the input: {kept}")
        assert problems == [], "\n".join(problems)

    # First, before the examples change the world: a text field given text the form
    # refuses, so the check that a form error keeps the input runs on every such form.
    typed = [n for n in names if kinds.get(n) in ("text", "textarea", "email", "search")]
    if typed:
        send = example(name=typed[0], change=("set", 'kept <b>"&amp;</b>\x00 ﬀ\u202e'),
                       viewer=persona)(send)
    send()


# --- GET: every query parameter ----------------------------------------------------------

def _query(params: list[tuple[str, object]]) -> bytes:
    parts = []
    for name, value in params:
        encoded = quote(value, safe="") if isinstance(value, (str, bytes)) else ""
        parts.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(parts).encode("ascii")


# One rule per endpoint: the parameters are the endpoint's, whoever looks.
FUZZED_GET_RULES = list({r.endpoint: r for r in reversed(GET_RULES)}.values())


@pytest.mark.parametrize("rule", FUZZED_GET_RULES, ids=lambda r: f"GET {r.endpoint}")
def test_fuzzed_query_parameters_never_fail(hostile, rule):
    world = hostile.world
    base = rule.url(world)
    path, _, fixed = base.partition("?")
    own = _route_params(rule, world)
    who = sorted(set(_viewers(rule)[:1]) | {"member", "anonymous"})
    param = st.tuples(st.sampled_from(own) | st.sampled_from(PARAMS), TEXT | RAW)

    @settings(max_examples=PER_FIELD * len(own))
    @given(params=st.lists(param, min_size=1, max_size=4), viewer=st.sampled_from(who))
    def visit(params, viewer):
        query = (fixed.encode() + b"&" if fixed else b"") + _query(params)
        response = client_as(hostile.app, world, viewer).get(f"{path}?{query.decode()}")
        problems = []
        _check(response, f"{viewer} GET {path}?{query[:120]!r}", problems)
        assert problems == [], "\n".join(problems)

    visit()
