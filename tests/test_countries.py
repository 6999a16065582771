"""Countries from the gazetteer: one canonical name, longest form wins, context rules hold."""

from __future__ import annotations

import pytest

from search.entities.countries import (
    canonical_country,
    country_names,
    find_countries,
    load_gazetteer,
)
from tests.conftest import SEED, need


def canonicals(text: str) -> list[str]:
    return [mention.canonical for mention in find_countries(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. and the US and the United States", ["United States"] * 3),
        ("American officials in Washington and the White House", ["United States"] * 3),
        ("The Kremlin, Moscow and Russian envoys", ["Russia"] * 3),
        ("Kiev, Kyiv and Ukrainian grain", ["Ukraine"] * 3),
        ("Britain and the U.K. and Downing Street", ["United Kingdom"] * 3),
        ("the USSR and the U.S.S.R.", ["Soviet Union"] * 2),
        ("Burma and Zaire", ["Myanmar", "DR Congo"]),
        ("West German exporters in Bonn", ["West Germany"] * 2),
        ("Holland, the Netherlands and Rotterdam", ["Netherlands"] * 3),
        ("Elysee and Élysée", ["France", "France"]),
    ],
)
def test_forms_map_to_one_canonical_name(text: str, expected: list[str]) -> None:
    assert canonicals(text) == expected


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("A Woman from Romania", ["Romania"]),
        ("Somali pirates", ["Somali"]),
        ("Nigeria and Niger", ["Nigeria", "Niger"]),
        ("Iranian oil", ["Iranian"]),
        ("South Africa and Africa", ["South Africa"]),
        ("New Mexico and Mexico", ["New Mexico", "Mexico"]),
        ("Papua New Guinea beat Guinea-Bissau", ["Papua New Guinea", "Guinea-Bissau"]),
        ("Guinea and Equatorial Guinea", ["Guinea", "Equatorial Guinea"]),
        ("Russian-speaking regions", ["Russian"]),
    ],
)  # fmt: skip
def test_matches_are_whole_words_and_the_longest_form_wins(text: str, surfaces: list[str]) -> None:
    assert [mention.surface for mention in find_countries(text)] == surfaces


def test_longest_forms_keep_their_own_country() -> None:
    text = "New South Wales, New York, Papua New Guinea, South Africa and the USSR"
    assert canonicals(text) == [
        "Australia", "United States", "Papua New Guinea", "South Africa", "Soviet Union",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Latin America, South America, Central America and North America",
        "tell us about it",
        "TELL US WHAT YOU THINK",
        "SALE OF ASSETS",
        "George Washington slept here",
        "Michael Jordan scored",
        "Jordan Peterson spoke",
        "fine china and a roast turkey",
        "Ill. health",
        "the Indian Ocean and the West Indies",
        "a Bus and the USSRs",
        "it bought 1.5 billion U.S. dlrs",
    ],
)
def test_words_that_are_not_countries(text: str) -> None:
    assert find_countries(text) == []


def test_offsets_point_at_the_surface_in_text_order() -> None:
    text = "Talks between Japan and the U.S. ended; Tokyo said the Kremlin, Côte d'Ivoire agreed."
    mentions = find_countries(text, "title")
    assert [m.surface for m in mentions] == ["Japan", "U.S.", "Tokyo", "Kremlin", "Côte d'Ivoire"]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
        assert mention.kind == "country" and mention.field == "title"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. AND JAPAN AGREE ON CHIPS", ["United States", "Japan"]),
        ("TOKYO, March 3 - Japanese exports rose", ["Japan", "Japan"]),
        ("SANTA CRUZ, Calif., March 3 -", ["United States"]),
        ("COLUMBUS, IND., Feb 26 -", ["United States"]),
        ("THE US ECONOMY SLOWS", ["United States"]),
        ("US-JAPAN CHIP TALKS", ["United States", "Japan"]),
        ("US GDP rose", ["United States"]),
        ("U.S. TURKEY OUTPUT RISES", ["United States"]),
    ],
)
def test_all_caps_headlines_and_datelines(text: str, expected: list[str]) -> None:
    assert canonicals(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks in Georgia and Armenia", ["Georgia", "Armenia"]),
        ("Tbilisi, Georgia", ["Georgia", "Georgia"]),
        ("Savannah, Georgia", ["United States"]),
        ("farmers in Georgia and Alabama", ["United States", "United States"]),
        ("the governor of Georgia signed", ["United States"]),
        ("Washington state and Washington", ["United States", "United States"]),
        ("Chad Smith met officials from Chad", ["Chad"]),
        ("Mr Jordan met King Hussein of Jordan", ["Jordan"]),
        ("Jordan Says It Will Join Talks", ["Jordan"]),
    ],
)
def test_ambiguous_names_follow_their_context(text: str, expected: list[str]) -> None:
    assert canonicals(text) == expected


@pytest.mark.integration
def test_seed_article_countries_are_exactly_three() -> None:
    text = need(SEED).read_text(encoding="utf-8")
    mentions = find_countries(text)
    assert {m.canonical for m in mentions} == {"Russia", "United States", "Ukraine"}
    assert {"Kremlin", "Moscow", "Washington", "Ukrainian", "US"} <= {m.surface for m in mentions}


def test_lookup_helpers() -> None:
    assert canonical_country("U.S.") == "United States"
    assert canonical_country("Kremlin") == "Russia"
    assert canonical_country("the Netherlands") == "Netherlands"
    assert canonical_country("united states") == "United States"
    assert canonical_country("Latin America") is None
    assert canonical_country("Atlantis") is None
    names = country_names()
    assert {"Japan", "United States", "Soviet Union", "Hong Kong", "Palestine"} <= set(names)
    assert "-" not in names and names == sorted(names)


def test_gazetteer_covers_the_sovereign_states() -> None:
    # 193 UN members, 2 observers, Taiwan and Kosovo, plus territories and former states.
    assert len(country_names()) > 200
    kinds = {form.kind for form in load_gazetteer().values()}
    assert kinds == {
        "name", "demonym", "capital", "seat", "city", "region", "dateline", "former", "blocker",
    }  # fmt: skip


def test_every_name_of_a_country_finds_that_country() -> None:
    for surface, form in load_gazetteer().items():
        if form.kind in {"name", "capital"} and form.canonical != "-":
            found = canonicals(f"News from {surface} today.")
            assert found[:1] == [form.canonical], surface
