"""Countries from the gazetteer: one canonical name, longest form wins, context rules hold."""

from __future__ import annotations

import pytest

from search.entities.gazetteer import canonical_country, country_names, find_countries
from tests.conftest import SEED, need


def found(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.canonical) for m in find_countries(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. and the US and the United States", ["United States"] * 3),
        ("American officials in Washington and the White House", ["United States"] * 3),
        ("The Kremlin, Moscow and Russian envoys", ["Russia"] * 3),
        ("Kiev, Kyiv and Ukrainian grain", ["Ukraine"] * 3),
        ("Britain and the U.K.", ["United Kingdom"] * 2),
        ("Iranian and Somali and Nigerian crews", ["Iran", "Somalia", "Nigeria"]),
        ("the USSR and the U.S.S.R.", ["Soviet Union"] * 2),
        ("Papua New Guinea beat Guinea", ["Papua New Guinea", "Guinea"]),
        ("SANTA CRUZ, Calif., March 3 -", ["United States"]),
        ("U.S. AND JAPAN AGREE ON CHIPS", ["United States", "Japan"]),
        ("TOKYO, March 3 - Japanese exports rose", ["Japan", "Japan"]),
    ],
)
def test_forms_map_to_one_canonical_name(text: str, expected: list[str]) -> None:
    assert [canonical for _, canonical in found(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["Latin America and South America", "tell us about it", "TELL US WHAT YOU THINK",
     "SALE OF ASSETS", "George Washington slept here", "Michael Jordan scored", "a Woman",
     "fine china and a roast turkey", "Bank of America shares", "Ill. health"],
)  # fmt: skip
def test_words_that_are_not_countries(text: str) -> None:
    assert found(text) == []


def test_offsets_point_at_the_surface() -> None:
    text = "Talks between Japan and the U.S. ended; Tokyo said."
    for mention in find_countries(text):
        assert text[mention.start : mention.end] == mention.surface


def test_seed_article_countries_are_exactly_three() -> None:
    text = need(SEED).read_text(encoding="utf-8")
    assert {m.canonical for m in find_countries(text)} == {"Russia", "United States", "Ukraine"}


def test_lookup_helpers() -> None:
    assert canonical_country("U.S.") == "United States"
    assert canonical_country("Kremlin") == "Russia"
    assert canonical_country("Latin America") is None and canonical_country("Atlantis") is None
    assert {"Japan", "United States", "Soviet Union"} <= set(country_names())
    assert "-" not in country_names()
