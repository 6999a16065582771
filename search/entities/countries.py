"""Countries a news article mentions: one gazetteer, one Aho-Corasick pass, then context rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

import ahocorasick

from search.entities.given_names import given_names
from search.entities.shouting import line_at
from search.models import Mention

BLOCKER = "-"
GAZETTEER = "data/countries.tsv"

# Forms whose all-caps variant is mostly something else: "U.S. TURKEY OUTPUT", "SHOE POLISH",
# "GEORGIA GULF". In mixed case they stay countries (the bird and the verb are lower case).
NEVER_SHOUTED = {"Turkey", "Georgia", "Pole", "Poles", "Polish"}
# Names that are also people's surnames: not a country right after a capitalised given name
# or title ("Michael Jordan", "Jack London", "Mr Chad").
SURNAME_LIKE = {
    "Washington", "Jordan", "Chad", "Georgia", "Virginia", "Israel", "Kenya", "Paris", "Sydney",
    "Houston", "Dallas", "Denver", "Cleveland", "London", "Lima", "Santiago", "Wellington",
    "Sofia", "Montana", "Berlin", "Holland", "Wales", "England", "Ireland", "Indiana",
}  # fmt: skip
# Names that are also given names: not a country right before a capitalised surname
# ("Jordan Peterson", "Chad Smith", "Georgia O'Keeffe").
GIVEN_NAME_LIKE = {"Jordan", "Chad", "Georgia", "Virginia", "Sofia", "Santiago", "Indiana"}
# Lower-case particles of family names ("Marcelo de Lima", "Jan van Holland"). After a
# given name and one of them, a place word is a family name; after other words it is a
# place, mostly in an organisation's name ("Banco do Brasil", "Electricite de France").
SURNAME_PARTICLE_BEFORE = re.compile(
    r"\b([A-Z][a-z'’]+)[ \t]+(?:de|da|di|do|dos|das|del|della|du|van|von|der|den|ter|ten|y)[ \t]+$"
)
# Combining forms that name a country in a compound with another country ("Sino-Japanese
# talks", "Franco-German"): weak evidence, like a demonym, and only before a hyphen and
# another country's name or demonym ("Anglo-Saxon" and "Indo-European" name none).
COMBINING_FORMS = {
    "Sino": "China", "Franco": "France", "Anglo": "United Kingdom", "Indo": "India",
    "Russo": "Russia", "Italo": "Italy", "Greco": "Greece", "Graeco": "Greece",
    "Turco": "Turkey", "Austro": "Austria", "Germano": "Germany", "Hispano": "Spain",
    "Luso": "Portugal", "Nippo": "Japan", "Serbo": "Serbia", "Belgo": "Belgium",
    "Dano": "Denmark", "Hiberno": "Ireland", "Polono": "Poland",
}  # fmt: skip
COMBINING = re.compile(rf"\b({'|'.join(COMBINING_FORMS)})[-–](?=[A-Z])")
# Capitalised words that precede a place without being a person's given name.
PLACE_LEADING = """The In On At For From To By And But Or Of With Said Says Both Neither Nor
    When While Like Unlike Against Between Across Around Outside Inside Near Into Over Under
    After Before Since Until Including Than That This Yesterday Today Tomorrow Meanwhile Now
    Then Also However Where Why How What Which Who If As So Only Even Via Per Visiting Neighbouring
    Neighboring North South East West Northern Southern Eastern Western Central Greater
    Downtown Metropolitan Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December"""
PLACE_LEADING_WORDS = set(PLACE_LEADING.split())
TITLE_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of",
                     "on", "or", "the", "to", "with", "vs"}  # fmt: skip
# "U.S. dlrs" in a Japanese bank's report and "US$10 million" in a budget are a currency,
# not a mention of the country.
CURRENCY_AFTER = re.compile(
    r" ?\$|\s+(?:dollars?|dlrs?|cents?|cts|francs?|marks?|yen|pounds?|sterling|guilders?|crowns?|"
    r"pesos?|lire|lira|rupees?|yuan|rand|currency)\b",
    re.IGNORECASE,
)
CURRENCY_KINDS = {"name", "demonym", "former"}
PLACE_KINDS = {"region", "city", "dateline"}
# Context in which "Georgia" is the US state, and countries that make it the Caucasian one.
US_STATE_BEFORE = re.compile(
    r"(?:[Gg]overnor of|[Ss]tate of|Democrat from|Republican from|Corp of|Authority of) $"
)
US_STATE_AFTER = re.compile(
    r",? (?:U\.S\.|USA\b|state\b|Republican|Democrat|[Gg]overnor|[Ll]egislature|Public Serv)"
)
GEORGIA_NEIGHBOURS = {"Georgia", "Russia", "Soviet Union", "Armenia", "Azerbaijan", "Ukraine"}
# States that took the place of others. Before a successor existed (the start of the
# period of its "name" row), its names, cities and demonyms meant its predecessor: in
# 1987 "Moscow" and "the Kremlin" are the Soviet Union, "Germany" is West Germany.
# Renamed states (Burma, Zaire, Kampuchea) are one state and keep one, current, name.
SOVIET_REPUBLICS = """Russia Ukraine Belarus Moldova Georgia Armenia Azerbaijan Kazakhstan
    Uzbekistan Turkmenistan Tajikistan Kyrgyzstan Estonia Latvia Lithuania"""
PREDECESSORS = {
    **{republic: "Soviet Union" for republic in SOVIET_REPUBLICS.split()},
    "Germany": "West Germany",
    "Croatia": "Yugoslavia",
    "Slovenia": "Yugoslavia",
    "Bosnia and Herzegovina": "Yugoslavia",
    "North Macedonia": "Yugoslavia",
    # The rump Yugoslavia became Serbia and Montenegro in 2003, and split in 2006; Kosovo
    # was a province of Serbia until 2008 (ISO 3166-3: YUCS withdrawn 2003, CSXX 2006).
    "Serbia and Montenegro": "Yugoslavia",
    "Serbia": "Serbia and Montenegro",
    "Montenegro": "Serbia and Montenegro",
    "Kosovo": "Serbia",
    "Czech Republic": "Czechoslovakia",
    "Slovakia": "Czechoslovakia",
    "Eritrea": "Ethiopia",
    "South Sudan": "Sudan",
    "Yemen": "North Yemen",  # the Yemen Arab Republic, "Yemen" in its time
    # Aruba left the Netherlands Antilles in 1986; Curacao and Sint Maarten in 2010.
    "Aruba": "Netherlands Antilles",
    "Curacao": "Netherlands Antilles",
    "Sint Maarten": "Netherlands Antilles",
}


@dataclass(frozen=True)
class Form:
    """One way of writing a country, as the gazetteer lists it."""

    text: str
    canonical: str
    kind: str
    period: str = ""


@dataclass(frozen=True)
class Candidate:
    """A gazetteer form found at word boundaries in a text."""

    start: int
    end: int
    form: Form
    shouted: bool


@cache
def load_gazetteer() -> dict[str, Form]:
    """Every surface form of the gazetteer file; a form listed twice is an error."""
    forms: dict[str, Form] = {}
    data = files("search.entities").joinpath(GAZETTEER).read_text(encoding="utf-8")
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        canonical, kind, surfaces, *rest = line.split("\t")
        for surface in surfaces.split("|"):
            if surface in forms:
                raise ValueError(f"{GAZETTEER} line {number}: {surface!r} is listed twice")
            forms[surface] = Form(surface, canonical, kind, rest[0] if rest else "")
    return forms


@cache
def build_automaton() -> ahocorasick.Automaton:
    """One automaton over every form and the all-caps variants that are safe to match."""
    automaton = ahocorasick.Automaton()
    gazetteer = load_gazetteer()
    for surface, form in gazetteer.items():
        automaton.add_word(surface, (len(surface), form, False))
        shouted = surface.upper()
        if shouted not in gazetteer and _may_be_shouted(form):
            automaton.add_word(shouted, (len(shouted), form, True))
    automaton.make_automaton()
    return automaton


def _may_be_shouted(form: Form) -> bool:
    # Short words in capitals are too often acronyms or English words ("US" = "us").
    # Dateline abbreviations are safe: they count only after "City, " ("COLUMBUS, IND.").
    letters = sum(c.isalpha() for c in form.text)
    return form.kind == "dateline" or (letters >= 4 and form.text not in NEVER_SHOUTED)


def canonical_country(name: str) -> str | None:
    """The canonical country for one surface form ("U.S." -> "United States"), else None."""
    gazetteer = load_gazetteer()
    name = name.strip()
    form = gazetteer.get(name) or gazetteer.get(re.sub(r"^[Tt]he ", "", name))
    if form is None:
        form = _casefolded_gazetteer().get(name.casefold())
    return None if form is None or form.canonical == BLOCKER else form.canonical


def form_kind(surface: str) -> str | None:
    """The gazetteer kind of a matched surface form ("Iranian" -> "demonym"), "combining"
    for a combining form ("Sino"), else None."""
    if surface in COMBINING_FORMS:
        return "combining"
    form = load_gazetteer().get(surface) or _casefolded_gazetteer().get(surface.casefold())
    return None if form is None else form.kind


def state_in(canonical: str, year: int) -> str:
    """The state that a country's names meant in a year: its predecessor before it existed.

    Predecessors chain: in 2005 "Belgrade" is Serbia and Montenegro, in 1987 Yugoslavia.
    """
    predecessor = PREDECESSORS.get(canonical)
    start, _ = state_periods().get(canonical, (None, None))
    if predecessor is None or start is None or year >= start:
        return canonical
    first, last = state_periods().get(predecessor, (None, None))
    if (first is None or first <= year) and (last is None or year <= last):
        return predecessor
    if first is not None and year < first:
        return state_in(predecessor, year)
    return canonical


@cache
def state_periods() -> dict[str, tuple[int | None, int | None]]:
    """The years each state existed, from the periods of the gazetteer's "name" rows."""
    periods = {}
    for form in load_gazetteer().values():
        if form.kind == "name" and form.period:
            first, _, last = form.period.partition("-")
            periods[form.canonical] = (int(first) if first else None, int(last) if last else None)
    return periods


@cache
def _casefolded_gazetteer() -> dict[str, Form]:
    # Lookups (a --country option, a URL) may come in any case; text matching never does.
    return {surface.casefold(): form for surface, form in load_gazetteer().items()}


def country_names() -> list[str]:
    """Every canonical country name, sorted."""
    return sorted({form.canonical for form in load_gazetteer().values()} - {BLOCKER})


def find_countries(
    text: str, field: Literal["title", "dateline", "body"] = "body", year: int | None = None
) -> list[Mention]:
    """Country mentions in text order, non-overlapping, the longest form winning.

    With the article's year, a state that did not exist yet yields to the state that
    was there then ("Moscow" in 1987 is the Soviet Union).
    """
    chosen = _leftmost_longest(_candidates(text))
    mentions = []
    for index, candidate in enumerate(chosen):
        canonical = _resolve(text, candidate, chosen[index - 1] if index else None, chosen)
        if canonical is not None and year is not None:
            canonical = state_in(canonical, year)
        if canonical is not None:
            surface = text[candidate.start : candidate.end]
            mentions.append(
                Mention("country", canonical, surface, field, candidate.start, candidate.end)
            )
    if "-" in text or "–" in text:
        combined = _combining_mentions(text, field, year, {m.start for m in mentions})
        if combined:
            mentions = sorted(mentions + combined, key=lambda m: m.start)
    return mentions


def _combining_mentions(
    text: str, field: Literal["title", "dateline", "body"], year: int | None, starts: set[int]
) -> list[Mention]:
    """ "Sino" of "Sino-Japanese": a combining form right before another country's form."""
    found = []
    for match in COMBINING.finditer(text):
        if match.end() in starts:
            canonical = COMBINING_FORMS[match.group(1)]
            if year is not None:
                canonical = state_in(canonical, year)
            found.append(
                Mention("country", canonical, match.group(1), field, match.start(), match.end(1))
            )
    return found


def _candidates(text: str) -> list[Candidate]:
    found = []
    for last, (length, form, shouted) in build_automaton().iter(text):
        start, end = last + 1 - length, last + 1
        if _at_word_boundaries(text, start, end):
            found.append(Candidate(start, end, form, shouted))
    return found


def _leftmost_longest(candidates: list[Candidate]) -> list[Candidate]:
    # A blocker takes part like any form, so "Latin America" hides "America".
    candidates.sort(key=lambda c: (c.start, c.start - c.end))
    chosen: list[Candidate] = []
    for candidate in candidates:
        if not chosen or candidate.start >= chosen[-1].end:
            chosen.append(candidate)
    return chosen


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        return False  # "Oman" in "Woman", "Mali" in "Somali"
    if end < len(text):
        last, after = text[end - 1], text[end]
        if _is_word_char(last) and _is_word_char(after):
            return False  # "Niger" in "Nigeria", "US" in "USSR"
        if last == "." and after.isalnum():
            return False  # "U.S." at the start of "U.S.S.R."
    return True


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _resolve(
    text: str, candidate: Candidate, previous: Candidate | None, chosen: list[Candidate]
) -> str | None:
    """The country a candidate names in its context, or None when it names none."""
    form, start, end = candidate.form, candidate.start, candidate.end
    if form.canonical == BLOCKER:
        return None
    if form.kind == "dateline":
        return form.canonical if _after_place_comma(text, start) else None
    if form.text == "US" and _is_pronoun_us(text, start, end):
        return None
    if form.kind in CURRENCY_KINDS and CURRENCY_AFTER.match(text, end):
        return None
    if not candidate.shouted and _is_person_name(text, start, end, form.text):
        return None
    if _after_given_name_and_particle(text, start):
        return None
    if form.text == "Georgia" and not candidate.shouted:
        return _resolve_georgia(text, candidate, previous, chosen)
    return form.canonical


def _after_place_comma(text: str, start: int) -> bool:
    """True after "City, " as in the datelines "SANTA CRUZ, Calif." and "Gary, Ind."."""
    return re.search(r"\b[A-Z][\w'.-]*, $", text[max(0, start - 40) : start]) is not None


def _is_pronoun_us(text: str, start: int, end: int) -> bool:
    """True for "US" amid all-caps words ("TELL US WHAT"), where it is most often "us".

    In an all-caps run "US" still counts as the country right after "THE" ("THE US
    ECONOMY") or joined to another word by a hyphen or slash ("US-JAPAN", "EC/US");
    everywhere else all-caps headlines are left to "U.S.", which is unambiguous.
    """
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if re.search(r"\bTHE $", before) or re.match(r"[-/]\w", after) or re.search(r"\w[-/]$", before):
        return False
    neighbours = re.findall(r"[^\W\d_]+", before)[-2:] + re.findall(r"[^\W\d_]+", after)[:2]
    return bool(neighbours) and all(word.isupper() for word in neighbours)


def _is_person_name(text: str, start: int, end: int, form: str) -> bool:
    """True when a country name is a person's name here ("Michael Jordan", "Chad Smith")."""
    if form not in SURNAME_LIKE and form not in GIVEN_NAME_LIKE:
        return False
    if _is_title_case(line_at(text, start)):
        return False  # "Jordan Says It Will..." is a headline, not a person
    before = re.search(r"\b([A-Z][a-z]+)\.? $", text[max(0, start - 30) : start])
    if form in SURNAME_LIKE and before and before.group(1) not in PLACE_LEADING_WORDS:
        return True
    after = re.match(r" ([A-Z][a-z'][\w'-]*)", text[end : end + 30])
    return form in GIVEN_NAME_LIKE and after is not None and after.group(1) != "The"


def _after_given_name_and_particle(text: str, start: int) -> bool:
    """True for a place word that ends a person's name: "Marcelo de Lima"."""
    before = SURNAME_PARTICLE_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and before.group(1) in given_names()


def _is_title_case(line: str) -> bool:
    # Every word capitalised but the small ones titles keep in lower case.
    words = [word for word in re.findall(r"[^\W\d_]+", line) if word not in TITLE_SMALL_WORDS]
    return len(words) >= 3 and all(word[0].isupper() for word in words)


def _resolve_georgia(
    text: str, candidate: Candidate, previous: Candidate | None, chosen: list[Candidate]
) -> str:
    """The US state where the context says so, otherwise the country.

    The state: after "City, " ("Savannah, Georgia", not "Tbilisi, Georgia"); in phrases
    only the state has ("governor of Georgia", "a Georgia Republican"); or in a text that
    names US states or cities and neither the Caucasus nor Georgia's neighbours.
    """
    start, end = candidate.start, candidate.end
    if previous is not None and text[previous.end : start] == ", ":
        return "United States" if previous.form.canonical == "United States" else "Georgia"
    before = text[max(0, start - 30) : start]
    if _after_place_comma(text, start) or US_STATE_BEFORE.search(before):
        return "United States"
    if US_STATE_AFTER.match(text, end):
        return "United States"
    canonicals = {other.form.canonical for other in chosen if other.form.text != "Georgia"}
    american = any(
        other.form.canonical == "United States" and other.form.kind in PLACE_KINDS
        for other in chosen
    )
    return "United States" if american and not canonicals & GEORGIA_NEIGHBOURS else "Georgia"
