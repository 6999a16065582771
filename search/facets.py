"""Facet counting over the matching documents, from per-searcher arrays built once.

Whoosh's own `groupedby` rebuilds every article's value list from the postings on each
search (about a second on Reuters-21578); here each facet field becomes two arrays,
(document, value) per posting, and a search's counts are one vectorised bincount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from whoosh import query as whoosh_query

from search.models import ENTITY_KINDS, FacetValue, SearchRequest
from search.schema import FACET_FIELDS

UNDATED = "undated"


@dataclass(frozen=True)
class FacetColumn:
    """One facet field as parallel arrays: the document and value of every posting."""

    values: list[str]
    documents: np.ndarray
    value_ids: np.ndarray

    def count(self, matched: np.ndarray) -> dict[str, int]:
        """How many matched documents carry each value (values with none left out)."""
        counts = np.bincount(self.value_ids[matched[self.documents]], minlength=len(self.values))
        return {self.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def build_column(reader: Any, field: str) -> FacetColumn:
    """Read a facet field's postings once into a FacetColumn."""
    values, documents, value_ids = [], [], []
    for value_id, term in enumerate(reader.lexicon(field)):
        values.append(term.decode("utf-8") if isinstance(term, bytes) else term)
        postings = np.fromiter(reader.postings(field, term).all_ids(), dtype=np.int64)
        documents.append(postings)
        value_ids.append(np.full(len(postings), value_id, dtype=np.int64))
    if not values:
        empty = np.zeros(0, dtype=np.int64)
        return FacetColumn([], empty, empty)
    return FacetColumn(values, np.concatenate(documents), np.concatenate(value_ids))


@dataclass(frozen=True)
class ArchiveArrays:
    """What a searcher's searches need per document, read once: facet columns and dates."""

    columns: dict[str, FacetColumn]
    timestamps: np.ndarray  # seconds since 1970, UTC; 0 for undated articles
    dated: np.ndarray  # bool

    def within(self, since: datetime | None, until: datetime | None) -> np.ndarray:
        """Documents dated inside [since, until]; undated ones never are."""
        inside = self.dated.copy()
        if since is not None:
            inside &= self.timestamps >= int(since.timestamp())
        if until is not None:
            inside &= self.timestamps <= int(until.timestamp())
        return inside

    def by_date(self, candidates: np.ndarray, newest: bool, count: int) -> np.ndarray:
        """The first `count` candidates in date order (newest or oldest first), undated last."""
        keys = self.timestamps[candidates].astype(np.float64)
        if newest:
            keys = -keys
        keys[~self.dated[candidates]] = np.inf
        if count < len(candidates):
            # Only the first `count` need a full sort: partition, then sort those.
            head = np.argpartition(keys, count)[:count]
            return candidates[head[np.argsort(keys[head], kind="stable")]]
        return candidates[np.argsort(keys, kind="stable")]


def build_arrays(reader: Any) -> ArchiveArrays:
    """Read every facet's column and the date columns of a reader."""
    size = reader.doc_count_all()
    timestamps = np.fromiter(iter(reader.column_reader("timestamp")), dtype=np.int64, count=size)
    dated = np.fromiter(iter(reader.column_reader("dated")), dtype=np.int64, count=size) == 1
    columns = {name: build_column(reader, field) for name, field in FACET_FIELDS.items()}
    return ArchiveArrays(columns, timestamps, dated)


def matching_documents(
    searcher: Any, arrays: ArchiveArrays, text_query: Any, request: SearchRequest
) -> np.ndarray:
    """A boolean array over document numbers: True where the filtered query matches."""
    size = searcher.doc_count_all()
    if isinstance(text_query, whoosh_query.Every):
        matched = _as_mask(searcher.reader().all_doc_ids(), size)
    else:
        matched = _as_mask(searcher.docs_for_query(text_query), size)
    included, excluded = entity_filter(request), entity_mask(request)
    if included is not None:
        matched &= _as_mask(searcher.docs_for_query(included), size)
    if excluded is not None:
        matched &= ~_as_mask(searcher.docs_for_query(excluded), size)
    if request.since is not None or request.until is not None:
        matched &= arrays.within(request.since, request.until)
    return matched


def _as_mask(documents: Any, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(documents, dtype=np.int64)] = True
    return mask


def count_facets(
    columns: dict[str, FacetColumn], matched: np.ndarray, facet_size: int
) -> dict[str, list[FacetValue]]:
    """Ranked facet values of the matched documents for every facet."""
    facets = {}
    for name, column in columns.items():
        counts = column.count(matched)
        facets[name] = rank_dates(counts) if name == "date" else rank_values(counts, facet_size)
    return facets


def rank_values(counts: dict[str, int], limit: int) -> list[FacetValue]:
    """The most frequent values first, ties alphabetically; at most `limit` of them."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in ranked[:limit]]


def rank_dates(counts: dict[str, int]) -> list[FacetValue]:
    """Months (or years, for year-only dates) in time order, undated last."""
    dated = sorted(value for value in counts if value != UNDATED)
    values = [FacetValue(value, counts[value]) for value in dated]
    if UNDATED in counts:
        values.append(FacetValue(UNDATED, counts[UNDATED]))
    return values


def entity_filter(request: SearchRequest) -> whoosh_query.Query | None:
    """Selected facet values as a filter: every selected value must be present."""
    terms = [
        whoosh_query.Term(FACET_FIELDS[kind], value)
        for kind in ENTITY_KINDS
        for value in request.included(kind)
    ]
    return whoosh_query.And(terms) if terms else None


def entity_mask(request: SearchRequest) -> whoosh_query.Query | None:
    """Excluded facet values as a mask: an article with any of them is left out."""
    terms = [
        whoosh_query.Term(FACET_FIELDS[kind], value)
        for kind in ENTITY_KINDS
        for value in request.excluded(kind)
    ]
    return whoosh_query.Or(terms) if terms else None
