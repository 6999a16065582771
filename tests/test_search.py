"""Searching: the end-to-end contract on the samples, and on the file the project was made for."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex, get_article
from search.backends.whoosh.query import run_search
from search.errors import BadRequest
from search.params import make_search_request
from tests.conftest import SAMPLE_STORY, SAMPLES, STORY_DATE, STORY_WORD

SEED_ACTORS = {"Dmitry Peskov", "Yevgeny Prigozhin", "Vladimir Putin", "Joe Biden"}


def test_the_story_word_is_in_one_sample_file_only() -> None:
    holding = [p for p in SAMPLES.rglob("*.*") if STORY_WORD in p.read_text(encoding="utf-8")]
    assert holding == [SAMPLE_STORY]


def test_a_story_is_found_with_its_date_entities_and_highlight(samples_search) -> None:
    page = run_search(samples_search, make_search_request(STORY_WORD))
    assert page.total == 1
    hit = page.hits[0]
    assert hit.date == STORY_DATE
    assert set(hit.countries) == {"Kenya", "Uganda"}
    assert hit.actors == ["Samuel Kiprono"]
    assert f"<mark>{STORY_WORD}</mark>" in hit.snippet
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    assert facets["country"] == {"Kenya": 1, "Uganda": 1}
    assert facets["date"] == {STORY_DATE[:7]: 1}


def test_mentions_point_at_their_text(samples_search) -> None:
    hits = run_search(samples_search, make_search_request("", per_page=100)).hits
    assert hits
    for hit in hits:
        article = get_article(samples_search, hit.id)
        for mention in article.entities.mentions:
            fields = {"body": article.body, "title": article.title, "dateline": article.dateline}
            text = fields[mention.field] or ""
            assert text[mention.start : mention.end] == mention.surface, (hit.id, mention)


def test_filters_and_exclusions(samples_search) -> None:
    def total(**filters) -> int:
        return run_search(samples_search, make_search_request(STORY_WORD, **filters)).total

    assert total(country=["Kenya"]) == 1
    assert total(country=["Kenya", "Uganda"]) == 1
    assert total(country=["Japan"]) == 0
    assert total(not_actor=["Samuel Kiprono"]) == 0
    assert total(not_country=["Japan"]) == 1


def test_date_range(samples_search) -> None:
    def total(since: str, until: str | None = None) -> int:
        request = make_search_request(STORY_WORD, since=since, until=until)
        return run_search(samples_search, request).total

    assert total(STORY_DATE[:7], STORY_DATE) == 1  # a month-only bound covers its month
    assert total(STORY_DATE[:4]) == 1
    assert total(f"{int(STORY_DATE[:4]) + 1}") == 0


@pytest.mark.parametrize("text", ['"unclosed phrase', "(Kenya AND", "Kenya)", "Kenya AND", "OR x"])
def test_malformed_queries_are_bad_requests(samples_search: SearchIndex, text: str) -> None:
    with pytest.raises(BadRequest):
        run_search(samples_search, make_search_request(text))


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
def test_bad_parameters_are_bad_requests(samples_search: SearchIndex, kwargs: dict) -> None:
    with pytest.raises(BadRequest):
        run_search(samples_search, make_search_request("", **kwargs))


def test_query_syntax_phrases_fields_and_boolean(samples_search: SearchIndex) -> None:
    def total(text: str) -> int:
        return run_search(samples_search, make_search_request(text)).total

    for text in ['"win ugly"', "title:qualifying", "ugly AND Kiprono", "ugly OR Zzzz", "ugl*"]:
        assert total(text) == 1, text
    for text in ["ugly AND Zzzz", "ugly NOT Kiprono", '"ugly win"']:
        assert total(text) == 0, text


# The seed article, the sample of the archive format the project was made for ---------------


@pytest.fixture
def seed_search(seed_index: Path):
    index = SearchIndex(seed_index)
    yield index
    index.close()


@pytest.mark.integration
def test_peskov_finds_the_seed_article_with_its_entities(seed_search: SearchIndex) -> None:
    page = run_search(seed_search, make_search_request("Peskov"))
    assert page.total == 1
    hit = page.hits[0]
    assert hit.date == "2022-11-09"
    assert set(hit.countries) == {"Russia", "United States", "Ukraine"}
    assert set(hit.actors) == SEED_ACTORS  # people only
    assert "<mark>Peskov</mark>" in hit.snippet


@pytest.mark.integration
def test_seed_facets_and_date(seed_search: SearchIndex) -> None:
    page = run_search(seed_search, make_search_request(""))
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    assert facets["country"] == {"Russia": 1, "United States": 1, "Ukraine": 1}
    assert set(facets["actor"]) == SEED_ACTORS
    assert facets["date"] == {"2022-11": 1}


@pytest.mark.integration
def test_seed_mentions_merge_surnames_and_seats_of_government(seed_search: SearchIndex) -> None:
    hit = run_search(seed_search, make_search_request("")).hits[0]
    mentions = get_article(seed_search, hit.id).entities.mentions
    surfaces = {m.surface for m in mentions if m.canonical == "Dmitry Peskov"}
    assert {"Dmitry Peskov", "Peskov"} <= surfaces
    kremlin = [m for m in mentions if m.kind == "country" and m.surface == "Kremlin"]
    assert kremlin and kremlin[0].canonical == "Russia"


@pytest.mark.integration
def test_seed_query_syntax(seed_search: SearchIndex) -> None:
    for text in ['"Nord Stream"', "title:Russia", "Peskov AND Biden", "Prigoz*"]:
        assert run_search(seed_search, make_search_request(text)).total == 1, text
    for text in ["Peskov NOT Biden", '"Stream Nord"']:
        assert run_search(seed_search, make_search_request(text)).total == 0, text
