"""Crash benchmark: SIGKILL the server during the soak load, restart it, count the writes.

    python bench/crash.py [--only sqlite|postgres] [--duration 30] [--clients 50] [--pg-port 25432]

Two rounds, each on a fresh small data set (bench/generate.py --size small) under
the load of bench/soak.py (members posting replies, comments, flags and joins
while readers load pages; gunicorn with 2 sync workers):

1. SQLite (a temporary file): halfway through, the gunicorn master and its
   workers are killed with SIGKILL, then gunicorn is started again on the same
   port and the load goes on. Afterwards the file passes ``PRAGMA
   integrity_check`` and every write acknowledged before the kill is stored
   (exactly once).
2. PostgreSQL: a server this benchmark starts itself (initdb into a temporary
   folder, run as the ``postgres`` OS user when started as root, on ``--pg-port``,
   never the shared 5432). Halfway through, the postmaster and every backend are
   killed with SIGKILL; after a second the server is started again (crash
   recovery) while gunicorn keeps running. Afterwards every write acknowledged
   before the kill is stored exactly once, and ``flask recount`` finds no drift.

5xx answers and connection errors while the server is down are expected and
reported, not failed on. Exits non-zero on a failed integrity check, a lost or
duplicated write, or drift. Every process started here is stopped, and the
temporary folders removed, on exit, on error and on Ctrl+C.
"""
import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, STARTED, free_port, start_gunicorn, stop, stop_all  # noqa: E402
from soak import Load, app_env, check_writes, generate, plan, reader_paths, recount, report  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SHARED_PG_PORT = 5432
# Below Linux's ephemeral range (32768-60999): a port in that range can be held by any
# client socket at that moment (the load's own connections included), and then the
# server cannot bind it.
PG_PORT = 25432
RECOVERY = 10  # seconds after a restart for the requests queued during the outage


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="one round only")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per round")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--pg-port", type=int, default=PG_PORT)
    args = parser.parse_args(argv)
    if args.pg_port == SHARED_PG_PORT:
        parser.error("--pg-port must not be the shared server's port 5432")
    if not 10 <= args.duration <= 600 or not 1 <= args.clients <= 200:
        parser.error("--duration must be 10..600 s and --clients 1..200")
    return args


# ---------------------------------------------------------------- a PostgreSQL of our own

class Postgres:
    """A throwaway cluster: initdb into a temporary folder, one server on ``port``."""

    def __init__(self, port: int):
        self.port, self.process = port, None
        self.folder = Path(tempfile.mkdtemp(prefix="wwn-crash-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.user = "postgres" if os.geteuid() == 0 else None  # postgres refuses to run as root
        if self.user:
            shutil.chown(self.folder, self.user)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/soak"

    def init(self) -> None:
        subprocess.run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--no-sync"], user=self.user, check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if port_in_use(self.port):
            sys.exit(f"Port {self.port} is in use: choose another with --pg-port")
        log = open(self.log, "a")
        self.process = subprocess.Popen(
            [str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-k", str(self.folder), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=50"],
            user=self.user, stdout=log, stderr=log, start_new_session=True)
        STARTED.append(self.process)
        deadline = time.monotonic() + 60
        while subprocess.run([str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                              str(self.port)]).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"PostgreSQL did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.3)

    def create_database(self) -> None:
        subprocess.run([str(PG_BIN / "psql"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "-c", "CREATE DATABASE soak"], check=True)

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend (one process group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def remove(self) -> None:
        if self.process is not None:
            stop(self.process, signal.SIGINT)  # fast shutdown
        shutil.rmtree(self.folder, ignore_errors=True)


def port_in_use(port: int) -> bool:
    """Whether a server could not listen on ``port`` now: something listens there, or a
    socket still holds it (a connect test misses the second)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as postgres does
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


# ---------------------------------------------------------------- one round

def round_under_load(name: str, url: str, args, kill, restart) -> tuple[list[str], bool]:
    """Load for ``args.duration`` seconds, ``kill()`` halfway, ``restart()`` at once;
    returns the report lines and whether the writes check passed."""
    marker = generate(url)
    plans = plan(url, args.clients)
    port = free_port()
    server = {"gunicorn": start_gunicorn("wsgi:app", ROOT, app_env(url), port=port)[0]}
    load = Load(f"http://127.0.0.1:{port}", plans, reader_paths(marker, plans), args.readers,
                os.urandom(3).hex())
    load.sign_in_all()
    times = {}

    def tick(elapsed):
        if "kill" not in times and elapsed >= args.duration / 2:
            times["kill"] = time.monotonic()
            acked = sum(len(v) for v in load.acked.values())
            print(f"  SIGKILL {name} after {elapsed:.0f} s ({acked} writes acknowledged)", flush=True)
            kill(server)
            restart(server)
            times["up"] = time.monotonic()
            print(f"  {name} restarted, down {times['up'] - times['kill']:.1f} s", flush=True)

    print(f"{name}: {args.clients} writers, {args.readers} readers for {args.duration} s", flush=True)
    started = time.monotonic()
    load.start()
    try:
        load.progress(args.duration, every=args.duration / 6, on_tick=tick)
    finally:
        load.stop()
    table, server_errors, connection_errors = report(load.results, time.monotonic() - started)
    stop(server["gunicorn"])
    before, problems_before = check_writes(url, load, before=times.get("kill"))
    _, problems_all = check_writes(url, load)
    drift, _ = recount(url)
    late = sum(1 for _, status, _, at in load.results
               if at > times["up"] + RECOVERY and (status >= 500 or status == 0))
    lines = [f"{name}: killed after {args.duration / 2:.0f} s, down "
             f"{times['up'] - times['kill']:.1f} s; {server_errors} 5xx and {connection_errors} "
             f"connection errors in all (expected while down), {late} answered more than "
             f"{RECOVERY} s after the restart", table,
             "Writes acknowledged before the kill:"] + before + [
             f"All acknowledged writes: {problems_all} lost or duplicated; "
             f"flask recount after: {drift} rows corrected"]
    return lines, problems_before == 0 and problems_all == 0 and drift == 0


def sqlite_round(args) -> tuple[list[str], bool]:
    with tempfile.TemporaryDirectory(prefix="wwn-crash-") as scratch:
        url = f"sqlite:///{scratch}/crash.db"

        def kill(server):
            os.killpg(server["gunicorn"].pid, signal.SIGKILL)  # master and workers
            server["gunicorn"].wait(timeout=10)

        def restart(server):
            server["gunicorn"] = start_gunicorn("wsgi:app", ROOT, app_env(url), wait=180,
                                                port=server_port(server["gunicorn"]))[0]

        lines, ok = round_under_load("gunicorn (SQLite)", url, args, kill, restart)
        integrity = sqlite3.connect(f"{scratch}/crash.db").execute("PRAGMA integrity_check").fetchall()
        verdict = [row[0] for row in integrity]
        lines.append(f"PRAGMA integrity_check: {', '.join(verdict)}")
        return lines, ok and verdict == ["ok"]


def server_port(process) -> int:
    return int(process.args[process.args.index("--bind") + 1].rsplit(":", 1)[1])


def postgres_round(args) -> tuple[list[str], bool]:
    pg = Postgres(args.pg_port)
    try:
        pg.init()
        pg.start()
        pg.create_database()

        def kill(server):
            pg.kill()

        def restart(server):
            time.sleep(1)
            pg.start()

        return round_under_load(f"PostgreSQL on port {args.pg_port}", pg.url, args, kill, restart)
    finally:
        pg.remove()


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_all)
    results = []
    rounds = [(name, run) for name, run in (("sqlite", sqlite_round), ("postgres", postgres_round))
              if args.only in (None, name)]
    try:
        for name, run in rounds:
            try:
                results.append(run(args))
            except SystemExit as error:  # a round that could not run fails; the others report
                results.append(([f"{name}: could not run: {error}"], False))
    finally:
        stop_all()
    print(f"\npython bench/crash.py{' --only ' + args.only if args.only else ''} "
          f"--duration {args.duration} --clients {args.clients} --readers {args.readers}"
          f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for lines, ok in results:
        print("\n" + "\n".join(lines))
        print("PASS" if ok else "FAIL")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
