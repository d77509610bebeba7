"""The production files in deploy/ are checked with the tools that will read them."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
UNITS = sorted((DEPLOY / "systemd").glob("network*.*"))
ENV = {**os.environ, "SECRET_KEY": "x", "NETWORK_ENV": "production", "SINGLE_SERVER": "1",
       "NETWORK_INSTANCE_PATH": "", "DATABASE_URL": "sqlite://"}


def _here(text: str) -> str:
    """A unit as it would be on a server laid out as docs/deploy.md says, moved here."""
    return text.replace("/srv/network/venv/bin", str(BIN)).replace("/srv/network/app", str(ROOT))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    for unit in UNITS:
        (tmp_path / unit.name).write_text(_here(unit.read_text()))
    result = subprocess.run(["systemd-analyze", "verify", *sorted(map(str, tmp_path.iterdir()))],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "network" not in result.stderr, result.stderr


def test_every_timer_has_its_service_and_every_command_exists(tmp_path):
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert timer.with_suffix(".service").exists(), timer.name
    commands = set()
    for unit in UNITS:
        commands |= set(re.findall(r"flask --app network ([a-z -]+?)(?: --\w+)?$",
                                   unit.read_text(), re.M))
    assert commands >= {"mail send", "notifications digest", "retention",
                        "articles announce-due"}
    for command in commands:
        result = subprocess.run([str(BIN / "flask"), "--app", "network", *command.split(), "--help"],
                                capture_output=True, text=True, cwd=tmp_path,
                                env={**ENV, "NETWORK_INSTANCE_PATH": str(tmp_path)})
        assert result.returncode == 0, (command, result.stderr)


def test_gunicorn_settings_load_and_keep_the_redacting_logger(tmp_path):
    result = subprocess.run([str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"),
                             "--print-config", "wsgi:app"], capture_output=True, text=True,
                            cwd=ROOT, env={**ENV, "NETWORK_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert re.search(r"logger_class\s*=\s*.*RedactingLogger", result.stdout)
    assert re.search(r"bind\s*=\s*\['127\.0\.0\.1:8000'\]", result.stdout)


def test_gunicorn_access_log_shows_the_client_address_nginx_forwarded(tmp_path):
    """A real gunicorn with deploy/gunicorn.conf.py, a real request from "nginx"."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {**ENV, "NETWORK_INSTANCE_PATH": str(tmp_path), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    with log.open("w") as out:
        server = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"),
                                   "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/static/img/favicon.svg",
                                         headers={"X-Forwarded-For": "198.51.100.23"})
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(log.read_text())
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [line for line in log.read_text().splitlines() if "favicon.svg" in line]
    assert lines and lines[0].startswith("198.51.100.23 "), log.read_text()


def test_nginx_refuses_bodies_the_app_refuses_and_replaces_forwarded_for(app):
    site = (DEPLOY / "nginx-network.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", site)
    assert size and int(size.group(1)) * 1024 * 1024 == app.config["MAX_CONTENT_LENGTH"]
    # one trusted hop: nginx sets the header to the address it saw, never appends
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site
    assert re.search(r"location /static/ \{[^}]*alias /srv/network/app/static/;[^}]*expires", site)


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx not installed")
def test_nginx_site_passes_nginx_t(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=t",
                    "-keyout", str(key), "-out", str(cert), "-days", "1"], check=True,
                   capture_output=True)
    site = (DEPLOY / "nginx-network.conf").read_text()
    site = re.sub(r"ssl_certificate\s+(\S+);", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+(\S+);", f"ssl_certificate_key {key};", site)
    site = site.replace("listen 80;", "listen 127.0.0.1:18080;").replace(
        "listen 443 ssl http2;", "listen 127.0.0.1:18443 ssl http2;").replace(
        "listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp_path}/site.conf; }}\n")
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
