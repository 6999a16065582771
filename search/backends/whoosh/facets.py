"""Facet counting over the matching documents, from per-searcher arrays built once.

Whoosh's own `groupedby` rebuilds every article's value list from the postings on each
search (about a second on Reuters-21578); here each facet field becomes two arrays,
(document, value) per posting, and a search's counts are one vectorised bincount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.backends.whoosh.matching import PostingsReader, alive_documents, read_lengths
from search.backends.whoosh.schema import FACET_FIELDS, TEXT_FIELDS
from search.backends.whoosh.segment_arrays import SegmentColumn, load_column, read_column
from search.backends.whoosh.whoosh_internals import numeric_array, segment_location
from search.models import FacetValue
from search.months import SECONDS_PER_DAY, rank_dates

SPARSE_FACTOR = 3  # below a third of the postings' documents, count per matched document


@dataclass(frozen=True)
class FacetColumn:
    """One facet field as parallel arrays: the document and value of every posting,
    ordered by document, with where each document's postings start (`starts[d]` to
    `starts[d + 1]`), so a search with few matches reads only their values."""

    values: list[str]
    documents: np.ndarray
    value_ids: np.ndarray
    starts: np.ndarray  # one more than there are documents

    def counts(self, matched: np.ndarray) -> np.ndarray:
        """How many matched documents carry each value, by value id."""
        documents = np.flatnonzero(matched[: len(self.starts) - 1])
        if len(documents) * SPARSE_FACTOR >= len(self.documents):
            return np.bincount(self.value_ids[matched[self.documents]], minlength=len(self.values))
        starts = self.starts
        begin, lengths = starts[documents], starts[documents + 1] - starts[documents]
        offsets = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths)
        positions = np.arange(int(lengths.sum())) + offsets
        return np.bincount(self.value_ids[positions], minlength=len(self.values))

    def top(self, matched: np.ndarray, limit: int) -> list[FacetValue]:
        """The `limit` values most matched documents carry, ties alphabetically.

        Only the few values that can make the list are ranked: a facet of thousands of
        names costs one bincount and one partition, not a sort of every name.
        """
        if limit <= 0:
            return []
        counts = self.counts(matched)
        present = np.flatnonzero(counts)
        if len(present) > limit:
            cut = np.partition(counts[present], len(present) - limit)[len(present) - limit]
            present = present[counts[present] >= cut]
        # The lexicon is sorted, so value ids order ties alphabetically.
        chosen = present[np.lexsort((present, -counts[present]))][:limit]
        return [FacetValue(self.values[i], int(counts[i])) for i in chosen]

    def count(self, matched: np.ndarray) -> dict[str, int]:
        """How many matched documents carry each value (values with none left out)."""
        counts = self.counts(matched)
        return {self.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def empty_column() -> FacetColumn:
    """A facet column without values."""
    empty = np.zeros(0, dtype=np.intp)
    return FacetColumn([], empty, empty, np.zeros(1, dtype=np.intp))


def document_starts(documents: np.ndarray, size: int) -> np.ndarray:
    """Where each of `size` documents' postings start in postings ordered by document."""
    starts = np.zeros(size + 1, dtype=np.intp)
    np.cumsum(np.bincount(documents, minlength=size), out=starts[1:])
    return starts


def facet_parts(reader: Any, field: str) -> SegmentColumn:
    """A facet field's values, and the documents (deleted ones too) and value ids of its
    postings over every segment, by document: mapped from the files written beside each
    segment at index time, or read from its postings where there are none. An index
    written before the field existed has no values for it until it is written again."""
    if field not in reader.schema:
        empty = np.zeros(0, dtype=np.int32)
        return np.array([], dtype=str), empty, empty
    parts = []
    for segment, offset in reader.leaf_readers():
        folder, segment_id = segment_location(segment)
        found = load_column(folder, segment_id, field) if folder is not None else None
        parts.append((found if found is not None else read_column(segment, field), offset))
    if len(parts) == 1 and parts[0][1] == 0:
        return parts[0][0]
    values, documents, value_ids = merged_columns(parts)
    return np.array(values, dtype=str), documents, value_ids


def merged_columns(
    parts: list[tuple[SegmentColumn, int]],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Several segments' columns as one: their values united, each segment's ids mapped."""
    if not parts:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    values, inverse = np.unique(np.concatenate([p[0][0] for p in parts]), return_inverse=True)
    documents, value_ids, start = [], [], 0
    for (segment_values, segment_documents, segment_ids), offset in parts:
        documents.append(segment_documents.astype(np.int64) + offset)
        value_ids.append(inverse[start : start + len(segment_values)][segment_ids])
        start += len(segment_values)
    return values.tolist(), np.concatenate(documents), np.concatenate(value_ids)


def numeric_column(reader: Any, name: str, size: int) -> np.ndarray:
    """A numeric column of every segment as one array, each read in one piece if it can be."""
    parts = []
    for segment, _ in reader.leaf_readers():
        column = segment.column_reader(name, translate=False)
        values = numeric_array(column)
        if values is None:
            values = np.fromiter(iter(column), dtype=np.int64, count=segment.doc_count_all())
        parts.append(values.astype(np.int64))
    return np.concatenate(parts) if parts else np.zeros(size, dtype=np.int64)


@dataclass(frozen=True)
class ArchiveArrays:
    """What a searcher's searches need per document, read once: facet columns and dates."""

    columns: dict[str, FacetColumn]
    timestamps: np.ndarray  # seconds since 1970, UTC; 0 for undated articles
    dated: np.ndarray  # bool
    day_known: dict[int, bool] = field(default_factory=dict, compare=False)
    postings: PostingsReader | None = field(default=None, compare=False)
    lengths: dict[str, np.ndarray] = field(default_factory=dict, compare=False)


def read_arrays(reader: Any) -> dict[str, np.ndarray]:
    """Every per-document array a version needs, by name, read from its segments: dates,
    the lengths of the main text fields, each facet's column (deleted documents included)."""
    size = reader.doc_count_all()
    arrays = {
        "timestamp": numeric_column(reader, "timestamp", size),
        "dated": numeric_column(reader, "dated", size) == 1,
    }
    for name in TEXT_FIELDS:
        if name in reader.schema:
            arrays[f"length_{name}"] = read_lengths(reader, name, size)
    for name in sorted(set(FACET_FIELDS.values())):
        values, documents, value_ids = facet_parts(reader, name)
        # Index-sized integers: numpy would convert narrower ones on every search.
        arrays[f"facet_{name}_values"] = values
        arrays[f"facet_{name}_documents"] = documents.astype(np.intp)
        arrays[f"facet_{name}_ids"] = value_ids.astype(np.intp)
        arrays[f"facet_{name}_starts"] = document_starts(documents, size)
    return arrays


def arrays_from(named: dict[str, np.ndarray], alive: np.ndarray | None) -> ArchiveArrays:
    """A version's ArchiveArrays from its named arrays; `alive` (None when nothing is
    deleted) leaves deleted documents out of the facet columns."""
    columns = {}
    for name, field_name in FACET_FIELDS.items():
        values, documents, value_ids, starts = (
            named[f"facet_{field_name}_{part}"] for part in ("values", "documents", "ids", "starts")
        )
        if alive is not None:
            keep = alive[documents]
            documents, value_ids = documents[keep], value_ids[keep]
            starts = document_starts(documents, len(alive))
        columns[name] = FacetColumn(values.tolist(), documents, value_ids, starts)
    lengths = {key.removeprefix("length_"): a for key, a in named.items() if key[:7] == "length_"}
    return ArchiveArrays(columns, named["timestamp"], named["dated"], lengths=lengths)


def build_arrays(reader: Any) -> ArchiveArrays:
    """Every facet's column and the date columns of a reader, read from its segments."""
    if reader.doc_count_all() == 0:  # no segments, no columns: an empty archive
        columns = {name: empty_column() for name in FACET_FIELDS}
        return ArchiveArrays(columns, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))
    return arrays_from(read_arrays(reader), alive_documents(reader))


def count_facets(
    columns: dict[str, FacetColumn], matched: np.ndarray, facet_size: int
) -> dict[str, list[FacetValue]]:
    """Ranked facet values of the matched documents for every facet."""
    facets = {}
    for name, column in columns.items():
        if name == "date":
            facets[name] = rank_dates(column.count(matched))
        else:
            facets[name] = column.top(matched, facet_size)
    return facets


def count_days(searcher: Any, arrays: ArchiveArrays, matched: np.ndarray) -> list[FacetValue]:
    """Matched articles per day (YYYY-MM-DD), only those whose day is known, in time order."""
    candidates = np.flatnonzero(matched & arrays.dated)
    candidates = candidates[known_day(searcher, arrays, candidates)]
    days = arrays.timestamps[candidates] // SECONDS_PER_DAY
    numbers, counts = np.unique(days, return_counts=True)
    labels = numbers.astype("datetime64[D]").astype(str)
    return [FacetValue(str(label), int(count)) for label, count in zip(labels, counts, strict=True)]


def known_day(searcher: Any, arrays: ArchiveArrays, documents: np.ndarray) -> np.ndarray:
    """Which documents have a known day: only midnight on a 1st can be a month- or year-only date.

    The timestamp alone settles every other document; the few ambiguous ones are looked up
    once in their stored record and remembered for the searcher's lifetime.
    """
    stamps = arrays.timestamps[documents]
    midnight = stamps % SECONDS_PER_DAY == 0
    first = stamps.astype("datetime64[s]").astype("datetime64[D]") == stamps.astype(
        "datetime64[s]"
    ).astype("datetime64[M]").astype("datetime64[D]")
    known = ~(midnight & first)
    for position in np.flatnonzero(~known):
        document = int(documents[position])
        if document not in arrays.day_known:
            precision = searcher.stored_fields(document)["record"].get("precision")
            arrays.day_known[document] = precision in ("day", "time")
        known[position] = arrays.day_known[document]
    return known
