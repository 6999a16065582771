"""Every 400 names the parameter to change: in its message, and as a field of the JSON body."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.web import create_app
from tests.indexing import index_into

TOO_MANY = [f"Name {n}" for n in range(21)]
BAD = [  # (parameter named in the error, the URL's parameters)
    ("since", {"since": "not-a-date"}),
    ("until", {"since": "2020-01-01", "until": "not-a-date"}),
    ("since", {"since": "2022", "until": "2020"}),
    ("page", {"page": "two"}),
    ("page", {"page": "100000"}),
    ("sort", {"sort": "sideways"}),
    ("actor_op", {"actor": "A", "actor_op": "xor"}),
    ("country_op", {"country_op": "maybe"}),
    ("org_op", {"org_op": "both"}),
    ("q", {"q": '"unclosed phrase'}),
    ("q", {"q": "(open bracket"}),
    ("q", {"q": "x" * 1001}),
    ("q", {"q": "*ore"}),
    ("q", {"q": "[a TO z]"}),
    ("q", {"q": "timestamp:5"}),
    ("q", {"q": "harbour~5"}),
    ("q", {"q": "AND harbour"}),
]
# A feed is always newest first from its first entry; a facet page or an export has no pages.
SET_BY_THE_PAGE = {("/feed.atom", "sort"), ("/feed.atom", "page"), ("/facet/actor", "page")}
SET_BY_THE_PAGE |= {("/export.csv", "page")}
VALUE_LISTS = ["actor", "country", "org", "not_actor", "not_country", "not_org"]


@pytest.fixture(scope="module")
def web(tied_index: Path) -> Any:
    app = create_app({"INDEX_DIR": str(tied_index), "TESTING": True})
    yield app.test_client()
    app.extensions["backend"].close()


def assert_names(response: Any, parameter: str) -> None:
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter and body["status"] == 400
    assert body["error"].startswith(f"{parameter}: ")


@pytest.mark.parametrize(("parameter", "params"), BAD)
def test_api_errors_name_the_parameter(web: Any, parameter: str, params: dict[str, str]) -> None:
    assert_names(web.get("/api/search", query_string=params), parameter)


@pytest.mark.parametrize("parameter", VALUE_LISTS)
def test_too_many_facet_values_name_their_parameter(web: Any, parameter: str) -> None:
    response = web.get("/api/search", query_string=[(parameter, value) for value in TOO_MANY])
    assert_names(response, parameter)


def test_a_wildcard_standing_for_too_many_words_names_q(tmp_path: Path) -> None:
    # Only the index knows how many words a wildcard stands for: checked at search time.
    words = " ".join(f"zq{first}{second}" for first in "abcdefghijkl" for second in "abcdefghijkl")
    record = {"id": "many-words", "title": "Word list", "body": words}
    (tmp_path / "words.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    index_into([tmp_path / "words.jsonl"], tmp_path / "index", workers=1)
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    try:
        client = app.test_client()
        assert client.get("/api/search", query_string={"q": "zqa*"}).status_code == 200
        response = client.get("/api/search", query_string={"q": "zq*"})
        assert_names(response, "q")
        assert "matches too many words" in response.get_json()["error"]
    finally:
        app.extensions["backend"].close()


def test_with_both_dates_set_the_bad_one_is_named_with_the_archives_dates(web: Any) -> None:
    since_bad = web.get("/api/search", query_string={"since": "soon", "until": "2020"})
    until_bad = web.get("/api/search", query_string={"since": "2020", "until": "soon"})
    newest = web.get("/api/search", query_string={"sort": "newest"}).get_json()["hits"][0]
    day = datetime.strptime(newest["date"], "%Y-%m-%d")
    examples = f"try {day:%Y-%m-%d}, {day:%b %Y} or {day:%Y}."
    assert since_bad.get_json()["error"] == f"since: cannot read 'soon' as a date; {examples}"
    assert until_bad.get_json()["error"] == f"until: cannot read 'soon' as a date; {examples}"


@pytest.mark.parametrize(("parameter", "params"), BAD[:6])
@pytest.mark.parametrize("path", ["/search", "/export.csv", "/feed.atom", "/facet/actor"])
def test_pages_say_the_parameter_too(
    web: Any, path: str, parameter: str, params: dict[str, str]
) -> None:
    response = web.get(path, query_string=params)
    if (path, parameter) in SET_BY_THE_PAGE:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert f"{parameter}: " in response.get_data(as_text=True)


def test_the_cli_names_the_option_too(tied_index: Path) -> None:
    arguments = ["search", "", "--since", "2020", "--until", "whenever"]
    result = CliRunner().invoke(cli, [*arguments, "--index-dir", str(tied_index)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --until: cannot read 'whenever' as a date; try 2022-11-09, Nov 2022 or 2022.\n"
    )
