"""Word positions written beside each segment at index time, and mapped when read.

Whoosh keeps a term's positions inside its posting blocks: each block a zlib-compressed
pickle of every posting's value, so a phrase of two common words first read means
unpickling thousands of blocks (hundreds of milliseconds on 220,000 articles). Here the
bulk writer also saves each text field's occurrences as arrays beside the segment:

- `<segment id>.positions_<field>_terms.npy`: the field's terms in byte order, joined;
- `..._index.npy`: per term, where its text ends in `terms` and where its occurrences
  start and end;
- `..._occurrences.npy`: every occurrence as (document, position), term by term, each
  term's in document then position order.

A term's occurrences are then one binary search and one slice of a mapped file. Like the
facet columns (segment_arrays.py), the files are named after their segment, so
Whoosh removes them with it; they hold deleted documents too (readers drop those). A
segment without them (written by Whoosh's own writer, or before these files existed) is
read from its posting blocks, as before: a block at a time where positions are stored as
ArrayPositions, posting by posting for older indexes' pickles.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from search.backends.whoosh.npy_files import save_array
from search.backends.whoosh.postings import POSITION_TYPE, ArrayPositions
from search.backends.whoosh.term_arrays import JoinedTerms
from search.backends.whoosh.whoosh_internals import (
    block_values,
    field_terms,
    open_segment,
    reads_by_block,
    segment_location,
    without_deletions,
)

PARTS = ("terms", "index", "occurrences")
OCCURRENCE_TYPE = np.dtype("<u4")  # documents and positions of one segment fit 32 bits


def position_file(folder: Path, segment_id: str, field: str, part: str) -> Path:
    """Where one part of a segment's position table of a field lives."""
    return folder / f"{segment_id}.positions_{field}_{part}.npy"


class PositionTable:
    """One segment's occurrences of every term of one field, mapped from its files."""

    def __init__(self, terms: np.ndarray, index: np.ndarray, occurrences: np.ndarray) -> None:
        self.terms = JoinedTerms(terms, index[:, 0])  # column 0: where each term ends
        self.index = index
        self.occurrences = occurrences

    def lookup(self, term: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """The term's documents and positions in this segment (None when it is absent)."""
        row = self.terms.find(term)
        if row < 0:
            return None
        start, end = int(self.index[row, 1]), int(self.index[row, 2])
        found = np.asarray(self.occurrences[start:end], dtype=np.int64)
        return found[:, 0], found[:, 1]


def table_arrays(
    stems: list[bytes], numbers: np.ndarray, documents: np.ndarray, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A segment's position table of a field from its occurrences in term-number order.

    `stems[n]` is term number n; `numbers`, `documents` and `positions` give each
    occurrence's term number, document and position, sorted by term number (then
    document and position, as they came).
    """
    counts = np.bincount(numbers, minlength=len(stems))
    starts = np.concatenate(([0], np.cumsum(counts)))
    order = sorted(range(len(stems)), key=stems.__getitem__)
    in_order = [stems[number] for number in order]
    index = np.empty((len(order), 3), dtype=np.int64)
    index[:, 0] = np.cumsum([len(stem) for stem in in_order])
    index[:, 1] = starts[order]
    index[:, 2] = starts[np.asarray(order, dtype=np.int64) + 1]
    terms = np.frombuffer(b"".join(in_order), dtype=np.uint8)
    occurrences = np.empty((len(documents), 2), dtype=OCCURRENCE_TYPE)
    occurrences[:, 0] = documents
    occurrences[:, 1] = positions
    return terms, index, occurrences


def save_table(
    folder: Path, segment_id: str, field: str, arrays: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    """Write a segment's position table of a field; each file appears whole or not at all.

    The occurrences go last: a table is read only when all its files are there.
    """
    for part, array in zip(PARTS, arrays, strict=True):
        save_array(position_file(folder, segment_id, field, part), array)


def has_table(folder: Path, segment_id: str, field: str) -> bool:
    """Whether a segment has every file of a field's position table."""
    return all(position_file(folder, segment_id, field, part).exists() for part in PARTS)


def load_table(folder: Path, segment_id: str, field: str) -> PositionTable | None:
    """A segment's position table of a field, mapped from its files; None without them."""
    paths = [position_file(folder, segment_id, field, part) for part in PARTS]
    if not all(path.exists() for path in paths):
        return None
    # Plain arrays over the mapped files: slicing a np.memmap costs a Python object each.
    terms, index, occurrences = (
        np.asarray(np.load(path, mmap_mode="r", allow_pickle=False)) for path in paths
    )
    return PositionTable(terms, index, occurrences)


def position_fields(schema: Any) -> list[str]:
    """The fields of a schema that store word positions."""
    return [
        name
        for name, field in schema.items()
        if field.format is not None and field.format.supports("positions")
    ]


def write_missing_tables(folder: Path, schema: Any, storage: Any, segments: Any) -> None:
    """Give every segment that lacks them its position tables, read from its postings.

    Called before a commit with all the segments it will hold: segments Whoosh's own
    writer wrote (changed articles, merges) and those of an index written before the
    tables (once) get them here.
    """
    for segment in segments:
        segment_id = segment.segment_id()
        missing = [f for f in position_fields(schema) if not has_table(folder, segment_id, f)]
        if not missing or segment.is_compound():  # a compound segment's files are not read
            continue
        reader = open_segment(storage, schema, segment)
        try:
            for field in missing:
                table = read_table(reader, field)
                if len(table[0]):  # a field without terms needs no table: nothing to find
                    save_table(folder, segment_id, field, table)
        finally:
            reader.close()


def read_table(segment: Any, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A segment's position table of a field, read term by term from its posting blocks
    (deleted documents included, as the bulk writer writes them)."""
    stems, documents, positions = [], [], []
    field_format = segment.schema[field].format
    for text, matcher in field_terms(segment, field):
        if isinstance(field_format, ArrayPositions) and reads_by_block(matcher):
            found = array_positions(matcher)
        else:
            found = decoded_positions(matcher, field_format)
        stems.append(bytes(text))
        documents.append(found[0])
        positions.append(found[1])
    if not stems:
        empty = np.zeros(0, dtype=np.int64)
        return table_arrays([], empty, empty, empty)
    numbers = np.repeat(np.arange(len(stems)), [len(part) for part in documents])
    return table_arrays(stems, numbers, np.concatenate(documents), np.concatenate(positions))


class PositionTables:
    """The position tables of one index version's segments, each opened once when needed."""

    def __init__(self) -> None:
        self._tables: dict[tuple[Path, str, str], PositionTable | None] = {}
        self._lock = threading.Lock()

    def of(self, segment: Any, field: str) -> PositionTable | None:
        """A segment reader's table of a field; None when the segment has none."""
        folder, segment_id = segment_location(segment)
        if folder is None:
            return None
        key = (folder, segment_id, field)
        with self._lock:
            if key not in self._tables:
                self._tables[key] = load_table(folder, segment_id, field)
            return self._tables[key]


Occurrences = tuple[np.ndarray, np.ndarray]  # documents and word positions, int64


def read_positions(
    reader: Any, field: str, text: Any, tables: PositionTables | None = None
) -> Occurrences:
    """A term's occurrences over every segment: document numbers and word positions."""
    tables = tables if tables is not None else PositionTables()
    documents, positions = [], []
    for segment, offset in reader.leaf_readers():
        found = segment_positions(segment, field, text, tables.of(segment, field))
        if found is not None:
            documents.append(found[0] + offset)
            positions.append(found[1])
    if not documents:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(documents), np.concatenate(positions)


def segment_positions(
    segment: Any, field: str, text: Any, table: PositionTable | None
) -> Occurrences | None:
    """One segment's occurrences of a term without its deleted documents; None if absent."""
    deleted: Any = ()
    if table is not None:
        term = text if isinstance(text, bytes) else segment.schema[field].to_bytes(text)
        found = table.lookup(term)
        if found is not None and segment.has_deletions():
            deleted = segment.segment().deleted_docs()
    elif (field, text) in segment:
        deleted, matcher = without_deletions(segment.postings(field, text))
        field_format = segment.schema[field].format
        if isinstance(field_format, ArrayPositions) and reads_by_block(matcher):
            found = array_positions(matcher)
        else:
            found = decoded_positions(matcher, field_format)
    else:
        return None
    if found is not None and deleted:
        keep = ~np.isin(found[0], np.fromiter(deleted, dtype=np.int64))
        found = found[0][keep], found[1][keep]
    return found


def array_positions(matcher: Any) -> Occurrences:
    """One segment's occurrences of a term stored as ArrayPositions, a block at a time.

    All the blocks' values are joined and viewed as one array of 4-byte words: each
    posting is its count followed by its positions, so dropping the counts leaves every
    position in document order, with no loop over postings in Python.
    """
    ids: list[np.ndarray] = []
    values: list[bytes] = []
    for deltas, block_values_ in block_values(matcher):
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        values.extend(block_values_)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    words = np.frombuffer(b"".join(values), dtype=POSITION_TYPE)
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
    heads = np.cumsum(sizes) - sizes
    keep = np.ones(len(words), dtype=bool)
    keep[heads] = False
    documents = np.repeat(np.concatenate(ids), sizes - 1)
    return documents, words[keep].astype(np.int64)


def decoded_positions(matcher: Any, field_format: Any) -> Occurrences:
    """One segment's occurrences of a term, posting by posting (older indexes' pickles)."""
    documents, positions = [], []
    while matcher.is_active():
        found = field_format.decode_positions(matcher.value())
        documents.extend([matcher.id()] * len(found))
        positions.extend(found)
        matcher.next()
    return np.asarray(documents, dtype=np.int64), np.asarray(positions, dtype=np.int64)
