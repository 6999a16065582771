"""People and organisations: spaCy's spans cleaned and merged, on real and written text."""

from __future__ import annotations

import re

import pytest

from search.entities.names import one_edit_apart
from search.entities.ner import NameFinder
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
