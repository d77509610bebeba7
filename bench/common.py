"""What generate.py and run.py share: where the data set is and its marker file."""
import hashlib
import json
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
DEFAULT_DB = BENCH / "bench.db"
DEFAULT_URL = f"sqlite:///{DEFAULT_DB}"
BENCH_PASSWORD = "bench-password-123"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def marker_path(url: str) -> Path:
    """The JSON naming the well-known ids: next to a SQLite file, else in bench/out."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):] + ".json")
    OUT.mkdir(exist_ok=True)
    return OUT / f"marker-{hashlib.sha1(url.encode()).hexdigest()[:10]}.json"


def read_marker(url: str) -> dict:
    path = marker_path(url)
    if not path.exists():
        sys.exit(f"No data set for {url}: run bench/generate.py first (make bench-data).")
    return json.loads(path.read_text())


def write_marker(url: str, marker: dict) -> Path:
    path = marker_path(url)
    path.write_text(json.dumps(marker, indent=2) + "\n")
    return path


def bench_instance() -> Path:
    """An instance folder of the benchmark's own (secret key, cache version file)."""
    path = OUT / "instance"
    path.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NETWORK_INSTANCE_PATH", str(path))
    return path


# ---------------------------------------------------------------- processes and HTTP
# Shared by run.py (throughput), soak.py (concurrent writes) and crash.py (SIGKILL).
import re  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from http.cookiejar import CookieJar  # noqa: E402

HOST = "127.0.0.1"
USER_AGENT = "whatworks-bench"
STARTED: list[subprocess.Popen] = []
CSRF = (re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'),
        re.compile(r'value="([^"]+)"[^>]*name="csrf_token"'))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, chdir: Path, env: dict, worker_class: str = "sync",
                   port: int | None = None, workers: int = 2, wait: float = 30) -> tuple:
    """gunicorn in a session of its own (so its master and workers die together);
    returns (process, base URL) once it answers ``/`` (within ``wait`` seconds: a
    restart under load answers only after the requests queued before it)."""
    port = port or free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
               "--worker-class", worker_class, "--bind", f"{HOST}:{port}",
               "--chdir", str(chdir), "--log-level", "warning", "--timeout", "60"]
    if worker_class == "gthread":
        command += ["--threads", "4"]
    process = subprocess.Popen(command + [app_spec], env=env, start_new_session=True)
    STARTED.append(process)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn for {app_spec} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=max(2, wait / 4)):
                break
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.2)
    else:
        sys.exit(f"gunicorn for {app_spec} did not start in {wait:.0f} s")
    return process, f"http://{HOST}:{port}"


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop a process started in its own session, with all its children."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=5)


def stop_all(*_args) -> None:
    for process in STARTED:
        stop(process)
    if _args:  # called as a signal handler
        sys.exit(130)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(follow_redirects: bool = True) -> urllib.request.OpenerDirector:
    """A browser-like client of its own: a cookie jar, and (if asked) redirects not
    followed, so a POST's 302 is seen as the answer it is."""
    handlers = [urllib.request.HTTPCookieProcessor(CookieJar())]
    if not follow_redirects:
        handlers.append(_NoRedirect())
    client = urllib.request.build_opener(*handlers)
    client.addheaders = [("User-Agent", USER_AGENT)]  # as wrk.lua sends
    return client


def csrf_token(page: str) -> str | None:
    for pattern in CSRF:
        found = pattern.search(page)
        if found:
            return found.group(1)
    return None


def sign_in(base: str, username: str, password: str, client=None):
    """Sign in over HTTP like a browser (CSRF token from the form). Returns the
    client (its jar holds the session) or exits if signing in failed."""
    client = client or opener()
    page = client.open(f"{base}/auth/login", timeout=30).read().decode()
    token = csrf_token(page)
    if token is None:
        sys.exit("No CSRF token on the sign-in form.")
    data = urllib.parse.urlencode({"csrf_token": token, "login": username,
                                   "password": password, "next": ""}).encode()
    try:
        response = client.open(f"{base}/auth/login", data=data, timeout=60)
        status = response.status
    except urllib.error.HTTPError as error:  # a client that does not follow redirects
        status = error.code
    client.open(f"{base}/", timeout=30).read()  # shows (and so clears) the welcome message
    page = client.open(f"{base}/", timeout=30).read().decode()
    if "Sign out" not in page:
        sys.exit(f"Signing in as {username} failed (status {status}).")
    return client


def cookie_header(client) -> str:
    jar = next(h.cookiejar for h in client.handlers
               if isinstance(h, urllib.request.HTTPCookieProcessor))
    return "; ".join(f"{c.name}={c.value}" for c in jar)
