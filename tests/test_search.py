"""Searching the seed article: the end-to-end contract on the file the project was made for."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.errors import BadRequest
from search.live_index import SearchIndex, get_article
from search.params import make_search_request
from search.query import run_search

SEED_ACTORS = {"Dmitry Peskov", "Yevgeny Prigozhin", "Vladimir Putin", "Joe Biden"}


@pytest.fixture
def seed_search(seed_index: Path):
    index = SearchIndex(seed_index)
    yield index
    index.close()


def test_peskov_finds_the_seed_article_with_its_entities(seed_search: SearchIndex) -> None:
    page = run_search(seed_search, make_search_request("Peskov"))
    assert page.total == 1
    hit = page.hits[0]
    assert hit.date == "2022-11-09"
    assert set(hit.countries) == {"Russia", "United States", "Ukraine"}
    assert set(hit.actors) >= SEED_ACTORS
    assert "<mark>Peskov</mark>" in hit.snippet


def test_seed_actors_are_people_only(seed_search: SearchIndex) -> None:
    hit = run_search(seed_search, make_search_request("")).hits[0]
    assert set(hit.actors) == SEED_ACTORS


def test_seed_facets_and_date(seed_search: SearchIndex) -> None:
    page = run_search(seed_search, make_search_request(""))
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    assert facets["country"] == {"Russia": 1, "United States": 1, "Ukraine": 1}
    assert set(facets["actor"]) == SEED_ACTORS
    assert facets["date"] == {"2022-11": 1}


def test_mentions_point_at_their_text(seed_search: SearchIndex) -> None:
    hit = run_search(seed_search, make_search_request("")).hits[0]
    article = get_article(seed_search, hit.id)
    for mention in article.entities.mentions:
        text = article.body if mention.field == "body" else article.title
        assert text[mention.start : mention.end] == mention.surface
    surfaces = {m.surface for m in article.entities.mentions if m.canonical == "Dmitry Peskov"}
    assert {"Dmitry Peskov", "Peskov"} <= surfaces
    kremlin = [
        m for m in article.entities.mentions if m.kind == "country" and m.surface == "Kremlin"
    ]
    assert kremlin and kremlin[0].canonical == "Russia"


def test_filters_and_exclusions(seed_search: SearchIndex) -> None:
    assert run_search(seed_search, make_search_request("", country=["Russia"])).total == 1
    assert run_search(seed_search, make_search_request("", country=["Japan"])).total == 0
    assert run_search(seed_search, make_search_request("", not_actor=["Joe Biden"])).total == 0
    assert run_search(seed_search, make_search_request("", actor=list(SEED_ACTORS))).total == 1


def test_date_range(seed_search: SearchIndex) -> None:
    inside = make_search_request("", since="November 2022", until="2022-11-09")
    outside = make_search_request("", since="2022-11-10")
    assert run_search(seed_search, inside).total == 1
    assert run_search(seed_search, outside).total == 0


@pytest.mark.parametrize(
    "text", ['"unclosed phrase', "(Russia AND", "Russia)", "Russia AND", "OR x"]
)
def test_malformed_queries_are_bad_requests(seed_search: SearchIndex, text: str) -> None:
    with pytest.raises(BadRequest):
        run_search(seed_search, make_search_request(text))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sort": "random"},
        {"page": "x"},
        {"page": 0},
        {"since": "not a date"},
        {"since": "2023", "until": "2022"},
    ],
)
def test_bad_parameters_are_bad_requests(seed_search: SearchIndex, kwargs: dict) -> None:
    with pytest.raises(BadRequest):
        run_search(seed_search, make_search_request("", **kwargs))


def test_query_syntax_phrases_fields_and_boolean(seed_search: SearchIndex) -> None:
    for text in ['"Nord Stream"', "title:Russia", "Peskov AND Biden", "Peskov OR Zzzz", "Prigoz*"]:
        assert run_search(seed_search, make_search_request(text)).total == 1, text
    for text in ["Peskov AND Zzzz", "Peskov NOT Biden", '"Stream Nord"']:
        assert run_search(seed_search, make_search_request(text)).total == 0, text
