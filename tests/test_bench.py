"""The benchmark's own parts: the replica generator and the FTS5 baseline it compares with."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench import stages
from bench.fts5 import Baseline, BaselineRequest, build_baseline
from bench.query_set import SEED, SHAPES, build_query_set, cold_summary, run_cold
from bench.replica import (
    entities_by_id,
    original_id,
    read_articles,
    replica_id,
    seed_cache,
    write_replica,
)
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.cache import CACHE_FILE, ExtractionCache
from search.dates import parse_date
from search.identity import make_article_id
from search.ingest import read_paths
from search.params import make_search_request
from tests.conftest import SAMPLES
from tests.indexing import index_into

COPIES = 3


def test_replica_shifts_ids_and_dates_by_whole_years(tmp_path: Path) -> None:
    originals = read_articles([SAMPLES / "wire.jsonl"])
    written = write_replica(originals, COPIES, tmp_path / "replica.jsonl")
    lines = [
        json.loads(line)
        for line in (tmp_path / "replica.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert written == len(lines) == COPIES * len(originals)
    assert len({line["id"] for line in lines}) == len(lines)
    by_id = {make_article_id(record): record for record in originals}
    for copy in range(COPIES):
        for line in lines[copy * len(originals) : (copy + 1) * len(originals)]:
            original = by_id[original_id(line["id"])]
            assert line["id"] == replica_id(make_article_id(original), copy)
            assert line["body"] == original.body
            before = parse_date(original.date_text).value
            if before is None:
                assert line["date"] == ""  # undated stays undated
                continue
            assert parse_date(line["date"]).value == before.replace(year=before.year + copy)


def test_replica_is_indexed_entirely_from_the_extraction_cache(
    samples_index: Path, tmp_path: Path
) -> None:
    originals = read_articles([SAMPLES])
    replica = tmp_path / "replica.jsonl"
    write_replica(originals, COPIES, replica)
    source = ExtractionCache(samples_index / CACHE_FILE)
    (tmp_path / "index").mkdir()
    target = ExtractionCache(tmp_path / "index" / CACHE_FILE)
    try:
        known = entities_by_id(originals, source)
        assert len(known) == len(originals)
        assert seed_cache(replica, known, target) == COPIES * len(originals)
    finally:
        source.close()
        target.close()
    report = index_into([replica], tmp_path / "index", rebuild=True)
    assert report.added == COPIES * len(originals)
    assert report.cached == report.added  # no extraction ran


@pytest.fixture(scope="module")
def baseline(samples_index: Path, tmp_path_factory: pytest.TempPathFactory):
    """The FTS5 baseline of the samples index."""
    database = tmp_path_factory.mktemp("fts5") / "fts5.sqlite"
    build_baseline(samples_index, database)
    opened = Baseline(database)
    yield opened
    opened.close()


@pytest.mark.parametrize("word", ["grain", "prices", "tax", "market", "exchange", "Becker"])
def test_baseline_totals_equal_ours(
    samples_search: SearchIndex, baseline: Baseline, word: str
) -> None:
    ours = run_search(samples_search, make_search_request(word))
    theirs = baseline.search(BaselineRequest(word))
    assert ours.total > 0
    assert theirs.total == ours.total


def test_baseline_facets_and_months_equal_ours(
    samples_search: SearchIndex, baseline: Baseline
) -> None:
    ours = run_search(samples_search, make_search_request(""))
    theirs = baseline.search(BaselineRequest(""))
    assert theirs.total == ours.total
    for kind in ("actor", "country", "org"):
        assert {v.value: v.count for v in ours.facets[kind]} == dict(theirs.facets[kind])
    assert {v.value: v.count for v in ours.facets["date"]} == dict(theirs.months)
    country = ours.facets["country"][0].value
    narrowed = run_search(samples_search, make_search_request("", country=[country]))
    assert baseline.search(BaselineRequest("", (("country", country),))).total == narrowed.total


def test_stage_figures_cover_reading_countries_and_every_costly_query(
    samples_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = stages.main(["--data", str(SAMPLES), "--index-dir", str(samples_index)])
    assert figures["records"] == len(list(read_paths([SAMPLES])))
    assert figures["country_articles_per_s"] > 0 and figures["read_records_per_s"] > 0
    assert figures["slowest_costly_query"] in {query[:50] for query in stages.COSTLY_QUERIES}
    printed = capsys.readouterr().out.splitlines()
    assert json.loads(printed[-1]) == figures
    assert sum(" ms  " in line for line in printed) == len(stages.COSTLY_QUERIES)


def test_cold_query_set_is_fixed_by_its_seed_and_covers_every_shape(samples_index: Path) -> None:
    queries = build_query_set(samples_index)
    assert queries == build_query_set(samples_index)
    assert queries != build_query_set(samples_index, seed=SEED + 1)
    assert {spec["name"] for spec in queries} == set(SHAPES)
    assert len(queries) == sum(SHAPES.values())
    index = SearchIndex(samples_index)
    try:
        totals = [run_search(index, make_search_request(**q["request"])).total for q in queries]
    finally:
        index.close()
    phrases = [
        total for spec, total in zip(queries, totals, strict=True) if spec["name"] == "phrase"
    ]
    assert min(phrases) > 0  # each phrase stands in the article it was taken from


def test_cold_run_answers_every_query_once_and_again(samples_index: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(samples_index, index_dir, symlinks=True)
    cold = run_cold(index_dir)
    asked = len(build_query_set(index_dir)) - 1  # the first is the first answer
    assert len(cold["first_ms"]) == len(cold["repeated_ms"]) == len(cold["totals"]) == asked
    summary = cold_summary(cold)
    assert summary["cold_p50_ms"] <= summary["cold_p95_ms"] <= summary["cold_max_ms"]
    assert summary["first_answer_ms"] > 0
