"""Which documents a request matches, and in what order: filters over matches, scores, sorts.

The query's matches and BM25 scores come from matching.py; here the selected and
excluded facet values and the date range narrow them, and the request's sort orders them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from whoosh import query as whoosh_query

from search.backends.whoosh.facets import ArchiveArrays
from search.backends.whoosh.matching import Matches, PostingsReader, evaluate
from search.backends.whoosh.schema import FACET_FIELDS
from search.models import FILTER_KINDS, SearchRequest


def score_documents(
    searcher: Any, arrays: ArchiveArrays, text_query: Any, request: SearchRequest
) -> Matches:
    """The filtered query's matches as arrays, with each match's relevance score."""
    postings = arrays.postings or PostingsReader(searcher)
    found = evaluate(postings, text_query)
    matched = found.mask
    included, excluded = entity_filter(request), entity_mask(request)
    if included is not None:
        matched &= evaluate(postings, included).mask
    if excluded is not None:
        matched &= ~evaluate(postings, excluded).mask
    if request.since is not None or request.until is not None:
        matched &= dated_within(arrays, request.since, request.until)
    return Matches(matched, found.scores)


def dated_within(
    arrays: ArchiveArrays, since: datetime | None, until: datetime | None
) -> np.ndarray:
    """Documents dated inside [since, until]; undated ones never are."""
    inside = arrays.dated.copy()
    if since is not None:
        inside &= arrays.timestamps >= int(since.timestamp())
    if until is not None:
        inside &= arrays.timestamps <= int(until.timestamp())
    return inside


def entity_filter(request: SearchRequest) -> whoosh_query.Query | None:
    """Selected facet values as a filter: all of a facet's values, or any with its OR switch."""
    clauses: list[whoosh_query.Query] = []
    for kind in FILTER_KINDS:
        terms = [whoosh_query.Term(FACET_FIELDS[kind], value) for value in request.included(kind)]
        if len(terms) > 1 and request.operator(kind) == "or":
            clauses.append(whoosh_query.Or(terms))
        else:
            clauses.extend(terms)
    return whoosh_query.And(clauses) if clauses else None


def entity_mask(request: SearchRequest) -> whoosh_query.Query | None:
    """Excluded facet values as a mask: an article with any of them is left out."""
    terms = [
        whoosh_query.Term(FACET_FIELDS[kind], value)
        for kind in FILTER_KINDS
        for value in request.excluded(kind)
    ]
    return whoosh_query.Or(terms) if terms else None


def ordered_documents(
    arrays: ArchiveArrays, found: Matches, request: SearchRequest, count: int
) -> np.ndarray:
    """The first `count` matches in the request's order: by score, or by date.

    Every order is total: equal scores and equal dates (day-only dates are the norm in
    news) are ordered by document number, so page N+1 continues page N exactly and one
    long page lists what the short pages list, in the same order.
    """
    candidates = np.flatnonzero(found.mask)
    if request.sort == "relevance" and request.query.strip():
        keys = -found.scores[candidates].astype(np.float64)
    else:
        keys = date_keys(arrays, candidates, newest=request.sort != "oldest")
    return first_in_order(candidates, keys, count)


def date_keys(arrays: ArchiveArrays, candidates: np.ndarray, newest: bool) -> np.ndarray:
    """Sort keys for date order, newest or oldest first; undated articles last either way."""
    keys = arrays.timestamps[candidates].astype(np.float64)
    if newest:
        keys = -keys
    keys[~arrays.dated[candidates]] = np.inf
    return keys


def first_in_order(candidates: np.ndarray, keys: np.ndarray, count: int) -> np.ndarray:
    """The first `count` candidates (in document order) by key, ties by document number.

    Only those that can make the first `count` are sorted: every candidate whose key is
    at most the count-th smallest. The ties at that cut are all kept and sorted, never
    picked among (a partition alone would pick arbitrary ones).
    """
    if count <= 0:
        return candidates[:0]
    if count < len(candidates):
        cut = np.partition(keys, count - 1)[count - 1]
        keep = keys <= cut
        candidates, keys = candidates[keep], keys[keep]
    return candidates[np.lexsort((candidates, keys))[:count]]
