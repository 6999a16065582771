"""An archive with no articles is a normal state: zero hits, empty facets, a page saying what to do.

The index is made the way users make it: a first `index` run in which every file fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.web import create_app
from tests.indexing import index_into
from tests.tied import SAMPLE_ARTICLES, SAMPLES

HINT = "newsarchive index PATH"

FACET_NAMES = ("actor", "country", "org", "date", "source", "language")


@pytest.fixture
def empty_index(tmp_path: Path) -> Path:
    """An index whose first run read only files it could not use."""
    folder = tmp_path / "unreadable"
    folder.mkdir()
    (folder / "notes.xyz").write_text("not an article format", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    index_dir = tmp_path / "index"
    result = run(["index", str(folder), "--index-dir", str(index_dir)])
    assert "0 indexed + 2 failed" in result.stdout
    return index_dir


def run(arguments: list[str]) -> Any:
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    return result


def test_cli_search_finds_nothing_and_says_how_to_add_articles(empty_index: Path) -> None:
    for query in ("", "harbour", "ha*", '"tide tables"'):
        result = run(["search", query, "--index-dir", str(empty_index)])
        assert result.stdout.startswith("0 articles; page 1 of 1")
        assert HINT in result.stderr and "Error" not in result.output


def test_cli_search_json_is_an_empty_page(empty_index: Path) -> None:
    body = json.loads(run(["search", "", "--json", "--index-dir", str(empty_index)]).stdout)
    assert (body["total"], body["hits"]) == (0, [])
    assert body["facets"] == {name: [] for name in FACET_NAMES}


def test_cli_stats_count_zero_articles(empty_index: Path) -> None:
    numbers = json.loads(run(["stats", "--json", "--index-dir", str(empty_index)]).stdout)
    assert numbers["articles"] == 0 and numbers["first_date"] is None
    assert numbers["actors"] == numbers["countries"] == numbers["orgs"] == []
    result = run(["stats", "--index-dir", str(empty_index)])
    assert "articles: 0" in result.stdout and HINT in result.stderr


def test_cli_export_writes_only_a_header(empty_index: Path) -> None:
    result = run(["export", "", "--format", "csv", "--index-dir", str(empty_index)])
    assert result.stdout.splitlines() == [
        "id,title,date,actors,countries,orgs,source,language,url,snippet"
    ]


@pytest.fixture
def empty_app(empty_index: Path) -> Any:
    app = create_app({"INDEX_DIR": str(empty_index), "TESTING": True})
    yield app
    app.extensions["backend"].close()


@pytest.mark.parametrize("path", ["/", "/search?q=harbour", "/search?q=ha*&sort=oldest"])
def test_the_search_page_says_the_archive_is_empty(empty_app: Any, path: str) -> None:
    response = empty_app.test_client().get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The archive is empty" in page and f"<code>{HINT}</code>" in page
    assert "Nothing matches" not in page


@pytest.mark.parametrize("query", ["", "harbour", "ha*", "harbour~1", '"tide tables"'])
def test_the_api_answers_an_empty_page(empty_app: Any, query: str) -> None:
    response = empty_app.test_client().get("/api/search", query_string={"q": query})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["hits"]) == (0, [])
    assert body["facets"] == {name: [] for name in FACET_NAMES}


@pytest.mark.parametrize(
    "path",
    ["/facet/country", "/feed.atom", "/export.csv", "/export.jsonl", "/search?since=2022-05"],
)
def test_every_other_page_answers_too(empty_app: Any, path: str) -> None:
    assert empty_app.test_client().get(path).status_code == 200


def test_articles_indexed_later_are_found_by_the_running_app(
    empty_app: Any, empty_index: Path
) -> None:
    client = empty_app.test_client()
    assert client.get("/api/search").get_json()["total"] == 0
    report = index_into([SAMPLES], empty_index, workers=1)
    assert report.added == SAMPLE_ARTICLES
    assert client.get("/api/search").get_json()["total"] == SAMPLE_ARTICLES
    assert "The archive is empty" not in client.get("/").get_data(as_text=True)
