"""Exports stream every match, in the search's order, through the web app and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import export_hits
from search.cli import cli
from search.params import make_search_request
from search.web import create_app

SEARCHES = [
    {"q": "", "sort": "newest"},
    {"q": "", "sort": "oldest"},
    {"q": "harbour", "sort": "relevance"},
    {"q": "harbour OR tide OR port", "sort": "relevance"},
    {"q": "", "not_country": "Canada", "since": "2020"},
]


@pytest.fixture(scope="module")
def web(tied_index: Path) -> Any:
    """Flask's test client over the tied archive (20 results per page)."""
    app = create_app({"INDEX_DIR": str(tied_index), "TESTING": True, "PER_PAGE": 20})
    yield app.test_client()
    app.extensions["backend"].close()


def dispatched(web: Any, path: str, params: dict[str, str]) -> Any:
    """The Response object the app makes for a request, before any WSGI wrapping."""
    app = web.application
    with app.test_request_context(path, query_string=params):
        return app.full_dispatch_request()


def streamed_export(web: Any, path: str, params: dict[str, str]) -> Any:
    """An export's response, checked to be a success the app streams rather than builds."""
    response = web.get(path, query_string=params)
    assert response.status_code == 200 and dispatched(web, path, params).is_streamed
    return response


def searched_ids(web: Any, params: dict[str, str]) -> list[str]:
    """The ids of every match, page by page through /api/search."""
    first = web.get("/api/search", query_string=params).get_json()
    ids = [hit["id"] for hit in first["hits"]]
    for page in range(2, -(-first["total"] // first["per_page"]) + 1):
        body = web.get("/api/search", query_string={**params, "page": page}).get_json()
        ids += [hit["id"] for hit in body["hits"]]
    assert len(ids) == first["total"]
    return ids


@pytest.mark.parametrize("params", SEARCHES)
def test_jsonl_export_holds_every_match_once_in_the_search_order(
    web: Any, params: dict[str, str]
) -> None:
    response = streamed_export(web, "/export.jsonl", params)
    assert response.mimetype == "application/jsonl"
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    ids = searched_ids(web, params)
    assert [row["id"] for row in rows] == ids
    assert len(set(ids)) == len(ids) == int(response.headers["X-Total-Count"])
    api_hit = web.get("/api/search", query_string=params).get_json()["hits"][0]
    assert set(rows[0]) == set(api_hit)  # the API's fields, no more and no less


@pytest.mark.parametrize("params", SEARCHES)
def test_csv_export_holds_every_match_once_in_the_search_order(
    web: Any, params: dict[str, str]
) -> None:
    response = streamed_export(web, "/export.csv", params)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header = ",".join(rows[0])
    assert header == "id,title,date,actors,countries,orgs,source,language,url,snippet"
    assert [row[0] for row in rows[1:]] == searched_ids(web, params)


def test_an_export_is_longer_than_a_page(web: Any) -> None:
    body = web.get("/export.jsonl").get_data(as_text=True)
    total = web.get("/api/search").get_json()["total"]
    assert len(body.splitlines()) == total > 8 * 20


def test_an_export_of_nothing_is_a_header_or_nothing(web: Any) -> None:
    assert web.get("/export.jsonl?q=zzyzxq").get_data(as_text=True) == ""
    assert web.get("/export.csv?q=zzyzxq").get_data(as_text=True).splitlines() == [
        "id,title,date,actors,countries,orgs,source,language,url,snippet"
    ]


@pytest.mark.parametrize("path", ["/export.csv", "/export.jsonl"])
def test_a_bad_export_request_is_a_400_before_any_row(web: Any, path: str) -> None:
    response = dispatched(web, path, {"since": "not-a-date"})
    assert response.status_code == 400 and not response.is_streamed
    assert "not-a-date" in response.get_data(as_text=True)


def test_the_search_page_links_both_exports(web: Any) -> None:
    page = web.get("/search", query_string={"q": "harbour", "sort": "oldest"}).get_data(True)
    assert 'href="/export.csv?q=harbour&amp;sort=oldest" download' in page
    assert 'href="/export.jsonl?q=harbour&amp;sort=oldest" download' in page


def run_export(index_dir: Path, *arguments: str) -> Any:
    result = CliRunner().invoke(cli, ["export", *arguments, "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("params", SEARCHES[:4])
def test_cli_export_writes_every_match_in_the_search_order(
    tied_index: Path, web: Any, params: dict[str, str]
) -> None:
    arguments = [params["q"], "--sort", params["sort"]]
    lines = run_export(tied_index, *arguments, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == searched_ids(web, params)


def test_cli_export_takes_the_filters_and_writes_a_file(
    tied_index: Path, web: Any, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    arguments = ["--not-country", "Canada", "--since", "2020", "--format", "csv"]
    result = run_export(tied_index, "", *arguments, "--output", str(target))
    ids = searched_ids(web, SEARCHES[4])
    assert result.stdout == ""  # the data went to the file, the count to stderr
    assert f"Exported {len(ids):,} articles to {target}." in result.stderr
    with target.open(encoding="utf-8", newline="") as handle:
        assert [row[0] for row in csv.reader(handle)][1:] == ids


def test_cli_export_refuses_a_bad_filter_in_one_line(tied_index: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "", "--since", "nope", "--format", "csv", "--index-dir", str(tied_index)]
    )
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and len(result.output.splitlines()) == 1


def test_the_core_export_yields_every_match_once_with_its_total(tied_index: Path) -> None:
    index = SearchIndex(tied_index)
    try:
        total, hits = export_hits(index, make_search_request("", sort="oldest"))
        first = next(hits)
        rest = list(hits)
        assert 1 + len(rest) == total
        assert first.id not in {hit.id for hit in rest}
    finally:
        index.close()
