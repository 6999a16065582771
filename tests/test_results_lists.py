"""Text the model never sees: results lists, standings and all-caps lines, read without
bringing back table junk. The stories are invented; teams and players are made up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.entities.ner import NameFinder
from search.models import SearchRequest
from tests.indexing import index_into

LEAGUE = (
    "Riverside Athletic stayed top after a late winner on Saturday.\n\n"
    "Results of first division matches on Saturday:\n"
    "Riverside Athletic 2 (Dias 12, Moreau 88) Porto Vale 1 (Kestrel 40)\n"
    "Alverca 0 Norbury 0 (halftime 0-0)\n"
    "ESTRELA NORTE 3 Kingsmead 1\n\n"
    "Standings (tabulated under played, won, drawn, lost, goals for, against, points):\n"
    "1. Riverside Athletic 10 8 1 1 20 6 25\n"
    "2. Halden 10 7 2 1 18 7 23\n"
)
SPRINT = (
    "Dawit Alemu won the 200 metres in Oslo on Friday.\n\n"
    "Results of the men's 200 metres:\n"
    "1. Dawit Alemu (Ethiopia) 19.95 seconds\n"
    "2. Carlos Brandao (Brazil) 20.10\n"
    "3. Harbour Road (Labour) 20.21\n"
)
EARNINGS = (
    "Kestrel Mills Inc said on Monday its quarterly profit rose.\n\n"
    "Shr 1.15 dlrs vs 1.05 dlrs\n"
    "Net 12.4 mln vs 10.1 mln\n"
    "Revs 305 mln vs 280 mln\n"
    "Avg shrs 10.8 mln vs 9.6 mln\n"
    "Nine Mths 4 3 2 1\n"
)


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder()


def values(finder: NameFinder, title: str, body: str, kind: str) -> set[str]:
    return {m.canonical for m in finder.find_names_in(title, body) if m.kind == kind}


def test_score_rows_with_scorers_and_standings_give_every_team(finder: NameFinder) -> None:
    orgs = values(finder, "Soccer - first division results", LEAGUE, "org")
    # One-word teams, teams of a row with brackets, an all-caps home team in the case of
    # a name, and a team seen only in the standings.
    assert orgs == {
        "Riverside Athletic", "Porto Vale", "Alverca", "Norbury", "Estrela Norte", "Kingsmead",
        "Halden",
    }  # fmt: skip


def test_standings_alone_and_earnings_tables_give_no_names(finder: NameFinder) -> None:
    standings = "Halden lead the table.\n\nStandings:\nHalden 10 7 2 1 18 7 23\n"
    assert values(finder, "Table", standings, "org") == set()
    names = values(finder, "Results", EARNINGS, "org")
    names |= values(finder, "Results", EARNINGS, "actor")
    assert names <= {"Kestrel Mills Inc"}  # no "Shr", "Revs" or "Nine Mths"


def test_ranked_entrants_with_a_country_are_people(finder: NameFinder) -> None:
    people = values(finder, "Athletics - results", SPRINT, "actor")
    # "(Labour)" is no country: that row is not read as an entrant.
    assert people == {"Dawit Alemu", "Carlos Brandao"}


def test_a_name_does_not_run_on_from_an_all_caps_heading(finder: NameFinder) -> None:
    body = (
        "RIVERSIDE REACH FINAL AFTER WIN OVER PORTO VALE\n"
        "Riverside Athletic beat Porto Vale 2-1 on Wednesday, coach Marta Kowalczyk said.\n"
    )
    names = values(finder, "Riverside through", body, "actor")
    names |= values(finder, "Riverside through", body, "org")
    assert "Marta Kowalczyk" in names
    assert not [name for name in names if "Vale Riverside" in name]
    listed = "The line-up was announced.\nSILVER HARBOUR\nThe Glass Owls\nRobert Lindqvist\n"
    assert "Glass Owls Robert" not in " ".join(values(finder, "Line-up", listed, "org"))
    # Wrapped wire prose: a short first line (the dateline was cut from it) is no list item.
    wrapped = ("Quota talks at the International\nCocoa Organization council meeting here "
               "continued this\nafternoon, delegates said.\n")  # fmt: skip
    # "Quota", seen only at a sentence's start, waits for the archive as unconfirmed.
    assert values(finder, "", wrapped, "org") == {
        "International Cocoa Organization", "Quota (unconfirmed)"
    }  # fmt: skip


def test_results_lists_reach_the_facets_of_an_index(tmp_path: Path) -> None:
    source = tmp_path / "sport.jsonl"
    stories = [
        {"id": "league", "title": "Soccer - first division results", "body": LEAGUE,
         "date": "2020-03-07"},
        {"id": "sprint", "title": "Athletics - Oslo results", "body": SPRINT,
         "date": "2020-06-12"},
    ]  # fmt: skip
    source.write_text("".join(json.dumps(s) + "\n" for s in stories), encoding="utf-8")
    report = index_into([source], tmp_path / "index", workers=1)
    assert report.failed == 0
    index = SearchIndex(tmp_path / "index")
    try:
        teams = run_search(index, SearchRequest(org=["Kingsmead"]))
        runners = run_search(index, SearchRequest(actor=["Carlos Brandao"]))
    finally:
        index.close()
    assert [hit.id for hit in teams.hits] == ["league"]
    assert "Estrela Norte" in teams.hits[0].orgs
    assert [hit.id for hit in runners.hits] == ["sprint"]
    assert {"Dawit Alemu", "Carlos Brandao"} <= set(runners.hits[0].actors)


def test_forum_codes_are_organisations_wherever_they_stand(finder: NameFinder) -> None:
    body = "G8 finance ministers agreed on debt relief before the G-20 summit on Monday."
    assert values(finder, "Debt relief agreed", body, "org") >= {"G8", "G-20"}
    assert values(finder, "Jet order", "The airline ordered ten A320 jets.", "org") == set()
