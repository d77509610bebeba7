"""Concurrency benchmark: many members writing at once, then proof nothing was lost.

    python bench/soak.py [--database-url URL] [--duration 60] [--clients 50] [--readers 10]

gunicorn with 2 sync workers on loopback, rate limits off (RATELIMIT_ENABLED=0).
``--clients`` members, each signed in over HTTP with the CSRF token, post replies,
comments on articles, flags and joins of open networks for ``--duration`` seconds
while ``--readers`` anonymous readers load pages. Each reply, comment and flag
carries a unique token in its text; a write is *acknowledged* when the app
answered it with its success redirect (302; for a join, the "You have joined"
message on the page it leads to). Afterwards:

- every acknowledged write is stored exactly once, and no token is stored twice;
- ``flask recount`` (network/commands.py) corrects zero rows (no counter drift).

Reports requests by kind with their 5xx, other refusals, p50 and p99. Exits
non-zero on any 5xx, connection error, lost or duplicated write, or drift.

Without ``--database-url`` a small data set (bench/generate.py --size small) is
generated into a temporary SQLite file, removed afterwards. With a PostgreSQL URL
give a database of its own, e.g. ``createdb soak_1``: the small data set is
generated into it (``--reset`` drops this app's tables there first).
"""
import argparse
import http.client
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BENCH, BENCH_PASSWORD, ROOT, bench_instance, csrf_token,  # noqa: E402
                    opener, read_marker, sign_in, start_gunicorn, stop_all)

KINDS = {"reply": 35, "comment": 25, "flag": 25, "join": 15}
TIMEOUT = 60  # seconds, as gunicorn's worker timeout
FLAG_POOL = 60  # posts flagged by many clients, so some are hidden by three flags
HOT = 0.5  # the share of replies and comments sent to the same 3 threads or articles


# ---------------------------------------------------------------- set-up

def parse_args(argv=None, description=__doc__):
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a small data set in a temporary SQLite file")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="members writing at once")
    parser.add_argument("--readers", type=int, default=10, help="anonymous readers at once")
    parser.add_argument("--reset", action="store_true",
                        help="drop this app's tables in --database-url before generating")
    args = parser.parse_args(argv)
    if not 5 <= args.duration <= 600 or not 1 <= args.clients <= 200 or not 0 <= args.readers <= 100:
        parser.error("--duration must be 5..600 s, --clients 1..200 and --readers 0..100")
    return args


def generate(url: str, reset: bool = False) -> dict:
    command = [sys.executable, str(BENCH / "generate.py"), "--size", "small", "--database-url", url]
    subprocess.run(command + (["--reset"] if reset else []), check=True,
                   env=dict(os.environ, RATELIMIT_ENABLED="0"))
    return read_marker(url)


def app_env(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, RATELIMIT_ENABLED="0", CACHE_ENABLED="1",
                NETWORK_INSTANCE_PATH=str(bench_instance()), NETWORK_ENV="development")


def engine_for(url: str):
    from sqlalchemy import create_engine

    from network.config import database_url

    return create_engine(database_url(url, str(bench_instance())))


def plan(url: str, clients: int) -> list[dict]:
    """Who writes where, from the data set: each client a plain member with the
    threads of open networks they belong to, open networks to join, live articles
    and a shared pool of other people's posts to flag."""
    from sqlalchemy import text

    engine = engine_for(url)
    with engine.connect() as conn:
        rows = lambda sql, **kw: conn.execute(text(sql), kw).all()  # noqa: E731
        people = rows("""SELECT id, username FROM "user" WHERE role = 'member' AND id > 10
                         AND silenced_reason = '' AND suspended_reason = '' ORDER BY id LIMIT :n""",
                      n=clients)
        open_networks = [n for (n,) in rows(
            "SELECT id FROM network WHERE visibility = 'open' AND archived_at IS NULL")]
        network_slug = dict(rows("SELECT id, slug FROM network"))
        threads = defaultdict(list)
        for tid, nid in rows("""SELECT t.id, t.network_id FROM thread t JOIN network n
                                ON n.id = t.network_id WHERE n.visibility = 'open'
                                AND n.archived_at IS NULL AND t.status = 'visible'
                                AND NOT t.locked"""):
            threads[nid].append(tid)
        member_of = defaultdict(set)
        for uid, nid in rows("SELECT user_id, network_id FROM membership"):
            member_of[uid].add(nid)
        articles = [slug for (slug,) in rows(
            """SELECT a.slug FROM article a LEFT JOIN network n ON n.id = a.network_id
               WHERE a.status = 'published' AND a.published_at <= CURRENT_TIMESTAMP
               AND a.comments_open AND (a.network_id IS NULL OR
               (n.visibility = 'open' AND n.archived_at IS NULL)) ORDER BY a.id LIMIT 200""")]
        flaggable = rows("""SELECT p.id, p.author_id FROM post p JOIN thread t ON t.id = p.thread_id
                            JOIN network n ON n.id = t.network_id WHERE n.visibility = 'open'
                            AND t.status = 'visible' AND p.status = 'visible' AND p.number > 1
                            ORDER BY p.id LIMIT :n""", n=FLAG_POOL)
    engine.dispose()
    if len(people) < clients:
        sys.exit(f"The data set has only {len(people)} plain members for {clients} clients.")
    plans = []
    for uid, username in people:
        joined = [n for n in open_networks if n in member_of[uid]]
        plans.append({
            "user_id": uid, "username": username,
            # Lowest ids first: clients in the same networks share their first threads.
            "threads": sorted(t for n in joined for t in threads[n])[:200],
            "to_join": [(n, network_slug[n]) for n in open_networks if n not in member_of[uid]],
            "articles": articles,
            "posts_to_flag": [p for p, author in flaggable if author != uid],
        })
    return plans


def reader_paths(marker: dict, plans: list[dict]) -> list[str]:
    threads = sorted({t for p in plans for t in p["threads"]})[:50]
    return (["/", "/networks/", "/articles/", f"/networks/{marker['open_network_slug']}/",
             f"/networks/{marker['open_network_slug']}/threads/", f"/members/{marker['profile_username']}"]
            + [f"/threads/{t}" for t in threads]
            + [f"/articles/{slug}" for slug in plans[0]["articles"][:30]])


# ---------------------------------------------------------------- load

class Load:
    """Writers and readers in threads until ``stop()``; every answer is recorded as
    (kind, status, seconds, time). ``status`` 0 is a connection error or timeout."""

    def __init__(self, base: str, plans: list[dict], paths: list[str], readers: int, run_id: str):
        self.base, self.plans, self.paths, self.readers, self.run_id = base, plans, paths, readers, run_id
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.results: list[tuple] = []
        self.acked: dict[str, list] = defaultdict(list)  # kind -> [(token or (user, network), time)]
        self.sent: dict[str, list] = defaultdict(list)
        self.threads: list[threading.Thread] = []

    def sign_in_all(self) -> None:
        def one(p):
            try:
                signed_in(p)
            except (SystemExit, OSError) as error:  # a 5xx at sign-in is a finding too
                p["error"] = str(error)

        def signed_in(p):
            client = sign_in(self.base, p["username"], BENCH_PASSWORD, opener(follow_redirects=False))
            # The comment form of an article carries the token (Flask-WTF's is one per session).
            page = client.open(f"{self.base}/articles/{p['articles'][0]}", timeout=TIMEOUT)
            p["client"], p["csrf"] = client, csrf_token(page.read().decode())
        workers = [threading.Thread(target=one, args=(p,)) for p in self.plans]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        failed = [f"{p['username']}: {p.get('error', 'no CSRF token')}"
                  for p in self.plans if not p.get("csrf")]
        if failed:
            sys.exit(f"FAIL: {len(failed)} of {len(self.plans)} sign-ins failed: {failed[:3]}")

    def start(self) -> None:
        for number, p in enumerate(self.plans):
            self.threads.append(threading.Thread(target=self._writer, args=(number, p), daemon=True))
        for number in range(self.readers):
            self.threads.append(threading.Thread(target=self._reader, args=(number,), daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 5)

    def _record(self, kind, status, started):
        with self.lock:
            self.results.append((kind, status, time.monotonic() - started, time.monotonic()))

    def _request(self, client, path, data=None):
        """(status, body, Location) of one request; status 0 on a connection error."""
        try:
            response = client.open(self.base + path, data=data, timeout=TIMEOUT)
            return response.status, response.read().decode(errors="replace"), ""
        except urllib.error.HTTPError as error:  # 3xx (redirects are not followed), 4xx, 5xx
            try:
                body = error.read().decode(errors="replace")
            except (OSError, http.client.HTTPException):  # the answer came; its body was cut
                body = ""
            return error.code, body, error.headers.get("Location", "")
        except (OSError, http.client.HTTPException):
            return 0, "", ""

    def _reader(self, number):
        rng = random.Random(number)
        client = opener()
        while not self.done.is_set():
            started = time.monotonic()
            status, _, _ = self._request(client, rng.choice(self.paths))
            self._record("read", status, started)
            if status == 0:
                time.sleep(0.2)

    def _writer(self, number, p):
        rng = random.Random(1000 + number)
        sequence = 0
        while not self.done.is_set():
            kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
            sequence += 1
            token = f"soak-{self.run_id}-{number}-{sequence}"
            form, path, key = {"csrf_token": p["csrf"]}, None, token
            hot = rng.random() < HOT  # the same few threads and articles for everyone
            if kind == "reply" and p["threads"]:
                path = f"/threads/{rng.choice(p['threads'][:3] if hot else p['threads'])}/reply"
                form["body"] = f"A reply from the soak test ({token}). It worked for us too."
            elif kind == "comment" and p["articles"]:
                path = f"/articles/{rng.choice(p['articles'][:3] if hot else p['articles'])}/comments"
                form["body"] = f"A comment from the soak test ({token})."
            elif kind == "flag" and p["posts_to_flag"]:
                post = p["posts_to_flag"].pop(rng.randrange(len(p["posts_to_flag"])))
                path = f"/posts/{post}/flag"
                form.update(reason="off_topic", note=f"Flagged by the soak test ({token}).")
            elif kind == "join" and p["to_join"]:
                network_id, slug = p["to_join"].pop(0)
                path, key = f"/networks/{slug}/join", (p["user_id"], network_id)
            if path is None:
                continue
            with self.lock:
                self.sent[kind].append(key)
            started = time.monotonic()
            status, _, location = self._request(p["client"], path, urllib.parse.urlencode(form).encode())
            self._record(kind, status, started)
            acked = status == 302
            if acked and kind == "join":  # a refused join also goes back to the network
                read_started = time.monotonic()
                page_status, page, _ = self._request(p["client"], urllib.parse.urlparse(location).path)
                self._record("read", page_status, read_started)
                acked = "You have joined" in page
            if acked:
                with self.lock:
                    self.acked[kind].append((key, time.monotonic()))
            elif status == 0:
                time.sleep(0.2)

    def progress(self, seconds: float, every: float = 5.0, on_tick=None) -> None:
        """Print a line every ``every`` seconds until ``seconds`` have passed."""
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < seconds:
            time.sleep(min(every, seconds - elapsed))
            if on_tick:
                on_tick(time.monotonic() - started)
            with self.lock:
                total = len(self.results)
                errors = sum(1 for r in self.results if r[1] >= 500 or r[1] == 0)
                acked = sum(len(v) for v in self.acked.values())
            print(f"  {time.monotonic() - started:5.0f} s  {total:6d} requests  {acked:5d} writes "
                  f"acknowledged  {errors} 5xx/errors", flush=True)


# ---------------------------------------------------------------- checks

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(results: list[tuple], seconds: float) -> tuple[str, int, int]:
    """The table of requests by kind; returns (text, 5xx, connection errors)."""
    lines = [f"{'kind':<8} {'requests':>8} {'2xx/3xx':>8} {'4xx':>5} {'5xx':>5} {'errors':>6} "
             f"{'p50 ms':>7} {'p99 ms':>7}"]
    by_kind = defaultdict(list)
    for kind, status, took, _ in results:
        by_kind[kind].append((status, took))
    for kind in ["read"] + list(KINDS) + ["all"]:
        rows = [r for k in by_kind for r in by_kind[k]] if kind == "all" else by_kind.get(kind, [])
        codes = Counter(s // 100 for s, _ in rows)
        took = [t * 1000 for s, t in rows if s]
        lines.append(f"{kind:<8} {len(rows):>8} {codes[2] + codes[3]:>8} {codes[4]:>5} {codes[5]:>5} "
                     f"{codes[0]:>6} {percentile(took, 0.5):>7.0f} {percentile(took, 0.99):>7.0f}")
    total = Counter(s // 100 for _, s, _, _ in results)
    lines.append(f"{len(results) / seconds:.0f} requests per second over {seconds:.0f} s")
    return "\n".join(lines), total[5], total[0]


def stored_writes(url: str, run_id: str, joins: list) -> dict[str, Counter]:
    """How often each token (and each acknowledged join) is stored."""
    from sqlalchemy import text

    pattern = re.compile(rf"soak-{run_id}-\d+-\d+")
    found = {}
    engine = engine_for(url)
    with engine.connect() as conn:
        for kind, sql in (("reply", "SELECT body FROM post WHERE body LIKE :like"),
                          ("comment", "SELECT body FROM comment WHERE body LIKE :like"),
                          ("flag", "SELECT note FROM flag WHERE note LIKE :like")):
            found[kind] = Counter(m for (value,) in conn.execute(text(sql), {"like": f"%soak-{run_id}-%"})
                                  for m in pattern.findall(value))
        users = sorted({u for u, _ in joins}) or [0]
        found["join"] = Counter(
            (u, n) for u, n in conn.execute(
                text("SELECT user_id, network_id FROM membership WHERE user_id IN "
                     f"({','.join(str(int(u)) for u in users)})")))
    engine.dispose()
    return found


def check_writes(url: str, load: Load, before: float | None = None) -> tuple[list[str], int]:
    """Lines on acknowledged writes (all, or those acknowledged before ``before``)
    and the number of problems (lost or duplicated)."""
    stored = stored_writes(url, load.run_id, [k for k, _ in load.acked["join"]])
    lines, problems = [], 0
    for kind in KINDS:
        acked = [key for key, at in load.acked[kind] if before is None or at < before]
        lost = [key for key in acked if stored[kind][key] == 0]
        sent = set(load.sent[kind])
        duplicated = [key for key, n in stored[kind].items() if n > 1 and key in sent]
        extra = len({k for k in stored[kind] if k in sent} - {k for k, _ in load.acked[kind]})
        problems += len(lost) + len(duplicated)
        lines.append(f"{kind:<8} {len(acked):>6} acknowledged, {len(lost)} lost, {len(duplicated)} "
                     f"stored twice; {extra} unacknowledged but stored"
                     + (f"  e.g. lost {lost[:3]} twice {duplicated[:3]}" if lost or duplicated else ""))
    return lines, problems


def recount(url: str) -> tuple[int, str]:
    """``flask recount``: the rows it corrected (the drift) and its output."""
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "network", "recount"],
                            env=app_env(url), cwd=ROOT, capture_output=True, text=True, timeout=600)
    found = re.search(r"Drift: (\d+) rows", result.stdout)
    if result.returncode or not found:
        sys.exit(f"flask recount failed: {result.stdout}{result.stderr}")
    detail = ", ".join(line.split(" row")[0] for line in result.stdout.splitlines()
                       if ":" in line and not line.startswith(("Drift", "0 ")) and not line.endswith(": 0 rows corrected"))
    return int(found.group(1)), detail


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_all)
    with tempfile.TemporaryDirectory(prefix="wwn-soak-") as scratch:
        url = args.database_url or f"sqlite:///{scratch}/soak.db"
        print(f"Generating the small data set in {url}")
        marker = generate(url, args.reset)
        baseline, _ = recount(url)
        plans = plan(url, args.clients)
        process, base = start_gunicorn("wsgi:app", ROOT, app_env(url))
        load = Load(base, plans, reader_paths(marker, plans), args.readers, secrets.token_hex(3))
        print(f"Signing in {args.clients} members at {base} ...", flush=True)
        load.sign_in_all()
        print(f"{args.clients} writers and {args.readers} readers for {args.duration} s "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)
        started = time.monotonic()
        load.start()
        try:
            load.progress(args.duration)
        finally:
            load.stop()
            stop_all()
        table, server_errors, connection_errors = report(load.results, time.monotonic() - started)
        lines, problems = check_writes(url, load)
        drift, detail = recount(url)
    print(f"\npython bench/soak.py{' --database-url ' + args.database_url if args.database_url else ''} "
          f"--duration {args.duration} --clients {args.clients} --readers {args.readers}")
    print(f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}, gunicorn 2 sync workers, "
          f"load average {os.getloadavg()[0]:.1f} after\n")
    print(table + "\n")
    print("\n".join(lines))
    print(f"flask recount before the load: {baseline} rows; after: {drift} rows corrected"
          + (f" ({detail})" if detail else ""))
    failures = [f"{server_errors} 5xx"] * bool(server_errors) + \
        [f"{connection_errors} connection errors"] * bool(connection_errors) + \
        [f"{problems} lost or duplicated writes"] * bool(problems) + [f"drift {drift}"] * bool(drift)
    print("FAIL: " + ", ".join(failures) if failures else "PASS: no 5xx, no lost or duplicated write, no drift")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
