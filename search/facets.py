"""Facet counting over the matching documents, from per-searcher arrays built once.

Whoosh's own `groupedby` rebuilds every article's value list from the postings on each
search (about a second on Reuters-21578); here each facet field becomes two arrays,
(document, value) per posting, and a search's counts are one vectorised bincount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.matching import PostingsReader, alive_documents
from search.models import FacetValue, SearchRequest
from search.schema import FACET_FIELDS
from search.segment_arrays import SegmentColumn, load_column, read_column
from search.whoosh_internals import numeric_array, segment_location

UNDATED = "undated"
SPARSE_FACTOR = 3  # below a third of the postings' documents, count per matched document


@dataclass(frozen=True)
class FacetColumn:
    """One facet field as parallel arrays: the document and value of every posting."""

    values: list[str]
    documents: np.ndarray
    value_ids: np.ndarray
    by_document: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The same postings ordered by document, with each document's start: a search with
        # few matches reads only their values instead of gathering over every posting.
        order = np.argsort(self.documents, kind="stable")
        size = int(self.documents.max()) + 2 if len(self.documents) else 1
        starts = np.zeros(size, dtype=np.int64)
        np.cumsum(np.bincount(self.documents, minlength=size - 1), out=starts[1:])
        object.__setattr__(self, "by_document", (self.value_ids[order], starts))

    def counts(self, matched: np.ndarray) -> np.ndarray:
        """How many matched documents carry each value, by value id."""
        documents = np.flatnonzero(matched[: len(self.by_document[1]) - 1])
        if len(documents) * SPARSE_FACTOR >= len(self.documents):
            return np.bincount(self.value_ids[matched[self.documents]], minlength=len(self.values))
        values, starts = self.by_document
        begin, lengths = starts[documents], starts[documents + 1] - starts[documents]
        offsets = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths)
        positions = np.arange(int(lengths.sum())) + offsets
        return np.bincount(values[positions], minlength=len(self.values))

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
    empty = np.zeros(0, dtype=np.int64)
    return FacetColumn([], empty, empty)


def build_column(reader: Any, field: str, alive: np.ndarray | None = None) -> FacetColumn:
    """A facet field's column over every segment: mapped from the files written beside each
    segment at index time, or read from its postings where there are none.

    `alive` (true for every document not deleted) leaves deleted documents out. An index
    written before the field existed has no values for it until it is written again.
    """
    if field not in reader.schema:
        return empty_column()
    parts = []
    for segment, offset in reader.leaf_readers():
        folder, segment_id = segment_location(segment)
        found = load_column(folder, segment_id, field) if folder is not None else None
        parts.append((found if found is not None else read_column(segment, field), offset))
    if not parts:
        return empty_column()
    if len(parts) == 1:
        (values, documents, value_ids), offset = parts[0]
        value_list = values.tolist()
        documents = documents.astype(np.int64) + offset
    else:
        value_list, documents, value_ids = merged_columns(parts)
    if alive is not None:
        keep = alive[documents]
        documents, value_ids = documents[keep], value_ids[keep]
    return FacetColumn(value_list, documents, value_ids.astype(np.int64))


def merged_columns(
    parts: list[tuple[SegmentColumn, int]],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Several segments' columns as one: their values united, each segment's ids mapped."""
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


def build_arrays(reader: Any) -> ArchiveArrays:
    """Every facet's column and the date columns of a reader."""
    size = reader.doc_count_all()
    if size == 0:  # an index with no segments has no columns either: an empty archive
        columns = {name: empty_column() for name in FACET_FIELDS}
        return ArchiveArrays(columns, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))
    timestamps = numeric_column(reader, "timestamp", size)
    dated = numeric_column(reader, "dated", size) == 1
    alive = alive_documents(reader)
    columns = {name: build_column(reader, field, alive) for name, field in FACET_FIELDS.items()}
    return ArchiveArrays(columns, timestamps, dated)


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


def rank_dates(counts: dict[str, int]) -> list[FacetValue]:
    """Months (or years, for year-only dates) in time order, undated last."""
    dated = sorted(value for value in counts if value != UNDATED)
    values = [FacetValue(value, counts[value]) for value in dated]
    if UNDATED in counts:
        values.append(FacetValue(UNDATED, counts[UNDATED]))
    return values


SECONDS_PER_DAY = 86_400


def spans_one_month(request: SearchRequest) -> bool:
    """True when since and until lie within one calendar month: the histogram shows days."""
    since, until = request.since, request.until
    if since is None or until is None:
        return False
    return (since.year, since.month) == (until.year, until.month)


def dated_in_one_month(months: list[FacetValue]) -> bool:
    """True when every dated match falls in one month: the histogram then shows its days."""
    dated = [value.value for value in months if value.value != UNDATED]
    return len(dated) == 1 and len(dated[0]) == 7  # YYYY-MM, not a year-only date


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
