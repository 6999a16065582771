"""People and organisations: spaCy's spans cleaned and merged, on real and written text."""

from __future__ import annotations

import re

import pytest

from search.entities.ner import NameFinder
from search.entities.spellings import one_edit_apart
from tests.conftest import SEED, need


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder()


def canonicals(mentions, kind: str) -> set[str]:
    return {m.canonical for m in mentions if m.kind == kind}


@pytest.mark.integration
def test_seed_people_are_exactly_the_four(finder: NameFinder) -> None:
    body = re.sub(r"^\s*date \S+\s*", "", need(SEED).read_text(encoding="utf-8"))
    mentions = finder.find_names_in("", body)
    assert canonicals(mentions, "actor") == {
        "Dmitry Peskov", "Yevgeny Prigozhin", "Vladimir Putin", "Joe Biden"
    }  # fmt: skip
    for mention in mentions:
        assert body[mention.start : mention.end] == mention.surface
    by_surface = {m.surface: m.canonical for m in mentions if m.kind == "actor"}
    assert by_surface["Peskov"] == "Dmitry Peskov"
    assert by_surface["Prifozhin"] == "Yevgeny Prigozhin"  # a misspelling, merged
    assert "Kremlin" in canonicals(mentions, "org")


def test_titles_are_dropped_and_surnames_merged(finder: NameFinder) -> None:
    body = ("Finance minister Amara Okafor arrived in Lagos on Monday. "
            "Minister Okafor said the budget would pass. Later Mr Okafor left.")  # fmt: skip
    mentions = finder.find_names_in("", body)
    assert canonicals(mentions, "actor") == {"Amara Okafor"}
    assert sum(m.canonical == "Amara Okafor" for m in mentions) == 3


def test_shared_surname_stays_unmerged(finder: NameFinder) -> None:
    body = ("Maria Lindqvist and her brother Johan Lindqvist opened the plant. "
            "Lindqvist said it would employ 400 people.")  # fmt: skip
    mentions = finder.find_names_in("", body)
    assert {"Maria Lindqvist", "Johan Lindqvist"} <= canonicals(mentions, "actor")
    assert all(m.canonical != "Maria Lindqvist" for m in mentions if m.surface == "Lindqvist")


def test_all_caps_lines_give_no_names(finder: NameFinder) -> None:
    body = "SHR PROFIT 1.20 DLRS VS 1.10 DLRS\nAVG SHRS 3,400,000\nREVS 12.5 MLN VS 11.9 MLN"
    assert finder.find_names_in("SMITH CORP REPORTS EARNINGS", body) == []


def test_acronym_follows_its_long_name(finder: NameFinder) -> None:
    body = ("Ministers of the European Community (EC) met in Brussels. "
            "The EC agreed to cut farm subsidies.")  # fmt: skip
    mentions = finder.find_names_in("", body)
    ec = [m for m in mentions if m.surface == "EC"]
    assert ec and all(m.canonical == "European Community" for m in ec)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("Prigozhin", "Prifozhin", True), ("Prigozhin", "Prigozhn", True),
     ("Prigozhin", "Prigzohin", True), ("Prigozhin", "Prigozhin", False),
     ("Prigozhin", "Pirgozhni", False), ("Smith", "Smythe", False)],
)  # fmt: skip
def test_one_edit_apart(a: str, b: str, expected: bool) -> None:
    assert one_edit_apart(a, b) is expected


def test_table_words_inside_a_name_are_no_person(finder: NameFinder) -> None:
    # The shape of Reuters-21578's money sentences, which the model reads as a person.
    body = ("New Zealand's official foreign reserves fell to 7.15 billion N.Z. Dlrs in January "
            "from 7.20 billion dlrs in December, the Reserve Bank said.")  # fmt: skip
    assert canonicals(finder.find_names_in("", body), "actor") == set()


def actors_of(finder: NameFinder, title: str, body: str) -> set[str]:
    return canonicals(finder.find_names_in(title, body), "actor")


def test_particles_and_hyphenated_given_names_stay_whole(finder: NameFinder) -> None:
    body = ("European Commission President Katrin von der Heyde spoke on Tuesday. "
            "Von der Heyde said the fund was ready. South Korean President Park Seo-yeon "
            "agreed. Park said talks would go on.")  # fmt: skip
    mentions = finder.find_names_in("", body)
    assert canonicals(mentions, "actor") == {"Katrin von der Heyde", "Park Seo-yeon"}
    by_surface = {m.surface: m.canonical for m in mentions if m.kind == "actor"}
    assert by_surface["Park"] == "Park Seo-yeon"  # the family name comes first


def test_words_places_and_markets_are_no_people(finder: NameFinder) -> None:
    body = ("Brexit talks stalled again on Monday. Glaciers in the region retreated, "
            "while ships waited at Santos. Santos handled less soy. Brent crude rose "
            "and the Hang Seng index fell. Turnout was low.")  # fmt: skip
    mentions = finder.find_names_in("Brexit stalls", body)
    assert canonicals(mentions, "actor") == set()
    assert canonicals(mentions, "org") == set()


def test_a_well_known_surname_alone_stays_a_person(finder: NameFinder) -> None:
    assert actors_of(finder, "", "Aides said President Reagan would veto the bill.") == {"Reagan"}
    assert actors_of(finder, "", "Critics attacked the Bush administration on Iraq.") == {"Bush"}


def test_credits_and_bylines_name_nobody(finder: NameFinder) -> None:
    body = ("LONDON (Reuters) - Mayor Lena Hartmann opened the bridge on Monday.\n\n"
            "Slideshow (5 images)\n\n"
            "FILE PHOTO: Lena Hartmann in London. REUTERS/Sandra Okonjo/File Photo\n\n"
            "Reporting by Tom Ashdown and Priya Raman; Editing by Colin Weir")  # fmt: skip
    mentions = finder.find_names_in("", body)
    assert canonicals(mentions, "actor") == {"Lena Hartmann"}
    assert canonicals(mentions, "org") == set()


def test_names_end_at_a_heading_or_a_dash(finder: NameFinder) -> None:
    title, body = "Lena Hartmann wins Senate seat", "Lena Hartmann won on Tuesday."
    assert actors_of(finder, title, body) == {"Lena Hartmann"}
    body = "Council leader Lena Hartmann - The council voted on Monday, Hartmann said."
    assert actors_of(finder, "", body) == {"Lena Hartmann"}


def test_all_caps_lines_are_read_in_the_articles_own_case(finder: NameFinder) -> None:
    body = ("CORNWALL FOODS TO CUT 800 JOBS AS SALES FALL\n\n"
            "Cornwall Foods will cut jobs, chief executive Derek Hallam said.")  # fmt: skip
    mentions = finder.find_names_in("HALLAM SAYS CUTS ARE NEEDED", body)
    assert canonicals(mentions, "org") == {"Cornwall Foods"}
    assert canonicals(mentions, "actor") == {"Derek Hallam"}
    assert {m.surface for m in mentions} >= {"CORNWALL FOODS", "HALLAM"}  # as written


def test_results_lists_give_teams_and_players(finder: NameFinder) -> None:
    football = ("Porto Vale went top with a win on Saturday.\n\nRESULTS\n\n"
                "Porto Vale 2 Riverside Athletic 1\n"
                "Sporting Alverca 0 Estrela Norte 0\n")  # fmt: skip
    mentions = finder.find_names_in("", football)
    assert canonicals(mentions, "org") == {
        "Porto Vale", "Riverside Athletic", "Sporting Alverca", "Estrela Norte"
    }  # fmt: skip
    assert canonicals(mentions, "actor") == set()
    tennis = ("Castell won her first title.\n\nFinal:\n"
              "Mira Castell (Spain) beat Ilse Brandt (Germany) 6-3 6-4\n")  # fmt: skip
    mentions = finder.find_names_in("", tennis)
    assert canonicals(mentions, "actor") == {"Mira Castell", "Ilse Brandt"}
    assert canonicals(mentions, "org") == set()


def test_a_person_the_model_calls_an_organisation_is_a_person(finder: NameFinder) -> None:
    body = "Democrat Maren Holt won the seat on Tuesday. Senator Holt thanked voters."
    mentions = finder.find_names_in("Maren Holt wins Senate seat", body)
    assert canonicals(mentions, "actor") == {"Maren Holt"}
    assert "Maren Holt" not in canonicals(mentions, "org")


def test_an_organisation_introduced_as_one_is_no_person(finder: NameFinder) -> None:
    body = ("Brazil's state oil company, Petrobras, cancelled a crude purchase on Monday. "
            "Petrobras said in a statement that it would buy elsewhere.")  # fmt: skip
    mentions = finder.find_names_in("Oil deal", body)
    assert canonicals(mentions, "org") == {"Petrobras"}
    assert canonicals(mentions, "actor") == set()
    # A comma after "company" without a second one is no apposition: Johnson speaks.
    said = finder.find_names_in("Deal", "It is a good deal for the company, Johnson said.")
    assert canonicals(said, "actor") == {"Johnson"}


def test_companies_in_a_list_after_their_noun_are_no_people(finder: NameFinder) -> None:
    body = ("Taxi firms Brixton Cabs and Velocar said their drivers would strike on Monday. "
            "Brixton Cabs said fares would rise. Velocar declined to comment.")  # fmt: skip
    mentions = finder.find_names_in("Cab strike", body)
    assert canonicals(mentions, "actor") == set()
    assert canonicals(mentions, "org") <= {"Brixton Cabs", "Velocar"}


def test_an_index_with_its_number_is_no_organisation(finder: NameFinder) -> None:
    body = "The FTSE 100 index rose 0.4 percent, while the CAC 40 index fell, dealers said."
    assert canonicals(finder.find_names_in("Stocks", body), "org") == set()


def test_one_bearer_whatever_the_case_of_the_particle(finder: NameFinder) -> None:
    body = ("Osama bin Laden was killed in 2011. Osama Bin Laden had lived in the town for "
            "years. Bin Laden founded the group.")  # fmt: skip
    assert actors_of(finder, "", body) == {"Osama bin Laden"}


def test_a_name_no_article_shows_as_a_person_is_unconfirmed(finder: NameFinder) -> None:
    body = ("Forecasters issued the Winter Outlook on Monday. Water rose around Fort Calloway "
            "and Gatun Lake. Mayor Ines Okafor said schools would close. The judge, Richard "
            "Mawrey QC, said Prince Albert II would attend.")  # fmt: skip
    people = actors_of(finder, "", body)
    assert {"Ines Okafor", "Richard Mawrey", "Albert II"} <= people
    assert people - {"Ines Okafor", "Richard Mawrey", "Albert II"} <= {
        "Winter Outlook (unconfirmed)", "Fort Calloway (unconfirmed)", "Gatun Lake (unconfirmed)"
    }  # fmt: skip
