"""'Did you mean': close and frequent words of the archive, none rather than a wrong one,
bounded work, answers per index version (issue 13 item 2, issue 18 item 8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.suggestions import suggest_query
from search.typos import typo_cost
from search.web import create_app
from tests.indexing import index_into

# Each word's near neighbours in spelling are commoner than it: a ranking by frequency
# among close stems picks 'coming' for 'cofee', as the archive's search did.
SENTENCES = {
    "coffee": 3,
    "coming": 9,
    "code": 6,
    "banana": 3,
    "bonanza": 8,
    "currency": 3,
    "currently": 9,
    "wheat": 4,
    "what": 9,
    # A common word with a letter left out before its ending, beside a rare word one
    # vowel away.
    "minister": 150,
    "minstar": 2,
}


def write_archive(folder: Path, extra: dict[str, int] | None = None) -> Path:
    """A JSON Lines archive where each word of SENTENCES fills its number of articles."""
    lines = []
    for word, articles in {**SENTENCES, **(extra or {})}.items():
        for number in range(articles):
            body = f"The report on {word} was filed by desk {number} of the bureau."
            lines.append(json.dumps({"id": f"{word}-{number}", "title": word, "body": body}))
    path = folder / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def typo_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the archive above."""
    folder = tmp_path_factory.mktemp("typos")
    index_into([write_archive(folder)], folder / "index", workers=1)
    return folder / "index"


@pytest.fixture
def typo_search(typo_index: Path):
    """A SearchIndex over it, closed after the test."""
    search_index = SearchIndex(typo_index)
    yield search_index
    search_index.close()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("cofee", "coffee"), ("bananna", "banana"), ("currancy", "currency"), ("whaet", "wheat"),
     ("minster", "minister"),
     ("Cofee", "Coffee"), ("cofee currancy", "coffee currency")],
)  # fmt: skip
def test_a_typo_is_respelt_as_the_word_meant(typo_search: Any, typed: str, meant: str) -> None:
    assert suggest_query(typo_search, typed) == meant


@pytest.mark.parametrize("typed", ["zqxwvy", "bureaucrat", "fiscal", "comb"])
def test_nothing_close_enough_gets_no_suggestion(typo_search: Any, typed: str) -> None:
    assert suggest_query(typo_search, typed) is None


def test_many_unknown_words_get_no_suggestion(typo_search: Any) -> None:
    invented = " ".join(f"cofee{letter}x" for letter in "abcdefghijklmnopqrst")
    assert suggest_query(typo_search, invented) is None


def test_the_typo_cost_knows_common_slips() -> None:
    assert typo_cost("cofee", "coffee") == 0.5  # a doubled letter typed once
    assert typo_cost("currancy", "currency") == 0.5  # one vowel for another
    assert typo_cost("whaet", "wheat") == 0.5  # neighbours swapped
    assert typo_cost("wheat", "wheat") == 0
    assert typo_cost("cofee", "coming") > 2  # what the old ranking offered


def test_answers_follow_the_index_version(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_into([write_archive(tmp_path)], index_dir, workers=1)
    search_index = SearchIndex(index_dir)
    try:
        assert suggest_query(search_index, "zebar") is None
        (tmp_path / "more").mkdir()
        index_into([write_archive(tmp_path / "more", {"zebra": 3})], index_dir, workers=1)
        assert suggest_query(search_index, "zebar") == "zebra"
    finally:
        search_index.close()


def test_the_search_page_offers_it_only_without_results(typo_index: Path) -> None:
    app = create_app({"INDEX_DIR": str(typo_index), "TESTING": True})
    client = app.test_client()
    try:
        html = client.get("/search", query_string={"q": "cofee"}).get_data(as_text=True)
        assert 'Did you mean <a href="/search?q=coffee">coffee</a>?' in html
        html = client.get("/search", query_string={"q": "coffee"}).get_data(as_text=True)
        assert "Did you mean" not in html
    finally:
        app.extensions["backend"].close()
