"""Countries: a gazetteer of names, demonyms, capitals and seats of government, matched at once."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Literal

import ahocorasick

from search.entities.shouting import is_shouting, line_at
from search.models import Mention

BLOCKED = "-"
# Two-letter codes that are also English words in all-caps text ("TELL US WHAT…").
SHOUTED_AMBIGUOUS = {"US", "UK"}
# Names that are also people's or things' names: rejected next to another capitalised word.
NAME_LIKE = {"Washington", "Jordan", "Chad", "Israel", "Kenya", "Victoria", "Sydney", "Paris",
             "Lima", "Santiago", "Wellington", "Turkey", "Georgia", "Jamaica", "Kent"}  # fmt: skip
SENTENCE_WORDS = {"The", "In", "On", "At", "For", "From", "To", "By", "And", "But", "Of",
                  "With", "Said", "Both", "Neither", "When", "While", "Like", "Unlike"}  # fmt: skip
# US dateline abbreviations ("SANTA CRUZ, Calif., March 3 -"): only after a comma.
STATE_ABBREVIATIONS = {
    "Ala.",
    "Ariz.",
    "Ark.",
    "Calif.",
    "Colo.",
    "Conn.",
    "Del.",
    "Fla.",
    "Ga.",
    "Ill.",
    "Ind.",
    "Kan.",
    "Ky.",
    "Md.",
    "Mass.",
    "Mich.",
    "Minn.",
    "Mo.",
    "Mont.",
    "Neb.",
    "Nev.",
    "N.H.",
    "N.J.",
    "N.M.",
    "N.Y.",
    "N.C.",
    "N.D.",
    "Okla.",
    "Ore.",
    "Pa.",
    "R.I.",
    "S.C.",
    "S.D.",
    "Tenn.",
    "Tex.",
    "Vt.",
    "Va.",
    "Wash.",
    "W.Va.",
    "Wis.",
    "Wyo.",
}
WORD_CHAR = re.compile(r"\w")


@cache
def gazetteer() -> dict[str, str]:
    """Every surface form and its canonical country ('-' for blocked forms)."""
    forms: dict[str, str] = {}
    text = files("search.entities").joinpath("data/gazetteer.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, surfaces = line.split("\t")
        for surface in surfaces.split("|"):
            forms[surface] = canonical
    return forms


@cache
def automaton() -> ahocorasick.Automaton:
    """One Aho-Corasick automaton over every form, its all-caps variant and the abbreviations."""
    machine = ahocorasick.Automaton()
    for surface, canonical in gazetteer().items():
        machine.add_word(surface, (surface, canonical))
        shouted = surface.upper()
        if shouted != surface and sum(c.isalpha() for c in surface) >= 4:
            machine.add_word(shouted, (surface, canonical))
    for abbreviation in STATE_ABBREVIATIONS:
        machine.add_word(abbreviation, (abbreviation, "United States"))
    machine.make_automaton()
    return machine


def canonical_country(name: str) -> str | None:
    """The canonical country for one surface form, or None."""
    canonical = gazetteer().get(name) or gazetteer().get(name.title())
    return None if canonical in (None, BLOCKED) else canonical


def country_names() -> list[str]:
    """Every canonical country name."""
    return sorted(set(gazetteer().values()) - {BLOCKED})


def find_countries(text: str, field: Literal["title", "body"] = "body") -> list[Mention]:
    """Country mentions in text order; the longest form wins and blocked forms match nothing."""
    candidates = []
    for end_index, (form, canonical) in automaton().iter(text):
        start, end = end_index + 1 - len(form), end_index + 1
        if _at_word_boundaries(text, start, end):
            candidates.append((start, end, form, canonical))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    mentions, taken_until = [], -1
    for start, end, form, canonical in candidates:
        if start < taken_until:
            continue
        taken_until = end
        if canonical != BLOCKED and _plausible(text, start, end, form):
            mentions.append(Mention("country", canonical, text[start:end], field, start, end))
    return mentions


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if WORD_CHAR.match(before) or WORD_CHAR.match(after):
        return False
    # "U.S." must not be the start of "U.S.S.R."; "Calif." must end its word.
    return not (text[end - 1] == "." and after.isalpha())


def _plausible(text: str, start: int, end: int, form: str) -> bool:
    """Context rules for the forms that are also words, names or abbreviations."""
    surface = text[start:end]
    if form in STATE_ABBREVIATIONS:
        return text[max(0, start - 2) : start] == ", "
    if surface in SHOUTED_AMBIGUOUS and is_shouting(line_at(text, start), min_letters=9):
        return False
    if form in NAME_LIKE and surface == form:
        return not (_capitalised_word_before(text, start) or _capitalised_word_after(text, end))
    return True


def _capitalised_word_before(text: str, start: int) -> bool:
    match = re.search(r"([A-Z][a-z]+) $", text[max(0, start - 30) : start])
    return match is not None and match.group(1) not in SENTENCE_WORDS


def _capitalised_word_after(text: str, end: int) -> bool:
    return bool(re.match(r" [A-Z][a-z]+", text[end : end + 30]))
