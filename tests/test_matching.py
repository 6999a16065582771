"""Matching, ranking and facets over arrays agree with Whoosh and with filtered totals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from whoosh import scoring

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.matching import evaluate
from search.backends.whoosh.parser import parse_query
from search.backends.whoosh.query import run_search
from search.models import ENTITY_KINDS
from search.params import make_search_request
from tests.indexing import index_into

QUERIES = [
    "grain",
    "prices AND wheat",
    "prices OR tax",
    "prices NOT wheat",
    '"grain exchange"',
    '"no panic in this market"',
    "title:kenya",
    "pric*",
    "NOT prices",
    "(tax OR grain) AND NOT kenya",
]


def whoosh_mask(searcher, text_query) -> np.ndarray:
    """Whoosh's own matches of a query, as a boolean array."""
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    mask[list(searcher.docs_for_query(text_query))] = True
    return mask


@pytest.mark.parametrize("text", QUERIES)
def test_matches_equal_whoosh_matches(samples_search: SearchIndex, text: str) -> None:
    searcher, arrays = samples_search.snapshot()
    text_query = parse_query(text, searcher.schema)
    expected = whoosh_mask(searcher, text_query)
    assert (evaluate(arrays.postings, text_query).mask == expected).all()


@pytest.mark.parametrize("text", ["grain", "prices OR tax", "market"])
def test_scores_equal_whoosh_bm25(samples_search: SearchIndex, text: str) -> None:
    searcher, arrays = samples_search.snapshot()
    text_query = parse_query(text, searcher.schema)
    ours = evaluate(arrays.postings, text_query).scores
    assert isinstance(searcher.weighting, scoring.BM25F)
    results = searcher.search(text_query, limit=None)
    expected = {hit.docnum: hit.score for hit in results}
    assert expected
    for document, score in expected.items():
        assert ours[document] == pytest.approx(score, rel=1e-4)


def test_relevance_order_follows_scores(samples_search: SearchIndex) -> None:
    searcher, arrays = samples_search.snapshot()
    page = run_search(samples_search, make_search_request("prices OR tax"))
    scores = evaluate(arrays.postings, parse_query("prices OR tax", searcher.schema)).scores
    by_id = {searcher.stored_fields(d)["id"]: scores[d] for d in range(searcher.doc_count_all())}
    ranked = [by_id[hit.id] for hit in page.hits]
    assert ranked == sorted(ranked, reverse=True)
    assert page.hits and all("<mark>" in hit.snippet for hit in page.hits)


@pytest.mark.parametrize("text", ["", "prices", "said"])
def test_facet_counts_equal_filtered_totals(samples_search: SearchIndex, text: str) -> None:
    page = run_search(samples_search, make_search_request(text))
    for kind in ENTITY_KINDS:
        for value in page.facets[kind][:5]:
            narrowed = run_search(
                samples_search, make_search_request(text, **{kind: [value.value]})
            )
            assert narrowed.total == value.count, (kind, value)
    months = {value.value: value.count for value in page.facets["date"]}
    assert sum(months.values()) == page.total


def test_replaced_article_is_not_matched_by_its_old_words(tmp_path: Path) -> None:
    source = tmp_path / "wire.jsonl"
    records = [
        {"id": f"a{n}", "title": f"Harbour news {n}", "body": "Oslo approved the plan."}
        for n in range(5)
    ]
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index_into([source], tmp_path / "index")
    records[0]["body"] = "Bergen rejected the plan."
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index_into([source], tmp_path / "index")  # an update: the old document is deleted
    index = SearchIndex(tmp_path / "index")
    try:
        searcher, arrays = index.snapshot()
        for text in ["oslo", "bergen", "plan", '"approved the plan"']:
            text_query = parse_query(text, searcher.schema)
            assert (
                evaluate(arrays.postings, text_query).mask == whoosh_mask(searcher, text_query)
            ).all()
        assert run_search(index, make_search_request("oslo")).total == 4
        assert run_search(index, make_search_request("")).total == 5
    finally:
        index.close()


def test_sparse_and_dense_facet_counting_agree(samples_search: SearchIndex) -> None:
    _, arrays = samples_search.snapshot()
    size = len(arrays.timestamps)
    for name, column in arrays.columns.items():
        for chosen in ([0], [0, size - 1], list(range(0, size, 2)), list(range(size))):
            matched = np.zeros(size, dtype=bool)
            matched[chosen] = True
            expected = np.bincount(
                column.value_ids[matched[column.documents]], minlength=len(column.values)
            )
            assert (column.counts(matched) == expected).all(), (name, chosen)
