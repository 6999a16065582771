"""Whoosh's private names are used in one module only, and checked when it is imported."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from search.backends.whoosh.whoosh_internals import (
    PINNED_WHOOSH,
    REQUIRED,
    check_internals,
    installed_whoosh,
)
from search.errors import EngineMismatch

PROJECT = Path(__file__).resolve().parents[1]
INTERNALS = PROJECT / "search" / "backends" / "whoosh" / "whoosh_internals.py"
# Documented names that only look private: the standard library's and Flask's url_for's.
ALLOWED_ELSEWHERE = {"os._exit", "?._external"}


def private_names(tree: ast.AST, with_own: bool = False) -> set[str]:
    """`x._name` attribute uses and `getattr(x, "_name")` calls in a module.

    With `with_own`, also `self._name` and methods named `_name`: in the internals
    module those are Whoosh's, which its subclasses use and override.
    """
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            owner = node.value.id if isinstance(node.value, ast.Name) else "?"
            if with_own or owner not in ("self", "cls"):
                found.add(f"{owner}.{node.attr}")
        elif with_own and isinstance(node, ast.FunctionDef) and is_private(node.name):
            found.add(f"def.{node.name}")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "hasattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and is_private(str(name.value)):
                found.add(f"?.{name.value}")
        elif isinstance(node, ast.keyword) and is_private(node.arg or ""):
            found.add(f"?.{node.arg}")  # a private keyword argument, like _lk=False
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found.update(f"{node.module}.{a.name}" for a in node.names if is_private(a.name))
    return found


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_the_installed_whoosh_has_every_private_name_we_use() -> None:
    check_internals()  # also ran at import; an upgrade of the pin that breaks it fails here


def test_a_missing_private_name_is_named_with_the_installed_version() -> None:
    owner = "whoosh.codec.whoosh3.W3PostingsWriter"
    with pytest.raises(EngineMismatch) as raised:
        check_internals({owner: ("_write_block", "_write_whole_block")})
    message = raised.value.message
    assert f"{owner}._write_whole_block" in message
    assert installed_whoosh() in message and PINNED_WHOOSH in message
    assert "make install" in message and "\n" not in message


def test_a_missing_class_is_named_too() -> None:
    with pytest.raises(EngineMismatch, match=r"has no whoosh\.codec\.whoosh3\.W4LeafMatcher;"):
        check_internals({"whoosh.codec.whoosh3.W4LeafMatcher": ("_data",)})


def test_instance_attributes_and_parameters_count_as_present() -> None:
    check_internals(
        {
            "whoosh.codec.whoosh3.W3LeafMatcher": ("_data", "_blocklength"),  # set in methods
            "whoosh.writing.SegmentWriter.__init__": ("_lk",),  # a keyword parameter
        }
    )
    with pytest.raises(EngineMismatch):
        check_internals({"whoosh.writing.SegmentWriter.__init__": ("_lock_it",)})


def test_the_check_covers_exactly_the_private_names_the_module_uses() -> None:
    tree = ast.parse(INTERNALS.read_text(encoding="utf-8"))
    used = {name.rsplit(".", 1)[1] for name in private_names(tree, with_own=True)}
    checked = {name for names in REQUIRED.values() for name in names if is_private(name)}
    assert used == checked


def test_no_other_module_uses_a_private_name_of_whoosh() -> None:
    offenders = {}
    for path in sorted((PROJECT / "search").rglob("*.py")):
        if path == INTERNALS:
            continue
        names = private_names(ast.parse(path.read_text(encoding="utf-8")))
        if names - ALLOWED_ELSEWHERE:
            offenders[str(path.relative_to(PROJECT))] = sorted(names - ALLOWED_ELSEWHERE)
    assert offenders == {}


def test_the_checked_version_is_the_pinned_one() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [p for p in project["project"]["dependencies"] if p.startswith("whoosh-reloaded")]
    assert pins == [f"whoosh-reloaded=={PINNED_WHOOSH}"]
    assert re.search(rf"^whoosh-reloaded=={re.escape(PINNED_WHOOSH)}\b", lock_text(), re.M)
    assert installed_whoosh() == f"whoosh-reloaded {PINNED_WHOOSH}"


def lock_text() -> str:
    return (PROJECT / "requirements.lock").read_text(encoding="utf-8")
