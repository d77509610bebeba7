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
