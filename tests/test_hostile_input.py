"""Hostile and malformed input on every route: never a 500, never markup that runs.

Built on the route walk (tests/access.py, tests/<domain>/access_rules.py and the world
in tests/world.py), so a route added later with its access rule is covered too:

- every GET route with hostile query strings (bad page numbers, script, NUL, invalid
  UTF-8, 10,000 characters, SQL, odd Unicode, LIKE wildcards, repeated parameters) on
  every query parameter the code reads;
- every page with page links, given query keys that name a route argument or one of
  url_for's own options: the links still work and stay on the same page of this site;
- every POST route, as a persona allowed to use it, starting from the form on the page
  that holds it (or the rule's data), with one field at a time replaced by hostile
  values, sent twice, or left out; a form shown again keeps the typed text, escaped;
- bodies that are too large (413), JSON and multipart bodies (400), HEAD and OPTIONS;
- with CSRF switched on, as in production, a POST without a valid token is refused.
"""
import re
from html import unescape
from html.parser import HTMLParser
from math import ceil
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from network import create_app
from network.core.pagination import Page
from tests import factories
from tests.access import all_rules
from tests.conftest import _empty_tables, base_config
from tests.core.test_security import header_problems
from tests.world import PERSONAS, build_world, client_as

RULES = all_rules()
GET_RULES = [r for r in RULES if r.method == "GET"]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ATTR = "' onmouseover='alert(1)"
JS_LINK = "[click](javascript:alert(1))"

TEXT_PAYLOADS = [SCRIPT, IMG, ATTR, JS_LINK, "'; DROP TABLE user;--", "ﬀ\u202e𝒳", "%", "_",
                 "%_%", "x" * 10_000, "-1", "0", "99999999999999999999", "999999999",
                 "0000-00-00", "9999-99-99T99:99", "0001-01-01T00:00", "9999-12-31T23:59",
                 "zz-no-such-choice", "²", "١٢"]
# Raw (already percent-encoded) values: NUL, invalid UTF-8, a lone surrogate.
RAW_PAYLOADS = ["%00", "a%00b", "%ff%fe", "%ed%a0%80", "%c0%af"]
PAGE_PAYLOADS = ["-1", "0", "abc", "99999999999999999999999"]
# A query string reaches less code than a form: fewer payloads keep the walk fast.
QUERY_PAYLOADS = [SCRIPT, IMG, ATTR, "'; DROP TABLE user;--", "ﬀ\u202e𝒳", "%_%", "x" * 10_000,
                  "99999999999999999999", "9999-99-99T99:99", "²"]
QUERY_RAW = ["%00", "%ff%fe", "%ed%a0%80"]

ROOT = Path(__file__).resolve().parent.parent / "network"
_ARG_NAMES = re.compile(
    r"""request\.args(?:\.get\(|\[)\s*["'](\w+)["']|(?:page_arg|_int_arg)\(\s*["'](\w+)["']""")


def _query_params() -> list[str]:
    """Every query parameter the code reads (request.args, page_arg, _int_arg)."""
    names = {"page"}
    for path in ROOT.rglob("*.py"):
        for match in _ARG_NAMES.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return sorted(names)


PARAMS = _query_params()


def _route_params(rule, world) -> list[str]:
    """The parameters the access rules show this endpoint taking, and page."""
    names = {"page"}
    for other in GET_RULES:
        if other.endpoint == rule.endpoint:
            query = urlsplit(other.url(world)).query
            names.update(part.split("=")[0] for part in query.split("&") if part)
    return sorted(names)


# --- the world, once per module ---------------------------------------------------

@pytest.fixture(scope="module")
def hostile(migrated):
    """An app (CSRF off, as the suite runs), a twin with CSRF on, and the world.

    POST tests may change the world; ``fresh()`` rebuilds it. The tables are
    emptied when the module ends, as the per-test fixtures expect."""
    # Errors become 500 pages (as in production) rather than exceptions, so one run
    # reports every failing input; the log captured beside a failure names the cause.
    app = create_app(base_config(migrated, PROPAGATE_EXCEPTIONS=False))
    csrf_app = create_app(base_config(migrated, WTF_CSRF_ENABLED=True, PROPAGATE_EXCEPTIONS=False))

    class State:
        def __init__(self):
            self.app, self.csrf_app = app, csrf_app
            self.world = build_world(app)

        def fresh(self):
            _empty_tables(app)
            self.world = build_world(app)
            return self.world

    state = State()
    yield state
    _empty_tables(app)


class _Markup(HTMLParser):
    """What a browser would run from a page: script elements, event-handler
    attributes and javascript: URLs that carry a payload's alert(1)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(1)" in value:
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value[:30]}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(1)" in data:
            self.found.append("<script>alert(1)</script>")


def _leaks(response) -> list[str]:
    if response.mimetype == "application/json":
        return []
    body = response.get_data().decode("utf-8", "replace")  # downloads are bytes
    if response.mimetype != "text/html":
        return [SCRIPT] if SCRIPT in body else []
    parser = _Markup()
    parser.feed(body)
    return parser.found


def _check(response, label, problems):
    if response.status_code >= 500:
        problems.append(f"{response.status_code} from {label}")
    for leak in _leaks(response):
        problems.append(f"unescaped {leak!r} in {label}")


# --- persona choice -----------------------------------------------------------------

PREFERENCE = ("member", "manager", "moderator", "admin", "outsider", "anonymous")


def _doers(rule) -> list[str]:
    """Personas the rule lets through to the form, those it answers with a page or a
    form error first: never refused (403/404), and anonymous only where the route is
    for anonymous visitors (not a redirect to sign in)."""
    found = []
    for persona in PREFERENCE:
        expected = rule.expected(persona)
        if expected & {403, 404}:
            continue
        if persona == "anonymous" and expected <= {302}:
            continue
        found.append(persona)
    return sorted(found, key=lambda p: rule.expected(p) <= {302})


def _viewers(rule) -> list[str]:
    """Who sees the page: admins see most controls, members the reply and edit forms."""
    shown = [p for p in ("admin", "member", "manager", "moderator", "outsider", "anonymous")
             if 200 in rule.expected(p)]
    return shown[:2] or ["admin"]


# --- GET: hostile query strings -------------------------------------------------------

def _all_params_cases(path: str) -> list[str]:
    """Every known parameter at once, with each payload, and each given three times."""
    cases = []
    for value in QUERY_PAYLOADS:
        cases.append(f"{path}?" + "&".join(f"{n}={quote(value)}" for n in PARAMS))
    for raw in QUERY_RAW:
        cases.append(f"{path}?" + "&".join(f"{n}={raw}" for n in PARAMS))
    cases.append(f"{path}?" + "&".join(f"{n}=a&{n}=b&{n}=" for n in PARAMS))
    return cases


def _own_params_cases(base_url: str, own_params: list[str]) -> list[str]:
    """Bad page numbers, then each of the route's own parameters alone (so an early
    400 on one parameter cannot hide a failure on another)."""
    path, _, query = base_url.partition("?")
    keep = f"{query}&" if query else ""
    cases = [f"{path}?{keep}page={quote(value)}" for value in PAGE_PAYLOADS]
    for name in own_params:
        for value in QUERY_PAYLOADS:
            cases.append(f"{path}?{keep}{name}={quote(value)}")
        for raw in QUERY_RAW:
            cases.append(f"{path}?{keep}{name}={raw}")
    return cases


@pytest.mark.parametrize("rule", GET_RULES,
                         ids=lambda r: f"GET {r.endpoint}{r.note and ' ' + r.note}")
def test_get_route_survives_hostile_query_strings(hostile, rule):
    world = hostile.world
    url = rule.url(world)
    first, *others = _viewers(rule)
    problems = []
    cases = {first: _own_params_cases(url, _route_params(rule, world))
             + _all_params_cases(url.partition("?")[0])}
    for persona in others:
        cases[persona] = _all_params_cases(url.partition("?")[0])
    for persona, urls in cases.items():
        client = client_as(hostile.app, world, persona)
        for case in urls:
            _check(client.get(case), f"{persona} GET {case[:160]}", problems)
    assert problems == [], "\n".join(problems)


# --- GET: query keys that page links must not obey ------------------------------------

# url_for's own options, and "endpoint" (its first argument's name).
URL_FOR_KEYS = ["_anchor", "_external", "_method", "_scheme", "endpoint"]
_PAGE_NAV = re.compile(r'<nav class="pagination"[^>]*>(.*?)</nav>', re.S)
_PAGINATION_CALL = re.compile(r"""\bpagination\(\s*\w+\s*,\s*['"]([\w.]+)['"]""")
TEMPLATES = ROOT.parent / "templates"


def _paginated_endpoints() -> set[str]:
    """Endpoints whose pages draw page links (the pagination macro's calls)."""
    return {match.group(1) for path in TEMPLATES.rglob("*.html")
            for match in _PAGINATION_CALL.finditer(path.read_text())}


PAGINATED_RULES = [r for r in GET_RULES if r.endpoint in _paginated_endpoints()
                   and any(200 in r.expected(p) for p in PERSONAS)]


def _page_link_cases(app, path: str) -> list[str]:
    """The page with each route-argument name and url_for option in its query, alone,
    then all at once; each names another network ("elsewhere") or is simply not an id."""
    keys = set(URL_FOR_KEYS)
    for url_rule in app.url_map.iter_rules():
        keys |= url_rule.arguments
    cases = [f"{path}?page=1&{key}=elsewhere" for key in sorted(keys)]
    cases.append(f"{path}?page=1&_external=1&_scheme=https")
    cases.append(f"{path}?page=1&" + "&".join(f"{key}=elsewhere" for key in sorted(keys)))
    return cases


def _page_links(response) -> list[str]:
    if response.mimetype != "text/html":
        return []
    body = response.get_data(as_text=True)
    return [unescape(href) for nav in _PAGE_NAV.findall(body)
            for href in re.findall(r'href="([^"]*)"', nav)]


@pytest.mark.parametrize("rule", PAGINATED_RULES,
                         ids=lambda r: f"GET {r.endpoint}{r.note and ' ' + r.note}")
def test_page_links_ignore_route_arguments_and_url_for_options_in_the_query(
        hostile, rule, monkeypatch):
    # Every list draws its page links, however few rows the world holds.
    monkeypatch.setattr(Page, "pages", property(
        lambda self: max(3, ceil(self.total / self.per_page))))
    world = hostile.world
    path = rule.url(world).partition("?")[0]
    persona = _viewers(rule)[0]
    client = client_as(hostile.app, world, persona)
    if not _page_links(client.get(f"{path}?page=1")):
        # An empty list (the world holds no notifications, flags or log entries, and a
        # draft shows no comments) draws no page links: tests/core/test_pagination.py
        # covers those lists with rows.
        pytest.skip(f"the world gives {persona} an empty list on {path}")
    problems = []
    for case in _page_link_cases(hostile.app, path):
        response = client.get(case)
        _check(response, f"{persona} GET {case}", problems)
        links = _page_links(response)
        if response.status_code == 200 and not links:
            problems.append(f"no page links on {persona} GET {case}")
        for link in links:
            # Relative, on this very page, with no fragment the visitor chose.
            if urlsplit(link).path != path or not link.startswith("/") \
                    or link.startswith("//") or "#" in link:
                problems.append(f"page link {link} on {persona} GET {case}")
    assert problems == [], "\n".join(problems)


# --- POST: hostile form data -----------------------------------------------------------

class _Forms(HTMLParser):
    """The POST forms of a page: action and (name, kind, value) for each field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))
            return
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": [], "buttons": [],
                          "options": {}}
            self.forms.append(self._form)
        if self._form is None or "name" not in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].append((a["name"], kind + "-unchecked", a.get("value", "on")))
            elif kind in ("submit", "image", "reset", "button", "file"):
                return
            else:
                self._form["fields"].append((a["name"], kind, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = {"name": a["name"], "options": [], "selected": []}
        elif tag == "button" and a.get("type", "submit") == "submit":
            main = not {"button-secondary", "button-warning"} & set(a.get("class", "").split())
            self._form["buttons"].append((a["name"], a.get("value", ""), main))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            # Browsers drop the newline that starts a textarea's content.
            text = self._textarea[1]
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            self._form["fields"].append((self._textarea[0], "textarea", text))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form["options"][self._select["name"]] = self._select["options"]
            chosen = self._select["selected"] or self._select["options"][:1]
            for value in chosen:
                self._form["fields"].append((self._select["name"], "select", value))
            if not chosen:
                self._form["fields"].append((self._select["name"], "select", ""))
            self._select = None


def _find_form(client, url, world):
    """The form that posts to url: on url itself, the page above it, or another
    page of the access rules under the same first two path segments."""
    path = urlsplit(url).path
    parent = path.rstrip("/").rsplit("/", 1)[0]
    area = "/".join(path.split("/")[:3])
    nearby = [r.url(world) for r in GET_RULES if r.url(world).startswith(area + "/")]
    for page in dict.fromkeys([url, parent + "/", parent] + nearby[:8]):
        if not page:
            continue
        response = client.get(page, follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            action = urlsplit(form["action"]).path if form["action"] else urlsplit(page).path
            if action == path:
                return form
    return None


def _filled(name, kind, value, options):
    """A value that passes the usual checks, so one hostile field reaches the service."""
    if value.strip():
        return value
    if kind == "password":
        return "correct horse battery"
    if kind == "email" or "email" in name:
        return "hostile.tester@example.org"
    if kind == "select":
        return next((o for o in options if o), "")
    if kind in ("text", "textarea", "search"):
        return "plain_words"
    return value


def _base_fields(form, rule_data) -> list[list]:
    """[name, kind, value] rows: the form as a person would send it with its main
    button, empty fields filled in and the rule's data on top. Fields known only
    from the rule's data are of kind "data"."""
    rows = []
    fields = form["fields"] if form else []
    for name, kind, value in fields:
        if name.endswith("csrf_token"):
            continue
        value = _filled(name, kind, value, form["options"].get(name, []))
        if kind == "checkbox-unchecked":
            rows.append([name, "checkbox", value])  # tick boxes such as "I accept the terms"
            continue
        if kind.endswith("-unchecked"):
            # A radio group with nothing chosen: choose its first value.
            if kind == "radio-unchecked" and not any(r[0] == name for r in rows) and not any(
                    n == name and k == "radio" for n, k, _ in fields):
                rows.append([name, "radio", value])
            continue
        rows.append([name, kind, value])
    buttons = sorted(form["buttons"] if form else [], key=lambda b: not b[2])
    if buttons and not any(r[0] == buttons[0][0] for r in rows):
        rows.append([buttons[0][0], "button", buttons[0][1]])
    for name, value in (rule_data or {}).items():
        kind = next((r[1] for r in rows if r[0] == name), "data")
        rows = [r for r in rows if r[0] != name] + [[name, kind, value]]
    return rows


def _encode(rows, raw: dict | None = None) -> bytes:
    parts = [f"{quote(str(n), safe='')}={quote(str(v), safe='')}" for n, _, v in rows]
    parts += [f"{quote(n, safe='')}={v}" for n, v in (raw or {}).items()]
    return "&".join(parts).encode("ascii")


def _mutations(rows, buttons):
    """(label, body, field, kind, typed value) for one field at a time made hostile,
    then the form sent with each of its buttons, empty, and with an unknown field."""
    names = list(dict.fromkeys(r[0] for r in rows))
    for name in names:
        others = [r for r in rows if r[0] != name]
        kind = next(r[1] for r in rows if r[0] == name)
        for value in ["", "   "] + TEXT_PAYLOADS + ["y" * 100_000, "a\x00b"]:
            yield f"{name}={value[:40]!r}", _encode(others + [[name, kind, value]]), name, kind, value
        for raw in RAW_PAYLOADS:
            yield f"{name}={raw}", _encode(others, {name: raw}), name, kind, None
        yield f"{name} twice", _encode(others + [[name, kind, SCRIPT], [name, kind, "2"]]), \
            name, kind, None
        yield f"{name} missing", _encode(others), name, kind, None
    for name, value, _ in buttons:
        others = [r for r in rows if r[0] != name]
        yield f"{name}={value}", _encode(others + [[name, "button", value]]), None, None, None
    yield "no fields", b"", None, None, None
    yield "unknown field", _encode(rows + [["zz_unknown", "text", SCRIPT]]), None, None, None


def _post_rules():
    """One POST rule per endpoint that a persona can reach (the one with data first)."""
    chosen = {}
    for rule in RULES:
        if rule.method == "GET" or not _doers(rule):
            continue
        if rule.endpoint not in chosen or (rule.data and not chosen[rule.endpoint].data):
            chosen[rule.endpoint] = rule
    return list(chosen.values())


POST_RULES = _post_rules()


def _shows_typed_text(response, field, kind, value) -> bool:
    """A form shown again holds what was typed in a text field, escaped."""
    if value != SCRIPT or kind not in ("text", "textarea", "email", "search") \
            or response.status_code != 400 or response.mimetype != "text/html":
        return True
    body = response.get_data(as_text=True)
    if f'name="{field}"' not in body:
        return True  # not a form page (an error page, or a different form)
    return "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: f"POST {r.endpoint}")
def test_post_route_survives_hostile_form_data(hostile, rule):
    world = hostile.fresh()
    # The first persona shown the form (someone cannot flag their own post, say).
    for persona in _doers(rule):
        client = client_as(hostile.app, world, persona)
        form = _find_form(client, rule.url(world), world)
        if form is not None:
            break
    else:
        persona = _doers(rule)[0]
        client = client_as(hostile.app, world, persona)
    url = rule.url(world)
    rows = _base_fields(form, rule.data(world) if rule.data else None)
    problems = []
    for label, body, field, kind, value in _mutations(rows, form["buttons"] if form else []):
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        where = f"{persona} POST {url} {label}"
        _check(response, where, problems)
        if field and not _shows_typed_text(response, field, kind, value):
            problems.append(f"typed text not shown again, escaped: {where}")
        if response.status_code == 302 and "/auth/login" in response.location:
            client = client_as(hostile.app, world, persona)  # signed out by the request
    assert problems == [], "\n".join(problems)


# --- bodies of the wrong size or kind; other methods ------------------------------------

@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: f"POST {r.endpoint}")
def test_post_route_refuses_bodies_it_cannot_read(hostile, rule):
    world = hostile.world
    persona = _doers(rule)[0]
    client = client_as(hostile.app, world, persona)
    url = rule.url(world)
    limit = hostile.app.config["MAX_CONTENT_LENGTH"]
    too_big = client.post(url, data=b"body=" + b"x" * (limit + 10),
                          content_type="application/x-www-form-urlencoded")
    assert too_big.status_code == 413
    assert "too large" in too_big.get_data(as_text=True)
    multipart = (b"--b\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n"
                 b"x\r\n--b--\r\n", "multipart/form-data; boundary=b")
    uploads = getattr(hostile.app.view_functions[rule.endpoint], "upload_limit_setting", None)
    if uploads:
        # A route that takes files reads multipart bodies: one without a file is a form
        # error beside the file field, and a body over its own limit is 413.
        response = client.post(url, data=multipart[0], content_type=multipart[1])
        assert response.status_code == 400 and 'id="file-error"' in response.get_data(
            as_text=True)
        limit = hostile.app.config[uploads] + 64 * 1024
        too_big = client.post(url, data=multipart[0].replace(b"x\r\n", b"x" * limit + b"\r\n"),
                              content_type=multipart[1])
        assert too_big.status_code == 413 and "too large" in too_big.get_data(as_text=True)
    for body, content_type in ((b'{"body": ["x"], "title": 1, "reason": {"a": 1}}',
                                "application/json"),
                               *([] if uploads else [multipart]),
                               (b"body=x", "text/plain")):
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code == 400, f"{content_type} to {url}"
        assert "web form" in response.get_data(as_text=True)


@pytest.mark.parametrize("rule", RULES,
                         ids=lambda r: f"{r.method} {r.endpoint}{r.note and ' ' + r.note}")
def test_head_and_options_never_fail(hostile, rule):
    world = hostile.world
    for persona in ("anonymous", "member", "admin"):
        client = client_as(hostile.app, world, persona)
        for method in ("HEAD", "OPTIONS"):
            response = client.open(rule.url(world), method=method)
            assert response.status_code < 500, f"{persona} {method} {rule.url(world)}"


# --- CSRF: every state change needs the token -----------------------------------------

CSRF_REFUSAL = "The form had expired or was sent from another site."
# RFC 8058 one-click unsubscribe: the signed token in the address is the credential
# (tests/notifications/test_mail.py proves a bad one changes nothing).
CSRF_EXEMPT = {("notifications.unsubscribe", "POST")}


def test_every_state_changing_route_of_the_url_map_is_in_the_csrf_walk(hostile):
    """Each (endpoint, method) other than GET, HEAD and OPTIONS has a rule below."""
    walked = {(r.endpoint, r.method) for r in RULES if r.method != "GET"}
    missing = sorted(f"{method} {rule.rule}" for rule in hostile.app.url_map.iter_rules()
                     for method in rule.methods - {"GET", "HEAD", "OPTIONS"}
                     if (rule.endpoint, method) not in walked)
    assert missing == []


def _token_of_another_session(app) -> str:
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context():
        return generate_csrf()


@pytest.mark.parametrize("rule", [r for r in RULES if r.method != "GET"
                                  and (r.endpoint, r.method) not in CSRF_EXEMPT],
                         ids=lambda r: f"{r.method} {r.endpoint}{r.note and ' ' + r.note}")
def test_post_without_a_valid_csrf_token_is_refused(hostile, rule):
    world = hostile.world
    url = rule.url(world)
    data = rule.data(world) if rule.data else {}
    foreign = _token_of_another_session(hostile.csrf_app)
    for persona in ("anonymous", "member"):
        client = client_as(hostile.csrf_app, world, persona)
        for token in (None, "", SCRIPT, "a\x00b", foreign):
            sent = dict(data) if token is None else dict(data, csrf_token=token)
            response = client.open(url, method=rule.method,
                                   data=urlencode(sent).encode(),
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code == 400, f"{persona} {url} token={token!r}"
            page = response.get_data(as_text=True)
            assert CSRF_REFUSAL in page, f"{persona} {url} token={token!r}: not refused for CSRF"
            assert SCRIPT not in page


# --- headers and the Host header on every page ------------------------------------------

FORGED_HOST = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def _forging_client(app, world, persona):
    """client_as, whose session cookie also goes to the forged host (the test client
    sends a cookie only to the host it was set for)."""
    client = client_as(app, world, persona)
    cookie = client.get_cookie("session")
    if cookie is not None:
        client.set_cookie("session", cookie.value, domain="evil.example")
    return client


def _pages(hostile, rule, headers=None):
    """(label, response) of the rule's page for its viewers and an anonymous visitor."""
    world = hostile.world
    for persona in dict.fromkeys(_viewers(rule) + ["anonymous"]):
        response = _forging_client(hostile.app, world, persona).get(rule.url(world),
                                                                    headers=headers)
        if persona != "anonymous" and response.status_code == 302:
            assert "/auth/login" not in response.location, f"{persona} was not signed in"
        yield f"{persona} {rule.url(world)}", response


def _host_problems(response, label) -> list[str]:
    problems = []
    if "evil.example" in response.headers.get("Location", ""):
        problems.append(f"{label}: redirects to the forged host")
    if "evil.example" in response.get_data().decode("utf-8", "replace"):
        problems.append(f"{label}: shows the forged host")
    return problems


@pytest.mark.parametrize("rule", GET_RULES,
                         ids=lambda r: f"GET {r.endpoint}{r.note and ' ' + r.note}")
def test_every_page_carries_the_security_headers(hostile, rule):
    assert [p for label, response in _pages(hostile, rule)
            for p in header_problems(response, label)] == []


@pytest.mark.parametrize("rule", GET_RULES,
                         ids=lambda r: f"GET {r.endpoint}{r.note and ' ' + r.note}")
def test_a_forged_host_never_changes_a_link(hostile, rule):
    assert [p for label, response in _pages(hostile, rule, FORGED_HOST)
            for p in _host_problems(response, label)] == []


def test_a_forged_host_never_reaches_a_link_or_a_mail_from_any_form(hostile):
    """Every POST route, as someone allowed to use it, with its rule's data and a
    forged Host: no answer and no queued mail names the forged host."""
    from network.extensions import db
    from network.notifications.models import OutboxMail

    world = hostile.fresh()
    problems = []
    # The two mails with links first (the walk below may archive the network).
    reset = _forging_client(hostile.app, world, "anonymous").post(
        "/auth/reset", data={"email": world.users["member"].email}, headers=FORGED_HOST)
    problems += _host_problems(reset, "POST /auth/reset")
    invite = _forging_client(hostile.app, world, "manager").post(
        f"/networks/{world.places['private'].slug}/invitations",
        data={"invitee": "newcomer@example.org"}, headers=FORGED_HOST)
    problems += _host_problems(invite, "POST invitations")
    assert invite.status_code == 302 and "/members" in invite.location
    for rule in POST_RULES:
        client = _forging_client(hostile.app, world, _doers(rule)[0])
        response = client.post(rule.url(world), data=rule.data(world) if rule.data else {},
                               headers=FORGED_HOST)
        problems += _host_problems(response, f"POST {rule.url(world)}")
    with hostile.app.app_context():
        bodies = list(db.session.scalars(db.select(OutboxMail.body)))
    assert len(bodies) >= 2 and all("http://whatworks.test/" in body for body in bodies), \
        "the reset and invitation mail were not both queued, so nothing was proved"
    problems += [f"mail names the forged host: {body[:80]!r}" for body in bodies
                 if "evil.example" in body]
    assert problems == [], "\n".join(problems)


# --- stored hostile text: the XSS corpus in every field shown back ---------------------

from network.core.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS  # noqa: E402
from tests.data.hostile_pages import SHOWN, build_hostile_site, payloads  # noqa: E402

# Where text that core/text.py made into HTML is drawn; inside, only its allowlist.
USER_REGIONS = {"prose", "comment-body"}
_TEMPLATE_TEXT = "\n".join(p.read_text() for p in TEMPLATES.rglob("*.html"))
# Outside those regions a page may hold only what its templates write.
TEMPLATE_TAGS = set(re.findall(r"<([a-z][a-z0-9-]*)[\s>/]", _TEMPLATE_TEXT))
TEMPLATE_ATTRIBUTES = set(re.findall(r"[\s\"'}]([a-z][a-z0-9-]*)=[\"'{]", _TEMPLATE_TEXT)) | {
    "checked", "selected", "disabled", "hidden", "novalidate", "required", "open",
    "multiple", "readonly"} & set(re.findall(r"\b([a-z]+)\b", _TEMPLATE_TEXT))
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset",
                  "xlink:href", "background", "cite", "content"}
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _url_scheme(value: str) -> str | None:
    """The scheme a browser would see (WHATWG URL: C0 controls and spaces trimmed from
    the ends, tabs and newlines removed anywhere); None for a relative URL."""
    value = _TAB_OR_NEWLINE.sub("", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n"
                                                "\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14"
                                                "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e"
                                                "\x1f "))
    match = _URL_SCHEME.match(value)
    return match.group(1).lower() if match else None


class _Allowlist(HTMLParser):
    """Elements, attributes and URLs outside what the page may hold: in a user region
    core/text.py's allowlist, elsewhere the templates' own markup; never an event
    handler, a style attribute, a script or a URL other than http, https, mailto or
    site-relative. ``text`` collects the page's text, to see the payloads arrived."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text, self._stack = [], [], []

    def _in_region(self):
        return any(region for _, region in self._stack)

    def handle_starttag(self, tag, attrs):
        region = self._in_region()
        allowed_tags = ALLOWED_TAGS if region else TEMPLATE_TAGS | ALLOWED_TAGS
        if tag not in allowed_tags or tag in ("script", "style", "iframe", "object", "embed",
                                              "svg", "math", "img", "base"):
            self.problems.append(f"<{tag}> {'in a user region' if region else 'on the page'}")
        for name, value in attrs:
            allowed = ALLOWED_ATTRIBUTES.get(tag, []) if region else TEMPLATE_ATTRIBUTES
            if name not in allowed or name.startswith("on") or name in ("style", "srcdoc"):
                self.problems.append(f"<{tag} {name}=> {'in a user region' if region else ''}")
            if name in URL_ATTRIBUTES and name != "content" or (tag == "meta" and name == "content"):
                scheme = _url_scheme(value or "")
                if scheme is not None and scheme not in ("http", "https", "mailto"):
                    self.problems.append(f"<{tag} {name}={(value or '')[:40]!r}>")
                if (value or "").startswith("//") and tag != "a":
                    self.problems.append(f"<{tag} {name}={value[:40]!r}> (another site)")
        if tag not in self.VOID:
            classes = set((dict(attrs).get("class") or "").split())
            self._stack.append((tag, bool(classes & USER_REGIONS)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        self.text.append(data)


def allowlist_problems(body: str) -> tuple[list[str], str]:
    """(problems, the page's text) for an HTML page."""
    parser = _Allowlist()
    parser.feed(body)
    parser.close()
    return parser.problems, "".join(parser.text)


@pytest.fixture(scope="module")
def hostile_site(hostile):
    _empty_tables(hostile.app)
    site = build_hostile_site(hostile.app)
    yield site
    hostile.fresh()


def test_the_corpus_holds_over_100_payloads_of_every_kind():
    corpus = payloads()
    assert len(corpus) >= 100 and len(set(corpus)) == len(corpus)
    assert [p for p in corpus if not SHOWN.search(p)] == []
    for sign in ("<script", "onerror=", "<svg", "<math", "javascript:", "data:", "vbscript:",
                 "&#", "](", "![", "<javascript:", "\n"):
        assert any(sign in p.lower() for p in corpus), sign


def test_the_allowlist_check_finds_markup_that_would_run():
    """The checker below is not blind: each of these pages would run a payload."""
    for page in ('<div class="prose"><img src=x onerror=alert(1)></div>',
                 '<div class="prose"><a href="java\tscript:alert(1)">x</a></div>',
                 '<div class="prose"><p title="x">x</p></div>',
                 '<p><svg onload=alert(1)></p>', '<a href=" JAVASCRIPT:alert(1)">x</a>',
                 '<div class="comment-body"><a href="data:text/html,x">x</a></div>',
                 '<h1 style="x">t</h1>', "<script>alert(1)</script>"):
        assert allowlist_problems(page)[0], page
    assert allowlist_problems('<div class="prose"><a href="/x" rel="nofollow">x</a>'
                              '<a href="mailto:a@b.example">m</a></div>')[0] == []


def test_no_stored_payload_leaves_the_allowlist_in_any_field(hostile, hostile_site):
    problems = []
    for page in hostile_site.pages:
        client = hostile.app.test_client()
        user = hostile_site.users.get(page.viewer)
        if user is not None:
            session_id = factories.session_id(hostile.app, user)
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = session_id, True
        response = client.get(page.url)
        where = f"{page.viewer} GET {page.url} ({page.label})"
        if response.status_code != 200 or response.mimetype != "text/html":
            problems.append(f"{response.status_code} {response.mimetype} from {where}")
            continue
        found, text = allowlist_problems(response.get_data(as_text=True))
        problems += [f"{problem} on {where}" for problem in dict.fromkeys(found)]
        if not SHOWN.search(text):
            problems.append(f"no payload shown on {where}: the page proves nothing")
    assert problems == [], "\n".join(problems)
