"""Indexing into a Whoosh index directory, as `newsarchive index --index-dir DIR` does."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from search.backend import open_backend
from search.indexer import index_paths
from search.models import IndexReport


def index_into(paths: Iterable[str | Path], index_dir: Path, **options: Any) -> IndexReport:
    """Index `paths` into the Whoosh index of `index_dir` (made if missing), through the
    backend `whoosh:INDEX_DIR` opens; options as index_paths takes them."""
    backend = open_backend(f"whoosh:{index_dir}", Path(index_dir))
    try:
        return index_paths(paths, backend, **options)
    finally:
        backend.close()
