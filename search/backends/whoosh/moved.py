"""Old module paths of the Whoosh code, for indexes written before it moved here.

Whoosh pickles an index's schema into each TOC, and a pickle names classes by module path:
an index written before the code moved from search/ to search/backends/whoosh/ asks for
`search.postings.ArrayPositions`. Whoosh offers no hook on its unpickler, so the old paths
are mapped at import: a finder placed last on `sys.meta_path` answers only names no other
finder knows, and gives the module's new home under its old name. The next commit writes
the new path into its TOC.
"""

from __future__ import annotations

import importlib
import sys
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

NEW_HOME = "search.backends.whoosh"
# Every module that moved in the seam's commit (d05a8d9): `search.X` is now NEW_HOME.X.
MOVED = frozenset(
    {
        "bulkwrite",
        "facets",
        "live_index",
        "matching",
        "npy_files",
        "position_files",
        "postings",
        "query",
        "ranking",
        "schema",
        "segment_arrays",
        "suggestions",
        "summaries",
        "term_arrays",
        "version_arrays",
        "whoosh_internals",
    }
)


def new_path(old: str) -> str | None:
    """Where a moved module lives now (`search.postings` → its home here), else None."""
    package, _, name = old.rpartition(".")
    return f"{NEW_HOME}.{name}" if package == "search" and name in MOVED else None


class _MovedModule(Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The module is its new home, already run: nothing more to do."""


class OldPaths(MetaPathFinder):
    """Finds `search.X` for each moved X as the module that now holds its code."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        moved_to = new_path(fullname)
        if moved_to is None:
            return None
        return ModuleSpec(fullname, _MovedModule(moved_to))


def install() -> None:
    """Put the finder last on sys.meta_path, once."""
    if not any(isinstance(finder, OldPaths) for finder in sys.meta_path):
        sys.meta_path.append(OldPaths())
