"""Which documents a request matches, and in what order: filters over matches, scores, sorts.

The query's matches and BM25 scores come from search/matching.py; here the selected and
excluded facet values and the date range narrow them, and the request's sort orders them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from whoosh import query as whoosh_query

from search.facets import ArchiveArrays
from search.matching import Matches, PostingsReader, evaluate
from search.models import ENTITY_KINDS, SearchRequest
from search.schema import FACET_FIELDS


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
    for kind in ENTITY_KINDS:
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
        for kind in ENTITY_KINDS
        for value in request.excluded(kind)
    ]
    return whoosh_query.Or(terms) if terms else None


def ordered_documents(
    arrays: ArchiveArrays, found: Matches, request: SearchRequest, count: int
) -> np.ndarray:
    """The first `count` matches in the request's order: by score, or by date."""
    if request.sort == "relevance" and request.query.strip():
        return top_scored(found, count)
    return by_date(arrays, np.flatnonzero(found.mask), request.sort != "oldest", count)


def top_scored(found: Matches, count: int) -> np.ndarray:
    """The `count` best-scoring matches, best first; ties in document order."""
    candidates = np.flatnonzero(found.mask)
    keys = -found.scores[candidates]
    if count < len(candidates):
        head = np.argpartition(keys, count)[:count]
        candidates, keys = candidates[head], keys[head]
        order = np.lexsort((candidates, keys))
        return candidates[order]
    return candidates[np.lexsort((candidates, keys))]


def by_date(arrays: ArchiveArrays, candidates: np.ndarray, newest: bool, count: int) -> np.ndarray:
    """The first `count` candidates in date order (newest or oldest first), undated last."""
    keys = arrays.timestamps[candidates].astype(np.float64)
    if newest:
        keys = -keys
    keys[~arrays.dated[candidates]] = np.inf
    if count < len(candidates):
        # Only the first `count` need a full sort: partition, then sort those.
        head = np.argpartition(keys, count)[:count]
        return candidates[head[np.argsort(keys[head], kind="stable")]]
    return candidates[np.argsort(keys, kind="stable")]
