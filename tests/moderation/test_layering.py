"""Moderation knows no content domain, and the content domains reach moderation only
through its low-level modules (the log writer, the registry, the models): the
layering is checked here, relative imports included (an import-linter contract says
the same; see the report of issue 9)."""
import ast
from pathlib import Path

import network

PACKAGE = Path(network.__file__).parent
CONTENT_DOMAINS = ("network.forum", "network.articles")
LOW_LEVEL = {"network.moderation.log", "network.moderation.registry",
             "network.moderation.models"}


def _imports(module_path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module this file imports, with relative imports made absolute."""
    package = list(module_path.relative_to(root).with_suffix("").parts)[:-1]
    found = set()
    for node in ast.walk(ast.parse(module_path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _modules(package: str):
    return sorted((PACKAGE.parent / package.replace(".", "/")).rglob("*.py"))


def _is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_moderation_imports_no_content_domain():
    offending = {(path.name, name) for path in _modules("network.moderation")
                 for name in _imports(path)
                 if any(_is_under(name, domain) for domain in CONTENT_DOMAINS)}
    assert offending == set()


def test_content_domains_use_only_moderations_low_level_modules():
    offending = set()
    for domain in CONTENT_DOMAINS:
        for path in _modules(domain):
            for name in _imports(path):
                if (_is_under(name, "network.moderation") and name != "network.moderation"
                        and not any(_is_under(name, low) for low in LOW_LEVEL)):
                    offending.add((domain, path.name, name))
    assert offending == set()


def test_the_check_sees_relative_imports(tmp_path):
    sample = tmp_path / "network" / "moderation" / "sample.py"
    sample.parent.mkdir(parents=True)
    sample.write_text("from ..forum import services\nfrom . import log\n")
    found = _imports(sample, root=tmp_path)
    assert "network.forum.services" in found and "network.moderation.log" in found
