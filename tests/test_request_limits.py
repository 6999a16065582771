"""What one request may cost: limits named in their refusals, pages no bigger than their input.

Issue 13, items 1 and 6, on the Flask client over the samples index.
"""

from __future__ import annotations

from typing import Any

import pytest

from search.config import setting
from tests.conftest import STORY_WORD

FILTERS = ("actor", "country", "org", "not_actor", "not_country", "not_org")


def many(name: str, count: int) -> list[tuple[str, str]]:
    """`count` distinct values of one parameter, as a clicked-together URL would send them."""
    return [(name, f"Person {number}") for number in range(count)]


@pytest.mark.parametrize("name", FILTERS)
def test_too_many_values_for_one_filter_get_a_short_400_naming_the_limit(
    client: Any, name: str
) -> None:
    limit = setting("max_facet_values")
    values = many(name, 40)
    response = client.get("/search", query_string=[("q", "oil"), *values])
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"at most {limit}" in body and "NEWSARCHIVE_MAX_FACET_VALUES" in body
    # The refusal repeats no value: not one chip each, not every value as a hidden input,
    # so it is no bigger for twice the values than for one over the limit.
    assert "Person 30" not in body
    just_over = client.get("/search", query_string=[("q", "oil"), *many(name, limit + 1)])
    assert just_over.status_code == 400
    assert len(response.data) <= len(just_over.data) + 10  # "40 values" vs "21 values"


def test_one_value_repeated_counts_as_many(client: Any) -> None:
    response = client.get("/api/search", query_string=[("actor", "Peskov")] * 30)
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "actor"


def test_too_many_parameters_get_a_400_naming_the_limit(client: Any) -> None:
    limit = setting("max_parameters")
    pairs = [(f"x{number}", "1") for number in range(limit + 1)]
    for route in ("/search", "/api/search", "/feed.atom", "/facet/actor"):
        response = client.get(route, query_string=pairs)
        assert response.status_code == 400, route
        assert "NEWSARCHIVE_MAX_PARAMETERS" in response.get_data(as_text=True)
    assert client.get("/api/search", query_string=pairs[:limit]).status_code == 200


def test_a_request_longer_than_the_url_limit_is_refused_without_echo(client: Any) -> None:
    query = "a" * 100_000
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 414
    assert "NEWSARCHIVE_MAX_URL_LENGTH" in response.get_data(as_text=True)
    assert len(response.data) < 10_000  # was 302 KB: the query three times over


def test_a_refused_long_query_is_echoed_cut_short(client: Any) -> None:
    query = "a" * 15_000  # under the URL limit, over the query length
    response = client.get("/search", query_string={"q": query})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "15000 characters" in body
    assert len(response.data) < 3 * setting("max_query_length") + 5_000


@pytest.mark.parametrize("page", ["\u0661", "1_0", "+3", "٣", "2.0"])
def test_page_numbers_are_ascii_digits_only(client: Any, page: str) -> None:
    response = client.get("/api/search", query_string={"page": page})
    assert response.status_code == 400 and response.get_json()["parameter"] == "page"


@pytest.mark.parametrize("query", ["x.id:6119", "a.record:x", "(x.dated:1)", "title:a.id:1"])
def test_internal_fields_are_refused_however_they_are_spelt(client: Any, query: str) -> None:
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code == 400
    assert "cannot be searched" in response.get_json()["error"]


def test_stacked_operators_get_a_clear_message(client: Any) -> None:
    response = client.get("/search", query_string={"q": "NOT NOT NOT oil"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "NOT NOT" in body
    assert "index out of range" not in body


def test_405_says_which_methods_are_allowed(client: Any) -> None:
    for route in ("/search", "/api/search", "/opensearch.xml"):
        response = client.post(route)
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"].split(", ")


def test_dynamic_pages_revalidate_and_static_files_are_cached(client: Any) -> None:
    for route in ("/search", f"/search?q={STORY_WORD}", "/api/search", "/feed.atom", "/nope"):
        assert client.get(route).headers["Cache-Control"] == "no-cache", route
    static = client.get("/static/style.css")
    assert static.cache_control.max_age and static.cache_control.max_age >= 3600
    assert static.cache_control.public and not static.cache_control.no_cache
    static.close()
