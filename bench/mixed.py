"""Mixed traffic for ``run.py --traffic mixed``: many different pages, and people posting.

The single-page mode asks for one page over and over, the best case for any cache.
Here readers spread over the whole data set:

- the **universe**: every page an anonymous visitor may read (so the same list
  serves the signed-in runs): the hub pages, every page of every visible thread in
  an open network (later pages too), its network's thread lists, open and closed
  networks' home pages, live articles and the article list's pages, every
  profile, the practice library and its published practices (none are generated
  yet, so usually only the library);
- the **stream**: a sample of ``sample`` distinct pages drawn from the universe
  with a Zipf-like skew (the page of rank *k*, in a shuffled order with the hub
  pages first, has weight ``1 / k ** skew``), then 400,000 paths drawn from the
  sample with the same weights; wrk walks it (mixed.lua), each run going on where
  the previous one stopped, so the warm-up fills the caches the way earlier
  traffic would and the measured run asks for pages in the same proportions,
  never a replay;
- the **writers**: ``writers`` members, each signed in over HTTP, send replies to
  threads of their open networks, comments on live articles and joins of open
  networks, together at ``rate`` writes a second; each reply and comment carries a
  unique token, and after the runs every acknowledged write (the app's success
  redirect; for a join the "You have joined" message) is looked up in the
  database: a lost one fails the run.
"""
from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH  # noqa: E402

POSTS_PER_PAGE = 25  # network/forum/services.py
THREADS_PER_PAGE = 30
ARTICLES_PER_PAGE = 20
HUBS = ("/", "/networks/", "/articles/", "/practices/")
WRITE_KINDS = {"reply": 60, "comment": 30, "join": 10}


# ---------------------------------------------------------------- the universe and the stream

def universe(conn) -> list[str]:
    """Every page of the data set an anonymous visitor may read, hub pages first."""
    from sqlalchemy import text

    rows = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
    pages: list[str] = []
    for thread_id, highest in rows(
            """SELECT t.id, max(p.number) FROM thread t JOIN network n ON n.id = t.network_id
               JOIN post p ON p.thread_id = t.id WHERE n.visibility = 'open'
               AND n.archived_at IS NULL AND t.status = 'visible' GROUP BY t.id"""):
        pages.append(f"/threads/{thread_id}")
        pages += [f"/threads/{thread_id}?page={n}"
                  for n in range(2, (highest - 1) // POSTS_PER_PAGE + 2)]
    for slug, visibility, threads in rows(
            """SELECT n.slug, n.visibility, (SELECT count(*) FROM thread t WHERE
               t.network_id = n.id AND t.status = 'visible') FROM network n
               WHERE n.visibility IN ('open', 'closed') AND n.archived_at IS NULL"""):
        pages.append(f"/networks/{slug}/")
        if visibility == "open":
            pages.append(f"/networks/{slug}/threads/")
            pages += [f"/networks/{slug}/threads/?page={n}"
                      for n in range(2, min(5, (threads - 1) // THREADS_PER_PAGE + 1) + 1)]
    articles = rows("""SELECT a.slug FROM article a LEFT JOIN network n ON n.id = a.network_id
                       WHERE a.status = 'published' AND a.published_at <= CURRENT_TIMESTAMP
                       AND (a.network_id IS NULL OR n.visibility = 'open')""")
    pages += [f"/articles/{slug}" for (slug,) in articles]
    pages += [f"/articles/?page={n}" for n in range(2, min(10, len(articles) // ARTICLES_PER_PAGE) + 1)]
    pages += [f"/members/{urllib.parse.quote(name)}" for (name,) in rows(
        """SELECT username FROM "user" WHERE suspended_reason = ''""")]
    try:
        pages += [f"/practices/{slug}" for (slug,) in rows(
            """SELECT p.slug FROM practice p LEFT JOIN network n ON n.id = p.network_id
               WHERE p.status = 'published' AND (p.network_id IS NULL OR n.visibility = 'open')""")]
    except Exception:  # noqa: BLE001 - a data set from before practices existed
        conn.rollback()
    rest = sorted(set(pages) - set(HUBS))
    return list(HUBS) + rest


def draw(pages: list[str], distinct: int, skew: float = 0.9, seed: int = 2016,
         length: int = 400_000) -> list[str]:
    """A stream of ``length`` paths over a sample of ``distinct`` pages, both with
    a Zipf-like skew. The hub pages keep the top ranks; the rest are ranked in a
    shuffled order, so popularity is not tied to ids. The sample is the first
    ``distinct`` different pages drawn from all of them (so it leans to the popular
    ones, with a long tail); the stream then draws from the sample alone, with the
    same weights, so however long a run walks it, it asks for no other page."""
    if distinct > len(pages):
        raise ValueError(f"the data set has only {len(pages)} pages for a sample of {distinct}")
    rng = random.Random(seed)
    hubs = [p for p in pages if p in HUBS]
    rest = [p for p in pages if p not in HUBS]
    rng.shuffle(rest)
    ranked = hubs + rest
    weights = [1 / (rank + 1) ** skew for rank in range(len(ranked))]
    chosen: dict[int, None] = {}
    while len(chosen) < distinct:
        for rank in rng.choices(range(len(ranked)), weights, k=10_000):
            chosen[rank] = None
            if len(chosen) >= distinct:
                break
    sample = sorted(chosen)
    return [ranked[rank] for rank in rng.choices(sample, [weights[r] for r in sample], k=length)]


def write_stream(stream: list[str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(stream) + "\n")
    return path


def rotated(stream_file: Path, offset: int, scratch: Path) -> Path:
    """The stream starting at ``offset`` (so a run goes on where the previous stopped)."""
    lines = stream_file.read_text().splitlines()
    offset %= len(lines)
    scratch.write_text("\n".join(lines[offset:] + lines[:offset]) + "\n")
    return scratch


def wrk_mixed(url: str, paths_file: Path, duration: int, connections: int, cookie: str = "") -> dict:
    """One wrk run over the stream; the result with req/s, hit rate and the number
    of stream entries walked."""
    env = dict(os.environ, BENCH_COOKIE=cookie, BENCH_PATHS=str(paths_file))
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "5s", "-s", str(BENCH / "mixed.lua"), url]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {result.stdout} {result.stderr}")
    return summarise(json.loads(line[5:]))


def summarise(data: dict) -> dict:
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors_total"] = sum(data["errors"].values())
    labelled = data["hits"] + data["misses"] + data["unlabelled"]
    data["hit_rate"] = data["hits"] / labelled if labelled else 0.0
    return data


def walked_paths(stream_file: Path, walks: list) -> set[str]:
    """The distinct paths a run asked for, from each wrk thread's (start, count)."""
    lines = stream_file.read_text().splitlines()
    seen = set()
    for start, count in walks:
        for i in range(count):
            seen.add(lines[(start + i) % len(lines)])
    return seen


# ---------------------------------------------------------------- writers

class Writers:
    """``count`` members writing together at ``rate`` writes a second until stopped.
    Built on soak.Load (its sign-in and its record of what was sent and acknowledged)."""

    def __init__(self, base: str, url: str, count: int, rate: float):
        import soak

        self.rate, self.url = rate, url
        plans = [p for p in soak.plan(url, max(60, count * 10)) if p["user_id"] in trusted(url)]
        if len(plans) < count:
            sys.exit(f"The data set has only {len(plans)} trusted plain members for {count} writers.")
        plans = plans[:count]  # trusted: their replies show at once (no pre-moderation)
        self.load = soak.Load(base, plans, [], 0, secrets.token_hex(3))
        self.load._writer = self._writer  # paced, and only replies, comments and joins
        self.load.sign_in_all()
        self.running = False
        self.rounds = 0  # each start() numbers its tokens afresh: "<round><sequence>"

    def start(self) -> None:
        self.sent_before = len(self.load.results)
        self.load.done.clear()
        self.load.threads = []
        self.rounds += 1
        self.running = True
        self.started = time.monotonic()
        self.load.start()

    def stop(self) -> float:
        """Writes a second sent since ``start()``."""
        self.load.stop()
        self.running = False
        return (len(self.load.results) - self.sent_before) / max(time.monotonic() - self.started, 1e-9)

    def _writer(self, number, p) -> None:
        load = self.load
        rng = random.Random(5000 + 100 * self.rounds + number)
        interval = len(load.plans) / self.rate
        due = time.monotonic() + rng.random() * interval  # writers spread over the interval
        sequence = 0
        while not load.done.is_set():
            wait = due - time.monotonic()
            if wait > 0 and load.done.wait(wait):
                break
            due += interval
            kind = rng.choices(list(WRITE_KINDS), list(WRITE_KINDS.values()))[0]
            sequence += 1
            token = f"soak-{load.run_id}-{number}-{self.rounds}{sequence:06d}"
            form, path, key = {"csrf_token": p["csrf"]}, None, token
            if kind == "reply" and p["threads"]:
                path = f"/threads/{rng.choice(p['threads'])}/reply"
                form["body"] = f"A reply from the mixed benchmark ({token}). It worked for us too."
            elif kind == "comment" and p["articles"]:
                path = f"/articles/{rng.choice(p['articles'])}/comments"
                form["body"] = f"A comment from the mixed benchmark ({token})."
            elif kind == "join" and p["to_join"]:
                network_id, slug = p["to_join"].pop(0)
                path, key = f"/networks/{slug}/join", (p["user_id"], network_id)
            if path is None:
                continue
            with load.lock:
                load.sent[kind].append(key)
            started = time.monotonic()
            status, _, location = load._request(p["client"], path, urllib.parse.urlencode(form).encode())
            load._record(kind, status, started)
            acked = status == 302
            if acked and kind == "join":
                page_status, page, _ = load._request(p["client"], urllib.parse.urlparse(location).path)
                acked = "You have joined" in page
            if acked:
                with load.lock:
                    load.acked[kind].append((key, time.monotonic()))

    def check(self) -> dict:
        """Every acknowledged write looked up in the database."""
        return check_stored(self.load.acked, stored(self.url, self.load))

    def summary(self) -> dict:
        results = self.load.results
        refused: dict[str, int] = {}
        for kind, status, _, _ in results:
            if status != 302:
                refused[f"{kind} {status}"] = refused.get(f"{kind} {status}", 0) + 1
        return {"sent": len(results), "acknowledged": sum(len(v) for v in self.load.acked.values()),
                "refused": sum(refused.values()), "refused_by_kind": refused,
                "server_errors": sum(1 for r in results if r[1] >= 500 or r[1] == 0)}


def trusted(url: str) -> set[int]:
    import soak
    from sqlalchemy import text

    engine = soak.engine_for(url)
    with engine.connect() as conn:
        found = {uid for (uid,) in conn.execute(text('SELECT id FROM "user" WHERE trusted'))}
    engine.dispose()
    return found


def stored(url: str, load) -> dict:
    import soak

    return soak.stored_writes(url, load.run_id, [key for key, _ in load.acked["join"]])


def check_stored(acked: dict, found: dict) -> dict:
    """{kind: (acknowledged, lost)}: an acknowledged write not found is lost."""
    report = {}
    for kind in WRITE_KINDS:
        keys = [key for key, _ in acked.get(kind, [])]
        lost = [key for key in keys if found.get(kind, {}).get(key, 0) == 0]
        report[kind] = (len(keys), len(lost))
    return report


# ---------------------------------------------------------------- SQL per request

def sql_per_request(url: str, member_username: str, stream: list[str], count: int = 120,
                    seed: int = 7) -> dict:
    """SQL statements per request for ``count`` distinct pages picked from the
    stream (in its proportions), built with the cache off through the Flask test
    client, anonymous and signed in: what a miss costs in queries."""
    from sqlalchemy import event, select

    from network import create_app
    from network.accounts.models import User
    from network.extensions import db

    rng = random.Random(seed)
    picked: list[str] = []
    for path in rng.sample(stream, min(len(stream), count * 20)):
        if path not in picked:
            picked.append(path)
        if len(picked) >= count:
            break
    app = create_app({"DATABASE_URL": url, "CACHE_ENABLED": False, "RATELIMIT_ENABLED": False})
    statements: list[str] = []

    def counting(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                                      "RELEASE", "PRAGMA")):
            statements.append(statement)

    with app.app_context():
        member = db.session.scalar(select(User).where(User.username == member_username))
        session_id = member.get_id()
        event.listen(db.engine, "before_cursor_execute", counting)
    anonymous, signed_in = app.test_client(), app.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    anonymous.get("/"), signed_in.get("/")  # template compilation, first connection
    result = {}
    for who, client in (("anonymous", anonymous), ("member", signed_in)):
        counts, statuses = [], {}
        for path in picked:
            statements.clear()
            status = client.get(path).status_code
            statuses[status] = statuses.get(status, 0) + 1
            counts.append(len(statements))
        counts.sort()
        result[who] = {"pages": len(counts), "mean": sum(counts) / len(counts),
                       "median": counts[len(counts) // 2], "max": counts[-1],
                       "statuses": statuses}
    with app.app_context():
        db.engine.dispose()
    return result
