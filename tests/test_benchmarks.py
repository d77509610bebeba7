"""The benchmarks in bench/ are run by hand (make soak, make crash), not by the suite:
this only keeps them importable and their arguments parsed, so they cannot rot silently."""
import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench_modules():
    sys.path.insert(0, str(BENCH))
    try:
        yield {name: importlib.import_module(name) for name in ("common", "soak", "crash", "run")}
    finally:
        sys.path.remove(str(BENCH))


def test_soak_arguments(bench_modules):
    soak = bench_modules["soak"]
    args = soak.parse_args([])
    assert (args.duration, args.clients, args.database_url) == (60, 50, None)
    args = soak.parse_args(["--duration", "30", "--database-url", "postgresql://x/soak_1"])
    assert (args.duration, args.database_url) == (30, "postgresql://x/soak_1")
    with pytest.raises(SystemExit):
        soak.parse_args(["--duration", "0"])


def test_crash_arguments_never_the_shared_postgres(bench_modules):
    crash = bench_modules["crash"]
    assert crash.parse_args([]).pg_port == 55432
    assert crash.parse_args(["--only", "sqlite"]).only == "sqlite"
    with pytest.raises(SystemExit):
        crash.parse_args(["--pg-port", "5432"])


def test_soak_report_and_percentiles(bench_modules):
    soak = bench_modules["soak"]
    assert soak.percentile([5.0, 1.0, 3.0], 0.5) == 3.0
    table, server_errors, connection_errors = soak.report(
        [("reply", 302, 0.01, 0), ("read", 500, 0.02, 0), ("read", 0, 1.0, 0)], 1.0)
    assert (server_errors, connection_errors) == (1, 1)
    assert table.splitlines()[1].split()[:6] == ["read", "2", "0", "0", "1", "1"]


def test_csrf_token_is_found_in_either_attribute_order(bench_modules):
    common = bench_modules["common"]
    assert common.csrf_token('<input name="csrf_token" type="hidden" value="abc">') == "abc"
    assert common.csrf_token('<input value="xyz" type="hidden" name="csrf_token">') == "xyz"
    assert common.csrf_token("<form></form>") is None
