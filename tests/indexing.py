"""Indexing into a backend, as `newsarchive index --index-dir DIR [--backend URL]` does."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from search.backend import open_backend
from search.indexer import index_paths
from search.models import IndexReport


def index_into(
    paths: Iterable[str | Path], index_dir: Path, url: str | None = None, **options: Any
) -> IndexReport:
    """Index `paths` through the backend `url` names (default `whoosh:INDEX_DIR`, made if
    missing), with `index_dir` as its state directory; options as index_paths takes them.
    A Manticore cluster: `index_into(paths, state_dir, sphinx_cluster.url)`."""
    backend = open_backend(url or f"whoosh:{index_dir}", Path(index_dir))
    try:
        return index_paths(paths, backend, **options)
    finally:
        backend.close()
