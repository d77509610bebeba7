"""Headers, safe redirects, error pages and hostile requests."""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from network.core.security import safe_next

REQUIRED_CSP = ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                "frame-ancestors 'none'")


def header_problems(response, label: str = "") -> list[str]:
    """What is missing from the security headers every response must carry
    (also used by the route walk in tests/test_hostile_input.py)."""
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    # A file download allows nothing at all (default-src 'none'): stricter than 'self'.
    required = [d for d in REQUIRED_CSP
                if not (d == "default-src 'self'" and "default-src 'none'" in csp)]
    problems += [f"{label}: CSP lacks {d}" for d in required if d not in csp]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{label}: CSP allows unsafe code")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{label}: no nosniff")
    if response.headers.get("Referrer-Policy") not in ("strict-origin-when-cross-origin",
                                                        "same-origin", "no-referrer"):
        problems.append(f"{label}: referrer policy {response.headers.get('Referrer-Policy')!r}")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{label}: may be framed")
    return problems


# Values as the view receives them (the query string already decoded once).
UNSAFE_NEXT = [
    "//evil.example", "/\\evil.example", "https://evil.example", "http:/evil.example",
    "\\\\evil.example", "javascript:alert(1)", "/\r\nSet-Cookie:x", "evil.example",
    " //evil.example", "/\tevil", "", "https:evil.example", "HTTPS://evil.example",
    "\\/evil.example", "/\\/evil.example", "//evil.example/%2F..", "\t//evil.example",
    "%2F%2Fevil.example", "%2f%5cevil.example", "\u3000//evil.example", "／／evil.example",
    "java\nscript:alert(1)", "data:text/html,x", "//evil.example@whatworks.test",
    "///evil.example", "/" + "a" * 2001,
]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_unsafe_next_goes_home(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/networks/", "/members/alice?tab=1", "/articles/x#c-1"])
def test_same_site_next_is_kept(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


# Raw query strings: encoded forms a browser or Werkzeug decodes before the check.
ENCODED_NEXT = ["%2F%2Fevil.example", "%2F%5Cevil.example", "%5C%5Cevil.example",
                "%09%2F%2Fevil.example", "%2F%09%2Fevil.example", "https%3Aevil.example",
                "https%3A%2F%2Fevil.example", "%252F%252Fevil.example", "%E3%80%80%2F%2Fevil.example",
                "%2F%2F%65vil.example", "java%0Ascript%3Aalert(1)", "%2F%00%2Fevil.example",
                "%2F%2Fevil.example&next=%2Fterms", "%2Fterms&next=%2F%2Fevil.example"]


def _stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (parts.netloc in ("", "localhost") and "evil" not in location
            and not location.startswith(("//", "/\\")) and "\\" not in location)


@pytest.mark.parametrize("raw", ENCODED_NEXT)
def test_next_never_leaves_the_site_when_signed_in(app, make_user, login, raw):
    client = login(app.test_client(), make_user())
    response = client.get(f"/auth/login?next={raw}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert _stays_on_site(response.location), response.location


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_next_never_leaves_the_site_after_signing_in(client, make_user, target):
    user = make_user()
    form = client.get("/auth/login?next=" + target.replace("%", "%25").replace("&", "%26")
                      .replace("#", "%23").replace("+", "%2B").replace("\x00", "%00"))
    assert form.status_code in (200, 400)
    response = client.post("/auth/login", data={"login": user.username,
                                                "password": "correct horse battery",
                                                "next": target})
    assert response.status_code == 302 and _stays_on_site(response.location), response.location


def test_sign_in_link_carries_next_as_a_path_only(app, make_user):
    """Flask-Login's redirect to sign in names the page asked for, as a path."""
    response = app.test_client().get("/settings/profile", headers={"Host": "evil.example"})
    assert response.status_code == 302
    nxt = re.search(r"next=([^&]+)", response.location).group(1)
    assert "evil" not in nxt and nxt.startswith("%2F")


def test_html_responses_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_every_kind_of_response_carries_the_security_headers(make_app, make_user, login):
    """Pages, redirects, error pages (HTML and JSON), CSRF refusals, too-large bodies,
    rate-limit refusals, server errors, feeds, health checks and static files."""
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=True, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    responses = {
        "page": client.get("/"),
        "redirect": client.get("/settings/profile"),
        "404": client.get("/no-such-page"),
        "404 json": client.get("/no-such-page", headers={"Accept": "application/json"}),
        "405": client.get("/auth/logout"),
        "csrf 400": client.post("/auth/login", data={"login": "x", "password": "y"}),
        "413": client.post("/auth/login", data={"login": "x" * (2 * 1024 * 1024)}),
        "500": client.get("/boom"),
        "feed": client.get("/articles/feed.atom"),
        "healthz": client.get("/healthz"),
        "static": client.get("/static/css/" + sorted((Path(app.static_folder) / "css").iterdir())[0].name),
    }
    limited = make_app(RATELIMIT_ENABLED=True)  # CSRF off, so the limit itself answers
    for _ in range(31):
        refused = limited.test_client().post("/auth/login", data={"login": "x", "password": "y"})
    responses["429"] = refused
    assert refused.status_code == 429
    problems = [p for label, response in responses.items() for p in header_problems(response, label)]
    assert problems == []
    assert responses["static"].status_code == 200 and responses["500"].status_code == 500


def test_a_cached_page_keeps_the_security_headers(cached_app):
    client = cached_app().test_client()
    client.get("/")
    hit = client.get("/")
    assert hit.headers.get("X-Cache") == "hit"
    assert header_problems(hit, "cache hit") == []


def test_production_cookies_are_secure_httponly_and_lax(make_app, make_user):
    app = make_app(NETWORK_ENV="production", SINGLE_SERVER=True)
    make_user(username="prod")
    response = app.test_client().post("/auth/login", data={
        "login": "prod", "password": "correct horse battery", "remember": "y"})
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for name, cookie in cookies.items():
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, name


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user(username="cookie")
    response = client.post("/auth/login", data={"login": "cookie", "password": "correct horse battery"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_hsts_sent(make_app):
    app = make_app(NETWORK_ENV="production", SINGLE_SERVER=True)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    from network.config import ConfigError, from_environment

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        from_environment(str(tmp_path), {"NETWORK_ENV": "production"})


@pytest.mark.parametrize("status,url,method", [
    (404, "/no-such-page", "get"),
    (405, "/auth/logout", "get"),
])
def test_error_pages_are_friendly(client, status, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert b"<h1>" in response.data and b"Traceback" not in response.data


def test_errors_answer_json_when_asked(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_oversized_request_is_413(client):
    response = client.post("/auth/login", data={"login": "x" * (2 * 1024 * 1024), "password": "y"})
    assert response.status_code == 413
    assert b"too large" in response.data


@pytest.mark.parametrize("body, content_type", [
    (b'{"login": {"a": 1}, "password": ["x"]}', "application/json"),
    (b'--b\r\nContent-Disposition: form-data; name="login"\r\n\r\nx\r\n--b--\r\n',
     "multipart/form-data; boundary=b"),
    (b"login=x", "text/plain"),
])
def test_a_body_that_is_not_a_web_form_is_400(client, body, content_type):
    """Flask-WTF reads JSON as form data: a dict where text was expected was a 500."""
    response = client.post("/auth/login", data=body, content_type=content_type)
    assert response.status_code == 400
    assert b"was not a web form" in response.data


def test_nul_byte_in_url_is_400_not_500(client):
    assert client.get("/members/abc%00def").status_code == 400
    assert client.get("/?q=%00").status_code == 400


def test_huge_id_is_404(app, make_user, login):
    admin = make_user(role="admin")
    client = login(app.test_client(), admin)
    assert client.get("/admin/users/99999999999999999999").status_code == 404


def test_server_error_shows_a_reference_and_no_trace(make_app):
    app = make_app()

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Reference" in response.data
    assert b"secret detail" not in response.data and b"Traceback" not in response.data


def test_post_without_csrf_token_is_refused(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user(username="csrf")
    response = app.test_client().post("/auth/login", data={"login": "csrf", "password": "correct horse battery"})
    assert response.status_code == 400
    assert b"form had expired" in response.data


def test_every_post_route_is_csrf_protected(app):
    """No view is exempt from CSRF but the one-click unsubscribe (RFC 8058: the
    mail client's POST carries the signed token as its only credential)."""
    from network.extensions import csrf

    assert csrf._exempt_views == {"network.notifications.views.unsubscribe"}
    assert not csrf._exempt_blueprints


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_tokens_never_reach_the_logs():
    from network.core.security import redact_path

    assert redact_path("GET /auth/reset/abc123-secret HTTP/1.1") == "GET /auth/reset/[redacted] HTTP/1.1"
    assert redact_path("/networks/x/invitations/tok?x=1") == "/networks/x/invitations/[redacted]?x=1"
    assert redact_path("/networks/x/") == "/networks/x/"


def test_gunicorn_access_log_redacts_reset_tokens():
    import importlib.util
    import pathlib
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", pathlib.Path(__file__).resolve().parents[2] / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    from gunicorn.config import Config

    logger = conf.RedactingLogger(Config())
    req = SimpleNamespace(method="GET", path="/auth/reset/topsecret", query="", uri="/auth/reset/topsecret",
                          version=(1, 1), headers=[])
    resp = SimpleNamespace(status="200 OK", sent=10, response_length=10, headers=[])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/auth/reset/topsecret", "PATH_INFO": "/auth/reset/topsecret",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    atoms = logger.atoms(resp, req, environ, __import__("datetime").timedelta(seconds=0.01))
    assert "topsecret" not in atoms["r"] and "topsecret" not in atoms["U"]
