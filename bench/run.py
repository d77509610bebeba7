"""Load benchmark: the real app under gunicorn, driven by wrk, against a generated data set.

    python bench/run.py [--database-url URL] [--duration 10] [--connections 16]

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
    parser.add_argument("--compare", metavar="RESULTS_JSON",
                        help="an earlier results file (e.g. SQLite) to compare p50 with "
                             "(target: PostgreSQL within 1.5 times SQLite's p50)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    if not 1 <= args.duration <= 120 or not 1 <= args.connections <= 256:
        sys.exit("--duration must be 1..120 s and --connections 1..256")
    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    marker = read_marker(args.database_url)
    instance = bench_instance()
    env = dict(os.environ, DATABASE_URL=args.database_url, RATELIMIT_ENABLED="0",
               CACHE_ENABLED="1", NETWORK_INSTANCE_PATH=str(instance), NETWORK_ENV="development")
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
