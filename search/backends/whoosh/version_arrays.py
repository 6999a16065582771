"""Per-document arrays of a whole index version, written at commit time and mapped at open.

A version's first answer needs its dates, the lengths of its text fields and every facet
column over all its segments (facets.py `read_arrays`). Merging them from the
segments costs about a second on 220,000 articles, so every commit writes them, just
before the TOC that makes the version live, as `.npy` files named after the TOC's
generation (`_MAIN_<generation>.arrays_<name>.npy`), and opening the version maps them
(`np.load(mmap_mode="r")`). They hold deleted documents too: deletions are applied when
the version is opened, as for the segments' own files (segment_arrays.py).

The segments the files were written for are listed in them and checked at open; a
version without files (an index written before them, or committed by Whoosh's own
writer) has its arrays read from its segments instead, as before. Whoosh does not know
these files: each commit removes those of generations before the previous one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import MultiReader

from search.backends.whoosh.facets import (
    ArchiveArrays,
    alive_documents,
    arrays_from,
    build_arrays,
    read_arrays,
)
from search.backends.whoosh.npy_files import save_array
from search.backends.whoosh.position_files import write_missing_tables
from search.backends.whoosh.segment_arrays import write_missing
from search.backends.whoosh.whoosh_internals import open_segment, segment_location, storage_folder

INDEX_NAME = "MAIN"  # Whoosh's default index name, which ours use
SEGMENTS = "segments"  # the ids of the segments the arrays were written for, in order
KEPT_GENERATIONS = 2  # this version's files and the previous one's, for readers opening it
_GENERATION = re.compile(rf"_{INDEX_NAME}_(\d+)\.arrays_")


def array_file(folder: Path, generation: int, name: str) -> Path:
    """Where one named array of a version lives."""
    return folder / f"_{INDEX_NAME}_{generation}.arrays_{name}.npy"


def before_commit(ix: Any) -> Callable[[list[Any], int], None]:
    """What a commit calls with its segments and generation just before its TOC: gives
    each new segment its facet columns', term tables' and word positions' files, and the
    version its arrays' files."""
    folder = storage_folder(ix)

    def write(segments: list[Any], generation: int) -> None:
        if folder is not None:
            write_missing(folder, ix.schema, ix.storage, segments)
            write_missing_tables(folder, ix.schema, ix.storage, segments)
            write_version(folder, ix.schema, ix.storage, segments, generation)

    return write


def write_version(
    folder: Path, schema: Any, storage: Any, segments: list[Any], generation: int
) -> None:
    """Write the arrays of the version made of `segments`, and drop older versions' files."""
    if segments:
        readers = [open_segment(storage, schema, segment) for segment in segments]
        reader = MultiReader(readers)
        try:
            named = read_arrays(reader)
        finally:
            reader.close()
        named[SEGMENTS] = np.array([segment.segment_id() for segment in segments], dtype=str)
        for name, array in named.items():
            save_array(array_file(folder, generation, name), array)
    drop_older(folder, generation)


def drop_older(folder: Path, generation: int) -> None:
    """Remove the array files of versions older than the previous one."""
    for path in folder.glob(f"_{INDEX_NAME}_*.arrays_*.npy"):
        found = _GENERATION.match(path.name)
        if found and int(found.group(1)) <= generation - KEPT_GENERATIONS:
            path.unlink(missing_ok=True)


def load_version(reader: Any) -> dict[str, np.ndarray] | None:
    """A reader's version arrays, mapped from their files; None when it has none (or
    they were written for other segments)."""
    leaves = [segment_location(segment) for segment, _ in reader.leaf_readers()]
    if not leaves or leaves[0][0] is None:
        return None
    folder, generation = leaves[0][0], reader.generation()
    listed = array_file(folder, generation, SEGMENTS)
    if not listed.exists():
        return None
    segments = np.load(listed, allow_pickle=False).tolist()
    if segments != [segment_id for _, segment_id in leaves]:
        return None
    prefix = listed.name.removesuffix(f"{SEGMENTS}.npy")
    named = {}
    for path in folder.glob(f"{prefix}*.npy"):
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
        named[path.name[len(prefix) : -4]] = mapped.view(np.ndarray)  # memmap indexes slowly
    return named


def version_arrays(reader: Any) -> ArchiveArrays:
    """A reader's per-document arrays: mapped when its version has files, else read."""
    named = load_version(reader)
    if named is None:
        return build_arrays(reader)
    try:
        return arrays_from(named, alive_documents(reader))
    except KeyError:  # files written before an array was added: read them all instead
        return build_arrays(reader)
