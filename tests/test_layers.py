"""Imports flow one way, from the front ends down to plain data (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "search"
SCREENS = ("flask", "werkzeug", "jinja2", "markupsafe", "click", "waitress")
FRONT_ENDS = ("search.web", "search.cli", "search.terminal", "search.__main__")
ENGINES = ("whoosh", "pymysql", "MySQLdb")  # search engines and the SQL clients of servers
BACKENDS = "search.backends"  # the only package that may import them
INDEX_SIDE = (  # what readers and entity extraction must know nothing of
    *ENGINES,
    BACKENDS,
    "search.backend",
    "search.indexer",
    "search.layout",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth of its code (lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


MODULES = {module_name(path): imports_of(path) for path in sorted(PACKAGE.rglob("*.py"))}


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("module", [m for m in MODULES if not within(m, FRONT_ENDS)])
def test_the_core_knows_no_screen(module: str) -> None:
    assert {name for name in MODULES[module] if within(name, SCREENS)} == set()


@pytest.mark.parametrize("module", [m for m in MODULES if within(m, ("search.web",))])
def test_the_web_never_writes_reads_files_or_extracts(module: str) -> None:
    forbidden = ("whoosh", "search.indexer", "search.ingest", "search.entities", "search.cli")
    assert {name for name in MODULES[module] if within(name, forbidden)} == set()


@pytest.mark.parametrize("module", [m for m in MODULES if within(m, FRONT_ENDS)])
def test_the_front_ends_hold_a_backend_and_import_no_engine(module: str) -> None:
    # They open one with search.backend.open_backend, which imports the engine's package.
    forbidden = (*ENGINES, BACKENDS)
    assert {name for name in MODULES[module] if within(name, forbidden)} == set()


@pytest.mark.parametrize("module", [m for m in MODULES if not within(m, (BACKENDS,))])
def test_only_the_backends_import_an_engine(module: str) -> None:
    assert {name for name in MODULES[module] if within(name, ENGINES)} == set()


def test_the_backend_packages_are_reached_only_through_the_seam() -> None:
    # search.backend names them as strings and imports one on demand (import_module).
    outside = {
        m: {n for n in names if within(n, (BACKENDS,))}
        for m, names in MODULES.items()
        if not within(m, (BACKENDS,))
    }
    assert {m: names for m, names in outside.items() if names} == {}


@pytest.mark.parametrize(
    "module", [m for m in MODULES if within(m, ("search.ingest", "search.entities"))]
)
def test_readers_and_extraction_know_nothing_of_the_index(module: str) -> None:
    assert {name for name in MODULES[module] if within(name, INDEX_SIDE)} == set()


def test_models_import_nothing_of_ours_and_nothing_imports_bench() -> None:
    assert {name for name in MODULES["search.models"] if within(name, ("search",))} == set()
    assert [m for m, names in MODULES.items() if any(within(n, ("bench",)) for n in names)] == []


def test_the_architecture_notes_list_the_modules_that_import_whoosh() -> None:
    notes = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    sentence = notes.split("These modules of `backends/whoosh/` import `whoosh`:", 1)[1]
    sentence = sentence.split("Nothing outside", 1)[0]
    listed = {f"{BACKENDS}.whoosh.{name}" for name in re.findall(r"`(\w+)`", sentence)}
    importing = {m for m, names in MODULES.items() if any(within(n, ("whoosh",)) for n in names)}
    assert listed == importing
