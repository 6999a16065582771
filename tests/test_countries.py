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
        "The council approved a US$40 million loan for the new bridge.",
        "Tickets cost US $12 each.",
        "The yard paid U.S.$3 billion for the order.",
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


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1988, ["Yugoslavia"] * 4),
        (2001, ["Yugoslavia"] * 4),
        (2004, ["Serbia and Montenegro"] * 4),
        (2007, ["Serbia", "Montenegro", "Serbia", "Serbia"]),
        (2012, ["Serbia", "Montenegro", "Serbia", "Kosovo"]),
    ],
)
def test_states_that_came_and_went_follow_the_articles_year(year: int, expected) -> None:
    # Serbia and Montenegro (2003-2006) sat between the rump Yugoslavia and today's states.
    text = "Ministers from Belgrade and Podgorica met Serb leaders in Pristina."
    assert [m.canonical for m in find_countries(text, "body", year)] == expected


def test_a_state_named_outright_keeps_its_name() -> None:
    text = "The State Union of Serbia and Montenegro signed the accord."
    assert [m.canonical for m in find_countries(text, "body", 2005)] == ["Serbia and Montenegro"]
    assert canonical_country("serbia and montenegro") == "Serbia and Montenegro"


@pytest.mark.parametrize(
    ("year", "expected"),
    [(1984, ["Netherlands Antilles"] * 2), (1995, ["Netherlands Antilles", "Aruba"]),
     (2012, ["Curacao", "Aruba"])],
)  # fmt: skip
def test_islands_that_left_the_netherlands_antilles(year: int, expected) -> None:
    text = "Refineries on Curacao and Aruba cut output."
    assert [m.canonical for m in find_countries(text, "body", year)] == expected


def about(title: str, body: str, year: int = 2010) -> list[str]:
    """The country facet of one story, through the whole extraction (the model included)."""
    from search.entities import ArticleText, extract_entities

    return extract_entities([ArticleText(title, body, "", year)])[0].countries


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        pytest.param(
            "Tanker rates climb for a third week",
            "Freight rates for crude tankers rose for a third week on Monday, shipbrokers in "
            "Oslo said.\n\nBrokers said demand from refiners was strong. Iranian officials said "
            "exports would resume soon, and an Iranian tanker was seen loading.",
            ["Norway"],
            id="a demonym in passing",
        ),
        pytest.param(
            "Swedish goalkeeper changes clubs",
            "Goalkeeper Erik Lindgren signed a two-year contract with the Toronto Maple Leafs "
            "on Monday, leaving his club in Stockholm after five seasons.\n\nLindgren said the "
            "Toronto Maple Leafs had followed him for years.",
            ["Sweden"],
            id="a city inside a team's name",
        ),
        pytest.param(
            "Card issuer to hire 900 in Mexico",
            "American Express said on Tuesday it would open a service centre near Guadalajara, "
            "hiring 900 people.\n\nThe company said Mexican regulators had approved the plan.",
            ["Mexico"],
            id="a demonym inside a company's name",
        ),
        pytest.param(
            "Retailer signs leases for 28 stores",
            "Electronics retailer Brightline said on Friday it had signed leases for 28 new "
            "stores.\n\nThe company, the third-largest electronics retailer in the United "
            "States, would not discuss the terms.",
            ["United States"],
            id="the one country of a story, named once",
        ),
    ],
)
def test_what_decides_the_country_facet(title: str, body: str, expected: list[str]) -> None:
    assert about(title, body) == expected


LONG_FLOOD_STORY = (
    "Floods closed more than 2,000 schools across northern Bangladesh on Sunday, officials in "
    "Dhaka said.\n\nRivers rose after a week of rain. Bangladesh's disaster ministry said "
    "shelters held 80,000 people, and the army flew food to districts cut off by water. "
    "Forecasters said the rain came from a depression over India that would move east. "
    "Bangladesh asked donors for boats and water tablets. Aid groups in Dhaka said the worst "
    "was still to come, and that Bangladesh's rice harvest would suffer. Traders in India "
    "said prices had already risen. Officials said schools in Bangladesh could reopen within "
    "a fortnight if the water fell."
)


def test_countries_named_in_passing_yield_to_the_story_s_subject() -> None:
    # India is named twice, as Bangladesh's neighbour: one point a mention would make it
    # salient; against a subject named eight times it is not.
    assert about("Floods close schools", LONG_FLOOD_STORY) == ["Bangladesh"]
    text = find_countries(LONG_FLOOD_STORY)
    assert [m.canonical for m in text].count("India") == 2  # still mentioned and searchable


def test_the_same_two_mentions_make_the_subject_of_a_short_story() -> None:
    body = (
        "Heavy rain closed schools across the north on Sunday.\n\nForecasters in India said "
        "the depression would move east, and India's weather office warned of floods."
    )
    assert about("Rain closes schools", body) == ["India"]


def test_a_headline_country_stays_however_much_the_body_names_another() -> None:
    body = LONG_FLOOD_STORY.replace("Sunday", "Sunday, as a Japanese survey team arrived")
    assert about("Japan sends flood experts", body) == ["Bangladesh", "Japan"]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("Yemen met South Yemen in Sanaa.", 1987, ["North Yemen", "South Yemen", "North Yemen"]),
        ("Yemen's president spoke in Sanaa.", 2011, ["Yemen", "Yemen"]),
    ],
)
def test_yemen_before_unification_is_north_yemen(text: str, year: int, expected) -> None:
    assert [m.canonical for m in find_countries(text, "body", year)] == expected


@pytest.mark.parametrize("dateline", ["NEW CANAAN, Conn, March 3 -", "LODI, Calif, March 4 -"])
def test_dateline_state_abbreviations_without_a_full_stop(dateline: str) -> None:
    assert canonicals(dateline) == ["United States"]
    assert canonicals("the Conn and Calif boats") == []


def test_a_state_gone_by_the_articles_year_counts_half() -> None:
    # In 2009 the Soviet Union is history the story recalls; Georgia is where it happens.
    body = (
        "Georgia's parliament met in Tbilisi on Monday to debate the budget, officials said.\n\n"
        "Deputies argued over pensions. Several of them had served in the Soviet Union, and "
        "one recalled how the Soviet Union ran the economy. The vote is due on Friday."
    )
    assert about("Parliament debates budget", body, 2009) == ["Georgia"]
    # In its own time the same story names a state as real as Georgia was.
    assert "Soviet Union" in about("Parliament debates budget", body, 1987)


def test_a_place_after_a_given_name_and_a_particle_is_a_family_name() -> None:
    assert canonicals("Marcelo de Lima said the talks would resume.") == []
    assert canonicals("Petroleos de Venezuela said output rose.") == ["Venezuela"]
    assert canonicals("Prices in Lima rose.") == ["Peru"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sino-Japanese talks resumed.", ["China", "Japan"]),
        ("The Franco-German treaty", ["France", "Germany"]),
        ("Anglo-Saxon law and Indo-European languages", []),
        ("General Franco ruled Spain.", ["Spain"]),
    ],
)
def test_combining_forms_name_a_country_beside_another(text: str, expected: list[str]) -> None:
    assert canonicals(text) == expected


def test_a_combining_form_alone_decides_no_country() -> None:
    body = (
        "Sino-Japanese trade grew last year, a trade group said on Monday.\n\n"
        "Sino-Japanese shipping rates also rose, it said."
    )
    assert about("Trade grows", body) == ["Japan"]


def test_three_countries_sharing_the_top_need_more_than_a_mention() -> None:
    body = (
        "Ministers met on Monday to discuss fishing quotas, a spokesman said.\n\n"
        "Delegates from Norway, Iceland and Denmark attended. No deal was reached."
    )
    assert about("Fishing talks end without a deal", body) == []
    # Two countries sharing the top are still the story's.
    assert about("Fishing talks end without a deal", body.replace(", Iceland", "")) == [
        "Norway", "Denmark",
    ]  # fmt: skip


def test_the_one_country_a_story_names_is_its_country_however_weakly_named() -> None:
    body = (
        "The publisher said on Monday it would charge readers for its archive.\n\n"
        "The American company gave no figures."
    )
    assert about("Publisher to charge for archive", body) == ["United States"]
    # A place inside an organisation's name is that organisation, even alone.
    team = "Fans of the Toronto Maple Leafs celebrated a fourth straight win on Saturday."
    assert about("Fans celebrate", team) == []
    # Beside a country named outright, the demonym alone is not enough.
    assert about("Publisher to charge for archive", body + " It also sells in Canada.") == [
        "Canada",
    ]  # fmt: skip
