"""The layering is a contract, not a convention (issue 9, DESIGN section 2).

The import-linter contracts in pyproject.toml ([tool.importlinter]) run here, so
the suite fails when one breaks: core imports no domain, networks import none of
what lives in them, accounts none of what people wrote. Indirect imports count,
and so do relative ones (a test below proves it on a copy of the package), and
every package under network/ but core must be listed as a domain, so a new one
cannot slip past the core contract.
"""
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.api import read_configuration

import network

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
MAX_LINES = 400
_LINT = ("import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))")


def _lint(package_root: Path) -> subprocess.CompletedProcess:
    """lint-imports with this project's contracts, over the package found in package_root."""
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    return subprocess.run([sys.executable, "-c", _LINT, str(PYPROJECT)], cwd=package_root,
                          env=env, capture_output=True, text=True, timeout=300)


def _contract(contract_id: str) -> dict:
    [contract] = [c for c in read_configuration(str(PYPROJECT))["contracts_options"]
                  if c.get("id") == contract_id]
    return contract


def test_the_import_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_package_under_network_is_a_domain_core_may_not_import():
    packages = {f"network.{info.name}" for info in pkgutil.iter_modules(network.__path__)
                if info.ispkg and info.name != "core"}
    assert packages, "no domain packages found"
    listed = set(_contract("core-knows-no-domain")["forbidden_modules"])
    assert packages - listed == set(), "add these domains to the core contract in pyproject.toml"


@pytest.mark.parametrize("module, line", [
    ("core/_layer_probe.py", "from ..accounts import models  # noqa: F401\n"),
    ("core/_layer_probe.py", "from ..site import views  # noqa: F401 (indirect: site -> forum)\n"),
    ("networks/_layer_probe.py", "from ..forum import models  # noqa: F401\n"),
    ("accounts/_layer_probe.py", "from ..articles import services  # noqa: F401\n"),
])
def test_a_relative_import_across_the_layers_breaks_a_contract(tmp_path, module, line):
    copy = tmp_path / "network"
    shutil.copytree(Path(network.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy / module).write_text(line)
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and "_layer_probe" in result.stdout, result.stdout


def test_no_module_under_network_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): lines
            for path in sorted((ROOT / "network").rglob("*.py"))
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, "split these by subject"
