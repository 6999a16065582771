"""What the server keeps between requests: per index version, bounded, right from any thread."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.models import SearchRequest
from search.web import create_app
from tests.conftest import run_together
from tests.indexing import index_into
from tests.processes import run_cli

WORDS = ("oil", "wheat", "coffee", "tanker", "bank")
CACHE_BYTES = 8 * 1024 * 1024


def write_articles(path: Path, word: str, count: int) -> Path:
    """A JSON Lines archive of `count` short articles that all mention `word`."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            body = f"Report {number} on {word} and {WORDS[number % len(WORDS)]} markets."
            record = {"id": f"{word}-{number}", "title": f"{word} {number}", "body": body}
            out.write(json.dumps(record) + "\n")
    return path


@pytest.fixture
def two_builds(tmp_path: Path) -> tuple[Path, Path]:
    """Two archives: the first says 'gold' in 3 articles, the second in 5."""
    return (
        write_articles(tmp_path / "a.jsonl", "gold", 3),
        write_articles(tmp_path / "b.jsonl", "gold", 5),
    )


def test_a_rebuild_by_the_cli_empties_the_result_cache_of_a_running_app(
    tmp_path: Path, two_builds: tuple[Path, Path]
) -> None:
    build_a, build_b = two_builds
    index_dir = tmp_path / "index"
    assert run_cli("index", build_a, "--index-dir", index_dir, "--workers", "1").returncode == 0
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True, "RESULT_CACHE_MB": 8})
    client = app.test_client()
    try:
        for _ in range(2):  # the second answer comes from the cache
            assert client.get("/api/search?q=gold").get_json()["total"] == 3
        done = run_cli("index", build_b, "--index-dir", index_dir, "--rebuild", "--workers", "1")
        assert done.returncode == 0, done.stderr
        answer = client.get("/api/search?q=gold").get_json()
        assert answer["total"] == 5
        assert {hit["id"] for hit in answer["hits"]} == {f"gold-{n}" for n in range(5)}
        assert "gold 4" in client.get("/search?q=gold").get_data(as_text=True)
    finally:
        app.extensions["backend"].close()


def test_an_incremental_commit_is_seen_through_the_result_cache(
    tmp_path: Path, two_builds: tuple[Path, Path]
) -> None:
    build_a, _ = two_builds
    index_dir = tmp_path / "index"
    index_into([build_a], index_dir)
    index = SearchIndex(index_dir, result_cache_bytes=CACHE_BYTES)
    try:
        assert run_search(index, SearchRequest(query="silver")).total == 0
        index_into([write_articles(tmp_path / "more.jsonl", "silver", 2)], index_dir)
        assert run_search(index, SearchRequest(query="silver")).total == 2
        assert run_search(index, SearchRequest(query="gold")).total == 3
        assert run_search(index, SearchRequest()).total == 5
    finally:
        index.close()


def test_the_same_request_is_answered_once_per_index_version(
    tmp_path: Path, two_builds: tuple[Path, Path]
) -> None:
    index_dir = tmp_path / "index"
    index_into([two_builds[0]], index_dir)
    cached = SearchIndex(index_dir, result_cache_bytes=CACHE_BYTES)
    plain = SearchIndex(index_dir)
    try:
        request = SearchRequest(query="gold", country=[])
        first = run_search(cached, request)
        results = cached.view().version.results
        assert (results.hits, len(results)) == (0, 1)
        again = run_search(cached, SearchRequest(query="gold"))  # an equal request
        assert (results.hits, len(results)) == (1, 1)
        assert again == first and again is not first  # a copy: no caller shares a page
        assert run_search(plain, request) == first
        assert len(plain.view().version.results) == 0  # off by default
    finally:
        cached.close()
        plain.close()


def test_the_result_cache_stays_within_its_budget_and_recomputes_what_it_dropped(
    samples_index: Path,
) -> None:
    reference = SearchIndex(samples_index)
    requests = [SearchRequest(query=word, page=page) for word in WORDS for page in (1, 2)]
    requests += [SearchRequest(query="", sort="newest", page=page) for page in (1, 2, 3)]
    one_page = len(pickle.dumps(run_search(reference, requests[-1]), pickle.HIGHEST_PROTOCOL))
    budget = 3 * one_page
    small = SearchIndex(samples_index, result_cache_bytes=budget)
    try:
        for _ in range(2):
            for request in requests:
                assert run_search(small, request) == run_search(reference, request)
                assert small.view().version.results.held <= budget
        assert 1 <= len(small.view().version.results) < len(requests)
    finally:
        small.close()
        reference.close()


def test_threads_sharing_caches_get_the_answers_one_thread_gets(samples_index: Path) -> None:
    requests = [
        SearchRequest(query=query, sort=sort, page=page)
        for query in ("oil", "bank OR rates", '"prime minister"', "gov*", "")
        for sort in ("relevance", "newest")
        for page in (1, 2)
    ]
    alone = SearchIndex(samples_index)
    expected = [run_search(alone, request) for request in requests]
    alone.close()
    shared = SearchIndex(samples_index, result_cache_bytes=CACHE_BYTES)
    wrong: list[str] = []

    def search_all(offset: int) -> None:
        for round_number in range(5):
            for number in range(len(requests)):
                position = (number + offset + round_number) % len(requests)
                if run_search(shared, requests[position]) != expected[position]:
                    wrong.append(f"{requests[position]}")

    try:
        run_together(search_all, [(n,) for n in range(6)])
    finally:
        shared.close()
    assert wrong == []


def test_threads_without_a_result_cache_share_posting_arrays(samples_index: Path) -> None:
    index = SearchIndex(samples_index)
    request = SearchRequest(query="oil OR bank")
    pages, versions = [], []

    def search_once() -> None:
        pages.append(run_search(index, request))
        versions.append(index.view().version)

    try:
        run_together(search_once, [()] * 3)
        assert len({id(version) for version in versions}) == 1
        assert len({id(page) for page in pages}) == 3  # computed three times...
        assert pages[0] == pages[1] == pages[2]
        assert len(versions[0].postings.arrays) >= 2  # ...from one set of arrays
    finally:
        index.close()


def test_a_thread_moves_from_a_refreshed_searcher_to_a_rebuilt_index(
    tmp_path: Path, two_builds: tuple[Path, Path]
) -> None:
    build_a, build_b = two_builds
    index_dir = tmp_path / "index"
    index_into([build_a], index_dir)
    index = SearchIndex(index_dir, result_cache_bytes=CACHE_BYTES)
    try:
        assert run_search(index, SearchRequest(query="gold")).total == 3
        index_into([write_articles(tmp_path / "more.jsonl", "silver", 2)], index_dir)
        assert run_search(index, SearchRequest(query="silver")).total == 2  # a refresh
        index_into([build_b], index_dir, rebuild=True)
        assert run_search(index, SearchRequest(query="gold")).total == 5  # a new generation
        assert run_search(index, SearchRequest(query="silver")).total == 0
    finally:
        index.close()
