"""The import contract (docs/architecture.md), checked over the source with `ast`:

- `tracker.domain` imports nothing of the project outside itself;
- `tracker.texts` imports only the domain (and other texts);
- `tracker.config` imports only the domain, `tracker.errors` (and itself);
- `tracker.adapters` never imports `tracker.services` or `tracker.entrypoints`, except the ports
  it implements (`tracker.services.ports`);
- `tracker.services` never imports `tracker.entrypoints`, nor storage (`tracker.adapters.db`):
  the use cases reach the database only through the ports, so they run on fakes too;
- no module imports another that imports it back, directly or around a loop;
- unit tests import neither SQLAlchemy nor the database fixtures.

Imports inside functions count for the layers as much as those at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tracker"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.relative_to(PACKAGE).parts
    }


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports (`from a import b` names a.b when that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("tracker")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("tracker"):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
    return found


MODULES = modules()
GRAPH = {name: imports(path, set(MODULES)) for name, path in MODULES.items()}


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


PORTS = "tracker.services.ports"
RULES = [  # package, the only packages it may import (None: any), those it may not
    ("tracker.domain", ("tracker.domain",), None),
    ("tracker.texts", ("tracker.texts", "tracker.domain"), None),
    ("tracker.config", ("tracker.config", "tracker.domain", "tracker.errors"), None),
    ("tracker.adapters", None, ("tracker.services", "tracker.entrypoints")),
    ("tracker.services", None, ("tracker.entrypoints", "tracker.adapters.db")),
]


@pytest.mark.parametrize(("package", "allowed", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layers(package, allowed, forbidden):
    broken = []
    for module, targets in GRAPH.items():
        if not inside(module, package):
            continue
        for target in targets:
            if target == PORTS:  # the interfaces the adapters implement, for everyone
                continue
            ok_by_allow = allowed is None or any(inside(target, a) for a in allowed)
            ok_by_forbid = forbidden is None or not any(inside(target, f) for f in forbidden)
            if not (ok_by_allow and ok_by_forbid):
                broken.append(f"{module} imports {target}")
    assert broken == []


def test_no_import_cycles():
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH or inside(module, target):  # a package's own __init__
                continue
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_contract_sees_the_imports():
    """The checks would see a breach: the graph holds the imports it should."""
    assert "tracker.domain.model" in GRAPH["tracker.domain.engine"]
    assert any(inside(t, "tracker.services") for t in GRAPH["tracker.entrypoints.bootstrap"])
    assert len(GRAPH) > 100


def test_unit_tests_need_no_database():
    """Unit tests import neither SQLAlchemy nor the database fixtures (`tests.support`)."""
    offending = []
    for path in sorted((ROOT / "tests" / "unit").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] == "sqlalchemy" or inside(name, "tests.support"):
                    offending.append(f"{path.name} imports {name}")
    assert offending == []
