"""Searches from many threads at once, as waitress runs them, on one SearchIndex."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.models import SearchRequest
from tests.conftest import run_together
from tests.indexing import index_into

ARTICLES = 3_000  # enough postings per word for several blocks, so matchers seek and read
THREADS = 8
SECONDS = 4
SWITCH_SECONDS = 1e-5  # switch threads often, as a loaded server does, to expose races
QUERIES = ("alpha AND beta", "gamma AND delta", "beta AND omega", "alpha AND gamma")


@pytest.fixture(scope="module")
def shared_words_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny articles that all share a few words."""
    folder = tmp_path_factory.mktemp("concurrent")
    with (folder / "words.jsonl").open("w", encoding="utf-8") as out:
        for number in range(ARTICLES):
            body = f"alpha beta gamma {'delta' if number % 2 else 'omega'} word{number % 50}"
            out.write(json.dumps({"id": f"r{number}", "title": f"t{number}", "body": body}) + "\n")
    index_into([folder / "words.jsonl"], folder / "index", workers=1)
    return folder / "index"


@pytest.mark.slow
def test_threads_sharing_a_search_index_never_fail(shared_words_index: Path) -> None:
    index = SearchIndex(shared_words_index)
    errors: list[str] = []
    done = [0]

    def search_until(deadline: float, query: str) -> None:
        while time.monotonic() < deadline:
            try:
                run_search(index, SearchRequest(query=query, sort="relevance"))
                done[0] += 1
            except Exception as error:  # noqa: BLE001 - every failure is what we count
                errors.append(f"{type(error).__name__}: {error}")

    deadline = time.monotonic() + SECONDS
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_SECONDS)
    try:
        run_together(search_until, [(deadline, QUERIES[n % len(QUERIES)]) for n in range(THREADS)])
    finally:
        sys.setswitchinterval(interval)
        index.close()
    assert done[0] > 0
    assert errors == [], f"{len(errors)} of {done[0] + len(errors)} searches failed: {errors[:3]}"
