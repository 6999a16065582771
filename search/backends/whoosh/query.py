"""One search: a SearchRequest in, a SearchPage out (hits with snippets, total, facets)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import astuple, replace
from html import escape
from typing import Any

import numpy as np
from whoosh import query as whoosh_query

from search.backends.whoosh.facets import count_days, count_facets
from search.backends.whoosh.live_index import IndexView, SearchIndex
from search.backends.whoosh.matching import Matches
from search.backends.whoosh.parser import check_expansions, parse_query
from search.backends.whoosh.ranking import ordered_documents, score_documents
from search.backends.whoosh.schema import ALL_TEXT_FIELDS, searched_fields, text_fields
from search.models import Hit, SearchPage, SearchRequest
from search.months import dated_in_one_month, spans_one_month
from search.snippets import make_snippet

SNIPPET_CHARS = 240
EXPORT_CHUNK = 1000  # document numbers turned into Python ints at a time


def run_search(index: SearchIndex, request: SearchRequest, facet_size: int = 30) -> SearchPage:
    """Run one search: the page of hits, the total, and facet counts over all matches.

    With a result cache, a request asked before on the same index version gets a copy of
    the page answered then; a new version starts with an empty cache. Pages are kept
    pickled: ~0.1 ms to load, their size known exactly, and nothing for the garbage
    collector to walk.
    """
    view = index.view()
    results = view.version.results
    key = (request_key(request), facet_size)
    kept = results.get(key) if results.budget else None
    if kept is not None:
        page: SearchPage = pickle.loads(kept)
        return page
    page = search_version(view, request, facet_size)
    if results.budget:
        results.put(key, pickle.dumps(page, pickle.HIGHEST_PROTOCOL))
    return page


def request_key(request: SearchRequest) -> tuple[Any, ...]:
    """Everything a SearchRequest asks, as a hashable tuple: equal requests, equal keys."""
    return tuple(tuple(value) if isinstance(value, list) else value for value in astuple(request))


def search_version(view: IndexView, request: SearchRequest, facet_size: int) -> SearchPage:
    """Run one search on one version of the index, without the result cache."""
    searcher, arrays = view.searcher, view.arrays
    text_query, found = match_request(view, request)
    matched = found.mask
    start, end = (request.page - 1) * request.per_page, request.page * request.per_page
    documents = ordered_documents(arrays, found, request, end)[start:end].tolist()
    total = int(matched.sum())
    hits = [
        make_hit(fields, snippet) for fields, snippet in with_snippets(view, text_query, documents)
    ]
    facets = count_facets(arrays.columns, matched, facet_size)
    one_month = spans_one_month(request) or dated_in_one_month(facets["date"])
    days = count_days(searcher, arrays, matched) if one_month else []
    return SearchPage(request, total, hits, facets, searcher.doc_count(), days)


def match_request(view: IndexView, request: SearchRequest) -> tuple[Any, Matches]:
    """The request's parsed query, and its filtered matches with their scores."""
    reader = view.searcher.reader()
    text_query = parse_query(request.query, view.searcher.schema, searched_fields(reader))
    check_expansions(text_query, reader)
    return text_query, score_documents(view.searcher, view.arrays, text_query, request)


def counts_without_own_filter(
    index: SearchIndex, request: SearchRequest, kind: str
) -> dict[str, int]:
    """Per value of one facet, the articles that match the request without that facet's values.

    In "any" mode, clicking an unselected value gives the matches plus those of its
    articles that carry none of the selected values: these counts tell how many.
    """
    view = index.view()
    loosened: dict[str, Any] = {kind: []}
    _, found = match_request(view, replace(request, **loosened))
    return view.arrays.columns[kind].count(found.mask)


def export_hits(index: SearchIndex, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
    """How many articles match, and all of them in the request's order: for exports.

    The request is checked and its matches ordered now, so a bad one raises before any
    row is sent; each hit's stored fields are read only when the iterator reaches it
    (past the shared cache of recent hits, which an export would flush), with the lead
    of its text as snippet.
    """
    view = index.view()
    _, found = match_request(view, request)
    total = int(found.mask.sum())
    return total, read_hits(view.searcher, ordered_documents(view.arrays, found, request, total))


def read_hits(searcher: Any, documents: np.ndarray) -> Iterator[Hit]:
    """Unhighlighted hits of the documents, in order, converted a chunk at a time."""
    for start in range(0, len(documents), EXPORT_CHUNK):
        for document in documents[start : start + EXPORT_CHUNK].tolist():
            yield make_hit(searcher.stored_fields(document), None)


def with_snippets(
    view: IndexView, text_query: Any, documents: list[int]
) -> list[tuple[dict[str, Any], str | None]]:
    """Each document's stored fields and its snippet: the query's words marked in context.

    Highlighting reads only the page's documents and the query's own words; asking Whoosh
    to search again for them would walk every posting of the query.
    """
    searcher = view.searcher
    words = query_words(searcher, text_query)
    rows: list[tuple[dict[str, Any], str | None]] = []
    for document in documents:
        fields = view.stored_fields(document)
        title, body = text_fields(fields["record"].get("language"))
        snippet = mark_words(view, fields, ("body", body), words, 2) or mark_words(
            view, fields, ("title", title), words, 1
        )
        rows.append((fields, snippet or None))
    return rows


def query_words(searcher: Any, text_query: Any) -> dict[str, frozenset[str]]:
    """The indexed words of the query in each text field, wildcards expanded."""
    if isinstance(text_query, whoosh_query.Every):
        return {}
    # Query.existing_terms would do, but its loop variable shadows its field argument and
    # drops every field after the first: walk the leaves here.
    reader = searcher.reader()
    words: dict[str, set[str]] = {}
    for leaf in text_query.leaves():
        if isinstance(leaf, whoosh_query.MultiTerm):
            terms = leaf.expanded_terms(reader)  # (field, text) pairs
        else:
            terms = leaf.iter_all_terms()
        for name, text in terms:
            if name in ALL_TEXT_FIELDS:
                word = searcher.schema[name].from_bytes(text) if isinstance(text, bytes) else text
                words.setdefault(name, set()).add(word)
    return {name: frozenset(found) for name, found in words.items()}


def mark_words(
    view: IndexView,
    fields: dict[str, Any],
    names: tuple[str, str],
    words: dict[str, frozenset[str]],
    top: int,
) -> str:
    """A stored field's first fragments with the query's words in <mark>, or '' when none
    occur; `names` are the stored field and the field that indexed it (body, body_fr)."""
    stored, indexed = names
    analyzer = view.version.stems.analyzer(indexed, view.searcher.schema[indexed].analyzer)
    found = words.get(indexed, frozenset())
    return make_snippet(fields[stored], found, analyzer, top, SNIPPET_CHARS)


def make_hit(fields: dict[str, Any], snippet: str | None) -> Hit:
    """One result: stored fields plus a highlighted, escaped snippet (or the escaped lead)."""
    record = fields["record"]
    return Hit(
        id=fields["id"],
        title=fields["title"],
        date=record["date_label"],
        actors=list(record["actors"]),
        countries=list(record["countries"]),
        orgs=list(record["orgs"]),
        snippet=snippet or escape(_lead(fields["body"]), quote=False),
        url=record["url"],
        source=record["source"],
        language=record.get("language"),  # absent from indexes written before languages
    )


def _lead(body: str) -> str:
    text = " ".join(body.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
