"""Load benchmark: the real app under gunicorn, driven by wrk, against a generated data set.

    python bench/run.py --traffic mixed [--database-url URL] [--duration 10] [--warmup 3]
                        [--sample 12000] [--writers 4] [--write-rate 5]
    python bench/run.py [--traffic single] [--database-url URL] [--duration 10] [--connections 16]

``--traffic mixed`` (the headline): thousands of different pages drawn with a
Zipf-like skew from the whole data set, anonymous and signed in, with and without
members writing (bench/mixed.py says how the sample and the writes are made). For
each of the four runs: requests per second against hello world measured in the
same run, p50, p99, the cache hit rate (the X-Cache header), the pages that did
not answer 200; beside them the SQL per built page (a sample of the pages with
the cache off) and whether every acknowledged write was stored.

``--traffic single`` (the default, the best case for a cache), described below:

For each page, as an anonymous visitor and as a signed-in member: requests per
second, p50 and p99 latency, the ratio to a bare Flask "hello world" under the
same gunicorn settings (bench/hello.py, measured in the same run between the pages:
each page is compared with the hello-world runs just before and after it, so a
machine busy with other work skews both alike), SQL queries
per request (counted in-process through the Flask test client), and the resident
memory of the gunicorn workers after the run. One table on stdout, the same as
JSON in bench/out/results-<date>.json.

gunicorn runs 2 *sync* workers (one per core). Measured here (``--worker-class
gthread``, 4 threads): gthread roughly doubles hello world's requests per second,
because it keeps connections alive, but not the app's pages, whose time is Python
work that threads in one process share under the GIL; and its p99 was 2 to 4 times
worse. Sync workers are also what gunicorn recommends behind a buffering proxy
(nginx), the production setup.

Bounded: loopback only, every wrk run has a fixed duration and a timeout, and
every process started here is stopped on exit, on error and on Ctrl+C.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BENCH, DEFAULT_URL, OUT, ROOT, bench_instance, cookie_header,  # noqa: E402
                    read_marker, start_gunicorn, stop, stop_all)
from common import sign_in as sign_in_client  # noqa: E402

TARGETS = {"anonymous_ratio": 0.50, "member_ratio": 0.15, "member_p99_ms": 50.0,
           "queries": 10, "worker_rss_mb": 150.0}
VIEWERS = ("anonymous", "member", "member new")


# ---------------------------------------------------------------- processes (start_gunicorn, stop: common.py)

def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each child of the gunicorn master, from /proc."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master_pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return sorted(sizes)


# ---------------------------------------------------------------- load

def sign_in(base: str, username: str, password: str) -> str:
    """Sign in over HTTP; return the Cookie header for wrk."""
    return cookie_header(sign_in_client(base, username, password))


def wrk(url: str, duration: int, connections: int, cookie: str = "") -> dict:
    env = dict(os.environ, BENCH_COOKIE=cookie)
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s", "--timeout", "5s",
               "-s", str(BENCH / "wrk.lua"), url]
    result = subprocess.run(command, env=env, capture_output=True, text=True,
                            timeout=duration + 30)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {url}: {result.stdout} {result.stderr}")
    data = json.loads(line[5:])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors_total"] = sum(data["errors"].values())
    return data


# ---------------------------------------------------------------- pages and queries

def page_list(marker: dict, last_page: int | None) -> list[tuple[str, str]]:
    thread = marker["big_thread_id"]
    network = marker["open_network_slug"]
    pages = [
        ("home", "/"),
        ("networks directory", "/networks/"),
        ("network home", f"/networks/{network}/"),
        ("network threads", f"/networks/{network}/threads/"),
        ("thread page 1", f"/threads/{thread}"),
        (f"thread last page ({last_page or '?'})", f"/threads/{thread}?page={last_page or 1}"),
        ("articles list", "/articles/"),
        ("article, 500 comments", f"/articles/{marker['big_article_slug']}"),
        ("profile", f"/members/{marker['profile_username']}"),
        # Search (issue 11): a common word, a rarer one, a phrase, a prefix, no match.
        ("search, common word", "/search?q=care"),
        ("search, two words", "/search?q=hospital+discharge"),
        ("search, phrase", "/search?q=%22home+care%22"),
        ("search, prefix", "/search?q=deliri"),
        ("search, no match", "/search?q=zzyzx+quixotic"),
    ]
    return pages


def find_last_page(client, path: str) -> int | None:
    """The big thread's last page: the highest page linked from page 1, else the
    highest page that answers 200 (binary search)."""
    first = client.get(path)
    if first.status_code != 200:
        return None
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", first.get_data(as_text=True))]
    if numbers and client.get(f"{path}?page={max(numbers)}").status_code == 200:
        return max(numbers)
    low, high = 1, 2048
    while low < high:
        middle = (low + high + 1) // 2
        response = client.get(f"{path}?page={middle}")
        ok = response.status_code == 200 and (
            middle == 1 or response.get_data() != first.get_data())
        low, high = (middle, high) if ok else (low, middle - 1)
    return low


def inspect_pages(url: str, marker: dict) -> tuple[list, dict, dict]:
    """Status and SQL queries per request of each page, through the Flask test client."""
    from sqlalchemy import event, select

    from network import create_app
    from network.accounts.models import User
    from network.extensions import db

    app = create_app({"DATABASE_URL": url, "CACHE_ENABLED": False, "RATELIMIT_ENABLED": False})
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                                      "RELEASE", "PRAGMA")):
            statements.append(statement)

    with app.app_context():
        member = db.session.scalar(select(User).where(User.username == marker["member_username"]))
        session_id = member.get_id()
        event.listen(db.engine, "before_cursor_execute", count)
    anonymous = app.test_client()
    signed_in = app.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    last_page = find_last_page(anonymous, f"/threads/{marker['big_thread_id']}")
    pages = page_list(marker, last_page)
    status, queries = {}, {}
    for name, path in pages:
        for who, client in (("anonymous", anonymous), ("member", signed_in)):
            client.get(path)  # warm (template compilation, first connection)
            statements.clear()
            response = client.get(path)
            status[(name, who)] = response.status_code
            queries[(name, who)] = len(statements)
    with app.app_context():
        db.engine.dispose()
    return pages, status, queries


# ---------------------------------------------------------------- report

def table(rows: list[dict], hello: dict) -> str:
    head = (f"{'page':<28} {'viewer':<10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'vs hello':>8} {'SQL':>4}  targets")
    lines = [head, "-" * len(head)]
    lines.append(f"{'hello world (bare Flask)':<28} {'-':<10} {hello['rps']:>7.0f} "
                 f"{hello['p50_us'] / 1000:>7.1f} {hello['p99_us'] / 1000:>7.1f} {'100%':>8} "
                 f"{'-':>4}  upper bound")
    for row in rows:
        if row.get("skipped"):
            lines.append(f"{row['page']:<28} {row['viewer']:<10} skipped: {row['skipped']}")
            continue
        lines.append(f"{row['page']:<28} {row['viewer']:<10} {row['rps']:>7.0f} "
                     f"{row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['ratio']:>8.0%} "
                     f"{row['queries']:>4}  {row['verdict']}")
    return "\n".join(lines)


def verdict(row: dict) -> str:
    misses = []
    if row["viewer"] == "anonymous" and row["ratio"] < TARGETS["anonymous_ratio"]:
        misses.append(f"ratio<{TARGETS['anonymous_ratio']:.0%}")
    if row["viewer"] in ("member", "member new"):
        if row["ratio"] < TARGETS["member_ratio"]:
            misses.append(f"ratio<{TARGETS['member_ratio']:.0%}")
        if row["p99_ms"] >= TARGETS["member_p99_ms"]:
            misses.append(f"p99>={TARGETS['member_p99_ms']:.0f}ms")
    if row["queries"] > TARGETS["queries"]:
        misses.append(f"SQL>{TARGETS['queries']}")
    if row["errors"]:
        misses.append(f"{row['errors']} errors")
    return "ok" if not misses else "MISS " + ", ".join(misses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--traffic", choices=["single", "mixed"], default="single",
                        help="single: one page at a time; mixed: many pages and writers")
    parser.add_argument("--warmup", type=int, default=3, help="mixed: seconds of warm-up per run")
    parser.add_argument("--sample", type=int, default=12_000,
                        help="mixed: distinct pages in the stream (at least 10,000 for the headline)")
    parser.add_argument("--skew", type=float, default=0.9, help="mixed: the Zipf exponent")
    parser.add_argument("--writers", type=int, default=8, help="mixed: members writing")
    parser.add_argument("--write-rate", type=float, default=5.0,
                        help="mixed: writes a second, all writers together")
    parser.add_argument("--compare", metavar="RESULTS_JSON",
                        help="an earlier results file (e.g. SQLite) to compare p50 with "
                             "(target: PostgreSQL within 1.5 times SQLite's p50)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    if not 1 <= args.duration <= 120 or not 1 <= args.connections <= 256:
        sys.exit("--duration must be 1..120 s and --connections 1..256")
    if args.traffic == "mixed" and not (0 <= args.warmup <= 60 and 1 <= args.writers <= 50
                                        and 0 < args.write_rate <= 100 and args.sample >= 1):
        sys.exit("--warmup must be 0..60 s, --writers 1..50, --write-rate 0..100 and --sample >= 1")
    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    marker = read_marker(args.database_url)
    instance = bench_instance()
    env = dict(os.environ, DATABASE_URL=args.database_url, RATELIMIT_ENABLED="0",
               CACHE_ENABLED="1", NETWORK_INSTANCE_PATH=str(instance), NETWORK_ENV="development")
    if args.traffic == "mixed":
        return main_mixed(args, marker, env)
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()[0]
    print(f"Data set: {marker['size']} ({marker['counts']}) at {args.database_url}")
    pages, status, queries = inspect_pages(args.database_url, marker)
    if args.only:
        pages = [p for p in pages if args.only in p[0]]
    try:
        hello_process, hello_base = start_gunicorn("hello:app", BENCH, env, args.worker_class)
        wrk(hello_base + "/", 1, args.connections)  # warm up
        # The machine may be shared: hello world is measured again next to every
        # page, and each page is compared with the mean of the runs either side.
        hello_runs = []

        def measure_hello():
            result = wrk(hello_base + "/", hello_seconds, args.connections)
            hello_runs.append(result)
            print(f"{'hello world':<38} {result['rps']:>7.0f} req/s")

        hello_seconds = max(2, args.duration // 2)
        measure_hello()
        app_process, base = start_gunicorn("wsgi:app", ROOT, env, args.worker_class)
        cookie = sign_in(base, marker["member_username"], marker["member_password"])
        # "member" repeats one page, so after the first request it is served the
        # copy kept for them (until anything is written); "member new" is the same
        # person on a page they have not seen since the last write: the app with
        # CACHE_OWN_PAGES=0, so every request is built (from shared fragments and
        # remembered rows).
        fresh_process, fresh_base = start_gunicorn(
            "wsgi:app", ROOT, dict(env, CACHE_OWN_PAGES="0"), args.worker_class)
        fresh_cookie = sign_in(fresh_base, marker["member_username"], marker["member_password"])
        rows = []
        for name, path in pages:
            measured = False
            for viewer in VIEWERS:
                row = {"page": name, "path": path, "viewer": viewer,
                       "queries": queries[(name, "anonymous" if viewer == "anonymous"
                                           else "member")]}
                code = status[(name, "anonymous" if viewer == "anonymous" else "member")]
                if code != 200:
                    row["skipped"] = (f"{path} answers 404 in this app (page not built yet)"
                                      if code == 404 else f"{path} answers {code}")
                    rows.append(row)
                    print(f"{name:<28} {viewer:<10} skipped ({code})")
                    continue
                if not measured and len(rows) and any("rps" in r for r in rows):
                    measure_hello()
                measured = True
                use_cookie = {"member": cookie, "member new": fresh_cookie}.get(viewer, "")
                target = fresh_base if viewer == "member new" else base
                wrk(target + path, 1, args.connections, use_cookie)  # warm up (and fill the cache)
                result = wrk(target + path, args.duration, args.connections, use_cookie)
                row.update(rps=result["rps"], p50_ms=result["p50_us"] / 1000,
                           p99_ms=result["p99_us"] / 1000, errors=result["errors_total"],
                           wrk=result, hello_index=len(hello_runs) - 1)
                rows.append(row)
                print(f"{name:<28} {viewer:<10} {row['rps']:>7.0f} req/s  p50 {row['p50_ms']:.1f} ms"
                      f"  p99 {row['p99_ms']:.1f} ms")
        rss = worker_rss_mb(app_process.pid) + worker_rss_mb(fresh_process.pid)
        stop(app_process)
        stop(fresh_process)
        measure_hello()
        hello = {key: sum(run[key] for run in hello_runs) / len(hello_runs)
                 for key in ("rps", "p50_us", "p99_us")}
        hello.update(runs=hello_runs, rss_mb=worker_rss_mb(hello_process.pid))
        stop(hello_process)
        for row in rows:
            if "rps" in row:
                i = row["hello_index"]
                row["hello_rps"] = (hello_runs[i]["rps"] + hello_runs[i + 1]["rps"]) / 2
                row["ratio"] = row["rps"] / row["hello_rps"]
                row["verdict"] = verdict(row)
    finally:
        stop_all()

    report = table(rows, hello)
    load_after = os.getloadavg()[0]
    busy = max(load_before, load_after) > (os.cpu_count() or 1)
    memory = ", ".join(f"{mb:.0f} MB" for mb in rss)
    memory_ok = rss and max(rss) < TARGETS["worker_rss_mb"]
    machine = f"{os.cpu_count()} cores, {platform_summary()}"
    header = (f"{started:%Y-%m-%d %H:%M} UTC, {machine}\n"
              f"python bench/run.py --database-url {args.database_url} --duration {args.duration} "
              f"--connections {args.connections} --worker-class {args.worker_class}\n"
              f"Data set: {marker['size']}: {marker['counts']}\n"
              f"Load average (1 min) before/after: {load_before:.1f}/{load_after:.1f}"
              f"{' - the machine was busy with other work: numbers are pessimistic' if busy else ''}\n")
    footer = (f"Worker memory (RSS after the run): {memory} "
              f"({'ok' if memory_ok else 'MISS'}: target < {TARGETS['worker_rss_mb']:.0f} MB); "
              f"hello world workers: {', '.join(f'{mb:.0f} MB' for mb in hello['rss_mb'])}")
    print()
    print(header)
    print(report)
    print(footer)
    OUT.mkdir(exist_ok=True)
    path = OUT / f"results-{started:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({
        "started": started.isoformat(), "machine": machine, "database_url": args.database_url,
        "duration": args.duration, "connections": args.connections,
        "worker_class": args.worker_class, "data_set": marker, "hello": hello, "rows": rows,
        "worker_rss_mb": rss, "targets": TARGETS, "table": header + report + "\n" + footer,
    }, indent=2, default=str) + "\n")
    print(f"\nWritten: {path}")
    if args.compare:
        print()
        print(compare(rows, json.loads(Path(args.compare).read_text())))


# ---------------------------------------------------------------- mixed traffic

MIXED_TARGETS = {  # (viewer, writing): (share of hello world, p99 ms), from issue 17
    ("anonymous", False): (0.25, 50.0), ("anonymous", True): (0.20, 50.0),
    ("member", False): (0.15, 60.0), ("member", True): (0.12, 60.0)}


def mixed_verdict(row: dict) -> str:
    ratio, p99 = MIXED_TARGETS[(row["viewer"], row["writing"])]
    misses = [f"ratio<{ratio:.0%}"] * (row["ratio"] < ratio) + [f"p99>={p99:.0f}ms"] * (row["p99_ms"] >= p99)
    if row["errors"]:
        misses.append(f"{row['errors']} errors")
    return "ok" if not misses else "MISS " + ", ".join(misses)


def mixed_table(rows: list[dict], hello: dict) -> str:
    head = (f"{'traffic':<28} {'req/s':>7} {'vs hello':>8} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'hits':>5} {'non-200':>7} {'pages':>6}  targets")
    lines = [head, "-" * len(head),
             f"{'hello world (bare Flask)':<28} {hello['rps']:>7.0f} {'100%':>8} "
             f"{hello['p50_us'] / 1000:>7.1f} {hello['p99_us'] / 1000:>7.1f} {'-':>5} {'-':>7} "
             f"{'-':>6}  upper bound"]
    for row in rows:
        lines.append(f"{row['traffic']:<28} {row['rps']:>7.0f} {row['ratio']:>8.1%} "
                     f"{row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['hit_rate']:>5.0%} "
                     f"{row['not_ok']:>7} {row['distinct']:>6}  {row['verdict']}")
    return "\n".join(lines)


def main_mixed(args, marker: dict, env: dict) -> None:
    """Four runs over the same stream (anonymous and signed in, without and with
    writers), hello world measured before, between and after them."""
    import mixed
    from soak import engine_for

    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()[0]
    print(f"Data set: {marker['size']} ({marker['counts']}) at {args.database_url}")
    engine = engine_for(args.database_url)
    with engine.connect() as conn:
        pages = mixed.universe(conn)
    engine.dispose()
    stream = mixed.draw(pages, args.sample, args.skew)
    distinct = len(set(stream))
    OUT.mkdir(exist_ok=True)
    stream_file = mixed.write_stream(stream, OUT / "mixed-stream.txt")
    print(f"Sample: {distinct} distinct pages, a stream of {len(stream)} draws (Zipf skew {args.skew}) "
          f"from {len(pages)} pages; SQL per built page ...", flush=True)
    sql = mixed.sql_per_request(args.database_url, marker["member_username"], stream)
    rows, hello_runs = [], []
    writes = {}
    try:
        hello_process, hello_base = start_gunicorn("hello:app", BENCH, env, args.worker_class)
        wrk(hello_base + "/", 1, args.connections)

        def measure_hello():
            result = wrk(hello_base + "/", max(2, args.duration // 2), args.connections)
            hello_runs.append(result)
            print(f"{'hello world':<30} {result['rps']:>7.0f} req/s", flush=True)

        measure_hello()
        app_process, base = start_gunicorn("wsgi:app", ROOT, env, args.worker_class)
        cookie = sign_in(base, marker["member_username"], marker["member_password"])
        writers = mixed.Writers(base, args.database_url, args.writers, args.write_rate)
        offset = 0
        scratch = OUT / "mixed-stream-run.txt"
        for viewer, writing in (("anonymous", False), ("anonymous", True),
                                ("member", False), ("member", True)):
            if rows:
                measure_hello()
            if writing:
                writers.start()
            for seconds, measured in ((args.warmup, False), (args.duration, True)):
                if seconds == 0:
                    continue
                paths = mixed.rotated(stream_file, offset, scratch)
                result = mixed.wrk_mixed(base, paths, seconds, args.connections,
                                         cookie if viewer == "member" else "")
                offset += max(count for _, count in result["walks"])
            if writing:
                wrote_per_s = writers.stop()
            label = f"{viewer}, {'%g writes/s' % args.write_rate if writing else 'no writes'}"
            row = {"traffic": label, "viewer": viewer, "writing": writing,
                   "rps": result["rps"], "p50_ms": result["p50_us"] / 1000,
                   "p99_ms": result["p99_us"] / 1000, "hit_rate": result["hit_rate"],
                   "not_ok": result["not_ok"], "errors": result["errors_total"],
                   "distinct": len(mixed.walked_paths(paths, result["walks"])),
                   "requests": result["requests"], "hello_index": len(hello_runs) - 1, "wrk": result}
            if writing:
                row["writes_per_s"] = wrote_per_s
            rows.append(row)
            print(f"{label:<30} {row['rps']:>7.0f} req/s  p50 {row['p50_ms']:.1f} ms  "
                  f"p99 {row['p99_ms']:.1f} ms  hits {row['hit_rate']:.0%}", flush=True)
        stop(app_process)
        measure_hello()
        stop(hello_process)
        writes = {"summary": writers.summary(), "stored": writers.check(),
                  "achieved_per_s": [round(r.get("writes_per_s", 0), 2) for r in rows if r["writing"]]}
    finally:
        stop_all()
    hello = {key: sum(run[key] for run in hello_runs) / len(hello_runs)
             for key in ("rps", "p50_us", "p99_us")}
    for row in rows:
        i = row["hello_index"]
        row["hello_rps"] = (hello_runs[i]["rps"] + hello_runs[i + 1]["rps"]) / 2
        row["ratio"] = row["rps"] / row["hello_rps"]
        row["verdict"] = mixed_verdict(row)
    lost = sum(lost for _, lost in writes["stored"].values())
    acked = sum(n for n, _ in writes["stored"].values())
    machine = f"{os.cpu_count()} cores, {platform_summary()}"
    load_after = os.getloadavg()[0]
    header = (
        f"{started:%Y-%m-%d %H:%M} UTC, {machine}\n"
        f"python bench/run.py --traffic mixed --database-url {args.database_url} --duration "
        f"{args.duration} --warmup {args.warmup} --connections {args.connections} --sample "
        f"{args.sample} --skew {args.skew} --writers {args.writers} --write-rate {args.write_rate}\n"
        f"Data set: {marker['size']}: {marker['counts']}\n"
        f"Runs: {args.duration} s each after a {args.warmup} s warm-up, gunicorn 2 {args.worker_class} "
        f"workers, {args.connections} connections; load average before/after "
        f"{load_before:.1f}/{load_after:.1f}\n"
        f"Sample: {distinct} distinct pages (drawn from {len(pages)}), a stream of {len(stream)} paths over them (Zipf skew "
        f"{args.skew}); each run goes on in the stream where the last "
        f"stopped ('pages': the distinct ones it asked for)\n"
        f"Writers: {args.writers} members, {args.write_rate:g} writes/s asked "
        f"(achieved {', '.join(f'{r:g}' for r in writes['achieved_per_s'])}/s): replies, comments, "
        f"joins; {acked} acknowledged, {lost} lost"
        f" ({', '.join(f'{k} {n}' for k, (n, _) in writes['stored'].items())}); "
        f"{writes['summary']['refused']} refused {writes['summary']['refused_by_kind'] or ''}, "
        f"{writes['summary']['server_errors']} 5xx/errors\n"
        f"SQL per built page (cache off, {sql['anonymous']['pages']} pages of the sample): "
        f"anonymous mean {sql['anonymous']['mean']:.1f}, max {sql['anonymous']['max']}; "
        f"member mean {sql['member']['mean']:.1f}, max {sql['member']['max']}\n")
    report = mixed_table(rows, hello)
    print()
    print(header)
    print(report)
    path = OUT / f"mixed-{started:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({
        "started": started.isoformat(), "machine": machine, "database_url": args.database_url,
        "traffic": "mixed", "duration": args.duration, "warmup": args.warmup,
        "connections": args.connections, "worker_class": args.worker_class,
        "sample": {"distinct": distinct, "draws": len(stream), "universe": len(pages),
                   "skew": args.skew},
        "writers": args.writers, "write_rate": args.write_rate, "writes": writes, "sql": sql,
        "data_set": marker, "hello": hello, "rows": rows, "table": header + report,
    }, indent=2, default=str) + "\n")
    print(f"\nWritten: {path}")
    if lost:
        sys.exit(f"FAIL: {lost} acknowledged writes were not stored")


def compare(rows: list[dict], earlier: dict) -> str:
    """p50 of this run against an earlier one, page by page (target: at most 1.5 times)."""
    before = {(r["page"], r["viewer"]): r for r in earlier["rows"] if "p50_ms" in r}
    lines = [f"p50 compared with {earlier['database_url']} ({earlier['started'][:16]}):",
             f"{'page':<28} {'viewer':<10} {'then ms':>8} {'now ms':>8} {'ratio':>6}"]
    for row in rows:
        old = before.get((row["page"], row["viewer"]))
        if old is None or "p50_ms" not in row:
            continue
        ratio = row["p50_ms"] / old["p50_ms"]
        lines.append(f"{row['page']:<28} {row['viewer']:<10} {old['p50_ms']:>8.1f} "
                     f"{row['p50_ms']:>8.1f} {ratio:>6.2f}  {'ok' if ratio <= 1.5 else 'MISS >1.5'}")
    return "\n".join(lines)


def platform_summary() -> str:
    import platform

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model or platform.processor()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_all()
