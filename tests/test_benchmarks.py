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
    assert crash.parse_args([]).pg_port == 25432
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


def test_mixed_stream_is_skewed_over_a_fixed_sample(bench_modules):
    mixed = importlib.import_module("mixed")
    pages = list(mixed.HUBS) + [f"/threads/{n}" for n in range(5_000)]
    stream = mixed.draw(pages, 1_000, skew=0.9, length=50_000)
    assert stream == mixed.draw(pages, 1_000, skew=0.9, length=50_000)  # the same every run
    distinct = set(stream)
    assert 900 <= len(distinct) <= 1_000 and distinct <= set(pages)
    counts = {path: stream.count(path) for path in mixed.HUBS}
    assert min(counts.values()) > 50_000 / 1_000 * 5  # the hub pages lead the skew
    assert counts["/"] == max(counts.values())
    with pytest.raises(ValueError):
        mixed.draw(pages, len(pages) + 1)


def test_mixed_write_check_finds_lost_writes(bench_modules):
    mixed = importlib.import_module("mixed")
    acked = {"reply": [("soak-x-0-1", 0.0), ("soak-x-0-2", 0.0)], "join": [((5, 7), 0.0)]}
    found = {"reply": {"soak-x-0-1": 1}, "comment": {}, "join": {(5, 7): 1}}
    assert mixed.check_stored(acked, found) == {"reply": (2, 1), "comment": (0, 0), "join": (1, 0)}


def test_mixed_universe_holds_what_anonymous_visitors_may_read(bench_modules, app, make_user,
                                                               make_network, make_thread,
                                                               make_article):
    from datetime import timedelta

    from network.core.time import utcnow
    from network.extensions import db

    mixed = importlib.import_module("mixed")
    author = make_user(role="associate", username="writer")
    open_network = make_network(members=[author], name="Open Frailty Network")
    private = make_network(visibility="private", members=[author], name="Private Group")
    long_thread = make_thread(open_network, author, posts=mixed.POSTS_PER_PAGE + 1)
    hidden = make_thread(private, author)
    make_article(author, slug="what-worked")
    make_article(author, slug="not-yet", status="draft")
    make_article(author, slug="next-week", published_at=utcnow() + timedelta(days=7))
    with app.app_context():
        with db.engine.connect() as conn:
            pages = mixed.universe(conn)
    assert pages[:len(mixed.HUBS)] == list(mixed.HUBS)
    assert f"/threads/{long_thread.id}" in pages and f"/threads/{long_thread.id}?page=2" in pages
    assert f"/threads/{hidden.id}" not in pages
    assert f"/networks/{open_network.slug}/threads/" in pages
    assert not any(private.slug in page for page in pages)
    assert "/members/writer" in pages
    assert "/articles/what-worked" in pages
    assert "/articles/not-yet" not in pages and "/articles/next-week" not in pages
