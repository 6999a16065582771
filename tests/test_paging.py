"""Pages never repeat or skip an article, whatever the sort, however many dates and scores tie.

The index holds samples/ and, written as real files, many articles sharing one day, one
month, no date at all, and one identical sentence (so relevance scores tie too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.web import create_app
from tests.tied import SAME_DAY, SAME_MONTH, UNDATED

SEARCHES = [  # (query, sort): every sort, with and without words
    ("", "newest"),
    ("", "oldest"),
    ("", "relevance"),
    ("harbour", "relevance"),
    ("harbour", "newest"),
    ("harbour", "oldest"),
    ("harbour OR tide OR board", "relevance"),
]


def cli_ids(index_dir: Path, query: str, sort: str, limit: int, page: int) -> tuple[int, list[str]]:
    """The total and the ids of one page of `newsarchive search --json`."""
    arguments = ["search", query, "--sort", sort, "--limit", str(limit), "--page", str(page)]
    result = CliRunner().invoke(cli, [*arguments, "--json", "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    return body["total"], [hit["id"] for hit in body["hits"]]


def paged(fetch: Any, size: int) -> tuple[int, list[str]]:
    """Every page of a search, concatenated; and the total the first page announced."""
    total, ids = fetch(size, 1)
    for page in range(2, -(-total // size) + 1):
        page_total, more = fetch(size, page)
        assert page_total == total
        assert len(more) == min(size, total - (page - 1) * size)
        ids += more
    return total, ids


@pytest.mark.parametrize(("query", "sort"), SEARCHES)
def test_cli_pages_continue_each_other_exactly(tied_index: Path, query: str, sort: str) -> None:
    total, whole = cli_ids(tied_index, query, sort, 1000, 1)
    assert total == len(whole) > SAME_DAY
    size = 13
    assert total % size  # the last page is a short one
    paged_total, ids = paged(lambda size, page: cli_ids(tied_index, query, sort, size, page), size)
    assert paged_total == total
    assert len(set(ids)) == total  # nothing repeated, so nothing skipped
    assert ids == whole  # the order of one long page is the order of the pages


@pytest.fixture(scope="module")
def api(tied_index: Path) -> Any:
    """A fetcher of /api/search pages through Flask's test client, one app per page size."""
    apps: dict[int, Any] = {}

    def fetch(query: str, sort: str, size: int, page: int) -> tuple[int, list[str]]:
        if size not in apps:
            apps[size] = create_app(
                {"INDEX_DIR": str(tied_index), "TESTING": True, "PER_PAGE": size}
            )
        client = apps[size].test_client()
        response = client.get("/api/search", query_string={"q": query, "sort": sort, "page": page})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        return body["total"], [hit["id"] for hit in body["hits"]]

    yield fetch
    for app in apps.values():
        app.extensions["backend"].close()


@pytest.mark.parametrize(("query", "sort"), SEARCHES)
@pytest.mark.parametrize("size", [7, 20, 15])
def test_api_pages_continue_each_other_exactly(
    tied_index: Path, api: Any, query: str, sort: str, size: int
) -> None:
    total, whole = cli_ids(tied_index, query, sort, 1000, 1)
    assert total % size
    paged_total, ids = paged(lambda size, page: api(query, sort, size, page), size)
    assert paged_total == total
    assert len(set(ids)) == total
    assert ids == whole  # the web app's result cache keeps the same order as the CLI
    again = paged(lambda size, page: api(query, sort, size, page), size)[1]
    assert again == ids  # pages answered from the result cache are the same pages


def test_ties_keep_the_indexing_order_in_both_directions(tied_index: Path) -> None:
    newest = cli_ids(tied_index, "", "newest", 1000, 1)[1]
    oldest = cli_ids(tied_index, "", "oldest", 1000, 1)[1]
    same_day = [f"tie-{n:03d}" for n in range(SAME_DAY)]
    undated = {
        f"tie-{n:03d}" for n in range(SAME_DAY + SAME_MONTH, SAME_DAY + SAME_MONTH + UNDATED)
    }
    for order in (newest, oldest):
        assert [i for i in order if i in same_day] == same_day  # as the file lists them
        dated = [position for position, i in enumerate(order) if i.startswith("tie-")]
        assert max(dated[: len(dated) - UNDATED]) < min(order.index(i) for i in undated)
