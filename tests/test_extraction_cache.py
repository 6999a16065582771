"""Languages kept in the extraction cache: detected once, in the workers, and read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.cache import CACHE_FILE
from search.language import DETECTOR_VERSION, detect_language
from search.models import SearchRequest
from tests.indexing import index_into
from tests.test_languages import write_archive

EXPECTED_LANGUAGES = {"en": 2, "fr": 1, "de": 2, "es": 1}  # "tagged" is German by its tag


def facets(index_dir: Path) -> dict[str, dict[str, int]]:
    """The language and country facets over every article of an index."""
    index = SearchIndex(index_dir)
    try:
        page = run_search(index, SearchRequest(per_page=1))
        return {
            kind: {v.value: v.count for v in page.facets[kind]} for kind in ("language", "country")
        }
    finally:
        index.close()


def cache_rows(index_dir: Path) -> list[dict]:
    """Every value of the index's extraction cache, decoded."""
    with sqlite3.connect(index_dir / CACHE_FILE) as connection:
        return [json.loads(value) for (value,) in connection.execute("SELECT value FROM entities")]


def rewrite_cache(index_dir: Path, change) -> None:
    """Apply `change` to every cached value, as an older version of the cache would hold it."""
    connection = sqlite3.connect(index_dir / CACHE_FILE)
    with connection:
        rows = connection.execute("SELECT key, value FROM entities").fetchall()
        for key, value in rows:
            changed = json.dumps(change(json.loads(value)))
            connection.execute("UPDATE entities SET value = ? WHERE key = ?", (changed, key))
    connection.close()


def test_the_cache_keeps_each_detected_language_and_a_rebuild_reads_it(tmp_path: Path) -> None:
    archive = write_archive(tmp_path)
    index_dir = tmp_path / "index"
    first = index_into([archive], index_dir)
    assert first.cached == 0
    detected = facets(index_dir)
    assert detected["language"] == EXPECTED_LANGUAGES

    rows = cache_rows(index_dir)
    articles = [json.loads(line) for line in (archive / "wire.jsonl").read_text().splitlines()]
    # Every untagged article is cached with the language detection gives its title and body,
    # the other languages with no entities.
    expected = sorted(detect_language(a["title"], a["body"]) for a in articles)
    assert sorted(row["l"] for row in rows if "l" in row) == expected
    assert all(row["lv"] == DETECTOR_VERSION for row in rows if "l" in row)
    assert all(row["a"] == [] for row in rows if row.get("l", "en") != "en")

    rebuilt = index_into([archive], index_dir, rebuild=True)
    assert rebuilt.cached == rebuilt.unchanged - 4  # the four in other languages need no entities
    assert facets(index_dir) == detected


def test_a_cache_without_languages_is_detected_again_and_brought_up_to_date(
    tmp_path: Path,
) -> None:
    archive = write_archive(tmp_path)
    index_dir = tmp_path / "index"
    index_into([archive], index_dir)
    before = facets(index_dir)
    assert before["country"]  # the English articles have entities worth keeping

    # As a cache written before languages were kept holds it: entities only.
    rewrite_cache(index_dir, lambda row: {k: v for k, v in row.items() if k not in ("l", "lv")})
    upgraded = index_into([archive], index_dir, rebuild=True)
    assert not upgraded.warnings
    assert facets(index_dir) == before
    assert all("l" in row for row in cache_rows(index_dir))

    # A language another detector version found is not trusted either.
    rewrite_cache(index_dir, lambda row: {**row, "l": "fi", "lv": "old"} if "l" in row else row)
    index_into([archive], index_dir, rebuild=True)
    assert facets(index_dir) == before
    assert {row["lv"] for row in cache_rows(index_dir) if "lv" in row} == {DETECTOR_VERSION}
