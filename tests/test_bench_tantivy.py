"""The cold bench's reference engine: tantivy holds the same articles and facet values as
our index, and answers the same query set in its own process, doing the same work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import tantivy_engine
from bench.cold_compare import TANTIVY_DIR, cold_comparison
from bench.query_set import build_query_set
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.params import make_search_request

tantivy = pytest.importorskip("tantivy", reason="tantivy (a bench dependency) is not installed")


def test_tantivy_holds_our_articles_and_facet_values(samples_index: Path, tmp_path: Path) -> None:
    target = tmp_path / "tantivy"
    assert tantivy_engine.build_tantivy(samples_index, target) > 0
    assert tantivy_engine.build_tantivy(samples_index, target) == 0  # kept: same generation
    index = tantivy.Index.open(str(target))
    ours = SearchIndex(samples_index)
    try:
        page = run_search(ours, make_search_request(""), facet_size=1000)
    finally:
        ours.close()
    everything = {"query": "*"}
    assert tantivy_engine.answer(index, everything) == page.total
    counts = index.searcher().aggregate(
        tantivy.Query.all_query(), {"country": {"terms": {"field": "country", "size": 1000}}}
    )
    theirs = {bucket["key"]: bucket["doc_count"] for bucket in counts["country"]["buckets"]}
    assert theirs == {value.value: value.count for value in page.facets["country"]}
    kenya = {"query": "*", "country": ["Kenya"]}
    assert tantivy_engine.answer(index, kenya) == theirs["Kenya"] > 0


def test_cold_comparison_runs_ours_and_tantivy_on_one_query_set(
    samples_index: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(samples_index, index_dir, symlinks=True)
    result = cold_comparison("samples", index_dir, None)
    assert (index_dir / TANTIVY_DIR).is_dir()
    asked = len(build_query_set(index_dir)) - 1
    assert result["cold_p50_ms"] <= result["cold_max_ms"]
    assert result["tantivy"]["cold_p50_ms"] <= result["tantivy"]["cold_max_ms"]
    assert result["tantivy"]["first_answer_ms"] > 0 and asked > 100
