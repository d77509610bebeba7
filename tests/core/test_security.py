"""Headers, safe redirects, error pages and hostile requests."""
import pytest

from network.core.security import safe_next


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https://evil.example", "http:/evil.example",
    "\\\\evil.example", "javascript:alert(1)", "/\r\nSet-Cookie:x", "evil.example",
    " //evil.example", "/\tevil", "",
])
def test_unsafe_next_goes_home(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/networks/", "/members/alice?tab=1", "/articles/x#c-1"])
def test_same_site_next_is_kept(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


def test_html_responses_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user(username="cookie")
    response = client.post("/auth/login", data={"login": "cookie", "password": "correct horse battery"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_hsts_sent(make_app):
    app = make_app(NETWORK_ENV="production")
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
    """No view is exempt from CSRF."""
    from network.extensions import csrf

    assert not csrf._exempt_views and not csrf._exempt_blueprints


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
