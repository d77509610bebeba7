"""Production with no Redis refuses to start unless told it is the only server."""
import pytest

from network import create_app
from network.config import ConfigError, from_environment


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("NETWORK_ENV", "production")
    monkeypatch.setenv("NETWORK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    for name in ("REDIS_URL", "SINGLE_SERVER"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_without_redis_refuses_to_start(production):
    with pytest.raises(ConfigError, match="REDIS_URL.*SINGLE_SERVER=1"):
        create_app()


def test_single_server_may_run_without_redis(production):
    production.setenv("SINGLE_SERVER", "1")
    app = create_app()
    assert app.config["SINGLE_SERVER"] and app.config["REDIS_URL"] is None


def test_production_with_redis_starts(production, tmp_path):
    production.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_development_needs_no_redis(production, tmp_path):
    production.setenv("NETWORK_ENV", "development")
    assert from_environment(str(tmp_path))["SINGLE_SERVER"] is False
