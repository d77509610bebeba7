"""Settings from the environment, with safe defaults.

Every setting can be overridden by the mapping given to ``create_app(config)``;
tests and the benchmark use that instead of touching the environment.
"""
import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """The environment asks for something we refuse to run with."""


SHARED_STATE_NEEDS_REDIS = (
    "NETWORK_ENV=production needs REDIS_URL: without Redis each server keeps its own "
    "cache version, remembered rows and rate-limit counts, so a removal or a password "
    "change made on one server is not seen by another. Set REDIS_URL, or SINGLE_SERVER=1 "
    "if this is the only app server.")


def database_url(raw: str | None, instance_path: str) -> str:
    """Normalise DATABASE_URL; default to a SQLite file in the instance folder."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "network.db")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def _secret_key(env: str, instance_path: str) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY must be set when NETWORK_ENV=production")
    # Development: keep one key on disk so every gunicorn worker (and every
    # restart) signs sessions the same way.
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _whole_number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _domains(raw: str) -> tuple[str, ...]:
    """``"nhs.net, *.gov.uk"`` -> ("nhs.net", "*.gov.uk"); anything else is refused."""
    domains = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
    for domain in domains:
        bare = domain[2:] if domain.startswith("*.") else domain
        if not bare or "*" in bare or "@" in bare or "." not in bare:
            raise ConfigError(f"VERIFIED_DOMAINS: {domain!r} is not a domain like nhs.net "
                              "or *.gov.uk")
    return domains


def from_environment(instance_path: str, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    env = overrides.get("NETWORK_ENV") or os.environ.get("NETWORK_ENV", "development")
    production = env == "production"
    redis_url = overrides.get("REDIS_URL", os.environ.get("REDIS_URL"))
    uri = database_url(overrides.get("DATABASE_URL") or os.environ.get("DATABASE_URL"),
                       instance_path)
    settings = {
        "NETWORK_ENV": env,
        "SQLALCHEMY_DATABASE_URI": uri,
        # A server connection can drop while pooled: ping it on checkout. A SQLite
        # file cannot, so it skips the ping (a statement saved on every request).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not uri.startswith("sqlite")},
        "REDIS_URL": redis_url,
        "MAIL_URL": os.environ.get("MAIL_URL"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "What Works Network <no-reply@whatworks.example>"),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        # Proxies in front whose X-Forwarded-For/-Proto are believed: behind nginx
        # exactly 1. With 0 behind a proxy every client shares the proxy's limits;
        # with more than there are, clients choose their own address.
        "PROXY_HOPS": _whole_number("PROXY_HOPS", 1 if production else 0),
        # Memory keeps each worker's own counts (a limit is N times looser with N
        # workers); Redis shares them between workers and machines.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "CACHE_ENABLED": _flag("CACHE_ENABLED", True),
        "CACHE_OWN_PAGES": _flag("CACHE_OWN_PAGES", True),
        "CACHE_MAX_AGE": _whole_number("CACHE_MAX_AGE", 30),
        "CACHE_MAX_BYTES": _whole_number("CACHE_MAX_BYTES", 16 * 1024 * 1024),
        "CACHE_QUERY_PERCENT": _whole_number("CACHE_QUERY_PERCENT", 25),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # The library (issue 13): its upload routes alone take bodies up to
        # LIBRARY_MAX_UPLOAD (core/security.py's Request); nginx matches it there.
        "LIBRARY_DIR": os.environ.get("LIBRARY_DIR") or str(Path(instance_path) / "library"),
        "LIBRARY_MAX_UPLOAD": _whole_number("LIBRARY_MAX_UPLOAD", 25 * 1024 * 1024),
        "LIBRARY_MAX_ENTRIES": _whole_number("LIBRARY_MAX_ENTRIES", 2_000),
        "LIBRARY_MAX_INFLATED": _whole_number("LIBRARY_MAX_INFLATED", 100 * 1024 * 1024),
        "LIBRARY_EXTRACT_SECONDS": _whole_number("LIBRARY_EXTRACT_SECONDS", 10),
        "LIBRARY_EXTRACT_MEMORY": _whole_number("LIBRARY_EXTRACT_MEMORY", 512 * 1024 * 1024),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "PASSWORD_RESET_HOURS": 2,
        # Confirmed addresses on these domains are marked "verified organisation
        # address" on profiles: "nhs.net" is that domain exactly, "*.gov.uk" any
        # domain under gov.uk. Comma-separated; empty marks nobody.
        "VERIFIED_DOMAINS": _domains(os.environ.get("VERIFIED_DOMAINS", "")),
        # Moderators and admins act as such only with two-factor sign-in on
        # (accounts/twofactor.py). Turn off only for a site run by one person.
        "STAFF_TWO_FACTOR": _flag("STAFF_TWO_FACTOR", True),
    }
    settings.update(overrides)
    settings.setdefault("SINGLE_SERVER", _flag("SINGLE_SERVER", False))
    if production and not settings["REDIS_URL"] and not settings["SINGLE_SERVER"]:
        raise ConfigError(SHARED_STATE_NEEDS_REDIS)
    if "SECRET_KEY" not in overrides:
        settings["SECRET_KEY"] = _secret_key(env, instance_path)
    return settings
