"""The benchmark's own parts: the replica generator and the FTS5 baseline it compares with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.fts5 import Baseline, BaselineRequest, build_baseline
from bench.replica import (
    entities_by_id,
    original_id,
    read_articles,
    replica_id,
    seed_cache,
    write_replica,
)
from search.cache import CACHE_FILE, ExtractionCache
from search.dates import parse_date
from search.indexer import index_paths, make_article_id
from search.live_index import SearchIndex
from search.params import make_search_request
from search.query import run_search
from tests.conftest import SAMPLES

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
    report = index_paths([replica], tmp_path / "index", rebuild=True)
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
