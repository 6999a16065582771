"""Facet columns written beside each segment at index time, and mapped when a version opens.

A search counts every facet over its matches, so a new index version needs each facet
field as arrays (the document and value of every posting) before its first answer.
Reading them from the postings costs seconds on a large archive; here each segment gets
them as `.npy` files when it is written, and opening a version maps them
(`np.load(mmap_mode="r")`). The files are named after the segment
(`<segment id>.facet_<field>_<part>.npy`), so Whoosh removes them with their segment
when a merge or a rebuild drops it. They hold every document of the segment, deleted or
not: deletions are applied when a version is opened.

Every facet field of the schema (schema.py FACET_FIELDS) gets its files, so a new
facet field needs nothing here. Segments without them (indexes written before, or a
segment whose files were lost) are read from their postings instead, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from search.backends.whoosh.matching import field_postings, read_leaf
from search.backends.whoosh.npy_files import save_array
from search.backends.whoosh.schema import FACET_FIELDS
from search.backends.whoosh.term_arrays import (
    has_table,
    positional_fields,
    save_table,
    table_of_terms,
)
from search.backends.whoosh.whoosh_internals import field_terms, open_segment

PARTS = ("values", "documents", "ids")
BODY = "body"  # every segment's text: its table tells the segment has its tables
SegmentColumn = tuple[np.ndarray, np.ndarray, np.ndarray]  # values, documents, value ids


def column_file(folder: Path, segment_id: str, field: str, part: str) -> Path:
    """Where one part of a segment's facet column lives."""
    return folder / f"{segment_id}.facet_{field}_{part}.npy"


def column_of_terms(terms: Iterable[tuple[str, np.ndarray]]) -> SegmentColumn:
    """A segment's facet column from each value (in sorted order) and its documents,
    ordered by document so that a version can find each document's values directly."""
    values, parts = [], []
    for value, documents in terms:
        values.append(value)
        parts.append(np.asarray(documents, dtype=np.int32))
    if not parts:
        empty = np.zeros(0, dtype=np.int32)
        return np.array([], dtype=str), empty, empty
    documents = np.concatenate(parts)
    ids = np.repeat(np.arange(len(values), dtype=np.int32), [len(p) for p in parts])
    order = np.argsort(documents, kind="stable")
    return np.array(values, dtype=str), documents[order], ids[order]


def save_column(folder: Path, segment_id: str, field: str, column: SegmentColumn) -> None:
    """Write one facet column of a segment; each file appears whole or not at all."""
    for part, array in zip(PARTS, column, strict=True):
        save_array(column_file(folder, segment_id, field, part), array)


def load_column(folder: Path, segment_id: str, field: str) -> SegmentColumn | None:
    """A segment's facet column, mapped from its files; None when it has none."""
    paths = [column_file(folder, segment_id, field, part) for part in PARTS]
    if not all(path.exists() for path in paths):
        return None
    values, documents, ids = (
        np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray) for path in paths
    )
    return values, documents, ids


def read_column(segment: Any, field: str) -> SegmentColumn:
    """A segment's facet column read from its postings (for segments without files)."""
    return column_of_terms(field_postings(segment, field))


def write_missing(folder: Path, schema: Any, storage: Any, segments: Iterable[Any]) -> None:
    """Give every segment that lacks them its facet columns' and term tables' files, read
    from its postings.

    Called before a commit with all the segments it will hold: the segments Whoosh's own
    writer wrote (changed articles, merges) get their files here.
    """
    for segment in segments:
        segment_id = segment.segment_id()
        missing = [f for f in FACET_FIELDS.values() if not has_column(folder, segment_id, f)]
        tables = not has_table(folder, segment_id, BODY)
        if not missing and not tables:
            continue
        reader = open_segment(storage, schema, segment)
        try:
            for field in missing:
                save_column(folder, segment_id, field, read_column(reader, field))
            for field in positional_fields(schema) if tables else []:
                table = table_of_terms(segment_terms(reader, field))
                if len(table[1]) or field == BODY:  # an empty field has no table, but body
                    save_table(folder, segment_id, field, table)  # says the segment has them
        finally:
            reader.close()


def segment_terms(segment: Any, field: str) -> Iterator[tuple[bytes, np.ndarray, np.ndarray]]:
    """Each term of a field in a segment with its documents and weights (deleted included)."""
    for text, matcher in field_terms(segment, field):
        documents, weights = read_leaf(matcher)
        yield text, documents, weights


def has_column(folder: Path, segment_id: str, field: str) -> bool:
    """Whether a segment has every file of a facet column."""
    return all(column_file(folder, segment_id, field, part).exists() for part in PARTS)
