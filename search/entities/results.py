"""Results lists of sports news, which the model reads badly or never sees (table rows and
all-caps lines are kept from it): "Porto Vale 2 Riverside Athletic 1" names two teams
(organisations), "Mira Castell (Spain) beat Ilse Brandt (Germany) 6-3 6-4" two players
(people). Only lines of exactly these shapes are read, so no other table row brings its
cells back as names:

- score rows, also with scorers or a half-time score in brackets ("Porto Vale 2 (Dias
  12) Riverside Athletic 1");
- standings rows ("1. Porto Vale 10 7 2 1 20 8 23"), in an article that has score rows;
- entrants with their country in brackets, on a line with a match score ("6-3") or
  opening a ranked line ("1. Dawit Alemu (Ethiopia) 19.95", "135 Tomas Lindqvist
  (Sweden) 67 68").
"""

from __future__ import annotations

import re

from search.entities.countries import canonical_country
from search.entities.shouting import case_forms, is_shouting
from search.entities.spans import Field, Span

CELL = r"[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|de|da|do|dos|del|of|la|le))*"
# "Porto Vale 2 Riverside Athletic 1", "Porto Vale 2-1 Riverside Athletic".
SCORE_ROW = re.compile(
    rf"^[ \t]*(?P<a>{CELL})[ \t]+\d{{1,3}}[ \t]+(?P<b>{CELL})[ \t]+\d{{1,3}}[ \t]*$"
    rf"|^[ \t]*(?P<c>{CELL})[ \t]+\d{{1,3}}[ \t]*[-–][ \t]*\d{{1,3}}[ \t]+(?P<d>{CELL})[ \t]*$",
    re.MULTILINE,
)
# A rank before a row: "1.", "12)", "=3", or a golfer's total "135".
RANK = r"(?:=?\d{1,3}[.)]?[ \t]+)"
# "1. Porto Vale 10 7 2 1 20 8 23": a name, then three numbers or more and nothing else.
STANDING_ROW = re.compile(
    rf"^[ \t]*{RANK}?(?P<a>{CELL})(?:[ \t]+\d{{1,3}}){{3,}}[ \t]*$", re.MULTILINE
)
# Brackets on a results line: scorers, half-time scores, "(aet)". Blanked before score rows
# are matched, so that offsets hold.
BRACKETS = re.compile(r"\([^()\n]{0,120}\)")
# "Mira Castell (Spain)" on a line that holds a set or match score ("6-3").
COUNTRY_AFTER = r"[ \t]+\((?P<country>[A-Z][\w .'’-]{1,30})\)"  # "Name (Kenya)"
ENTRANT = re.compile(rf"(?P<name>{CELL}){COUNTRY_AFTER}")
RANKED_ENTRANT = re.compile(
    rf"^[ \t]*{RANK}(?P<name>{CELL}){COUNTRY_AFTER}[ \t]+\d",
    re.MULTILINE,
)
MATCH_SCORE = re.compile(r"\b\d{1,2}-\d{1,2}\b")


def result_spans(body: str) -> tuple[list[Span], list[Span]]:
    """The teams (organisations) of score and standings rows and the players (people) of
    results lines, each under the article's own spelling of its name."""
    blanked = BRACKETS.sub(lambda match: " " * len(match.group()), body)
    rows = list(SCORE_ROW.finditer(blanked))
    cells = [(match, group) for match in rows for group in "abcd" if match.group(group)]
    if rows:
        cells += [(match, "a") for match in STANDING_ROW.finditer(blanked)]
    teams = [_span("org", body, match, group) for match, group in cells if _is_team(match, group)]
    players = []
    for line in re.finditer(r"[^\n]+", body):
        if MATCH_SCORE.search(line.group()):
            entrants = list(ENTRANT.finditer(body, line.start(), line.end()))
        else:
            entrants = list(RANKED_ENTRANT.finditer(body, line.start(), line.end()))
        players += [
            _span("actor", body, match, "name")
            for match in entrants
            if len(match.group("name").split()) >= 2 and canonical_country(match.group("country"))
        ]
    if any(is_shouting(span.text) for span in teams + players):
        forms = case_forms(body)
        teams, players = _in_case(teams, forms), _in_case(players, forms)
    return teams, players


def entered_with_country(name: str, body: str) -> bool:
    """Whether a results list enters the name with its country ("Name (Kenya) 19.95"):
    only people are entered so, and their given names are often in no list."""
    pattern = re.compile(rf"{re.escape(name)}{COUNTRY_AFTER}")
    return any(canonical_country(match.group("country")) for match in pattern.finditer(body))


def _is_team(match: re.Match[str], group: str) -> bool:
    return canonical_country(match.group(group)) is None  # "Kenya 2 Uganda 0": countries


def _span(kind: str, text: str, match: re.Match[str], group: str) -> Span:
    field: Field = "body"
    return Span(kind, match.group(group), field, match.start(group), match.end(group))  # type: ignore[arg-type]


def _in_case(spans: list[Span], forms: dict[str, str]) -> list[Span]:
    """All-caps names ("TORONTO MAPLE LEAFS", home teams in some lists) as the article's
    prose writes their words, else capitalised; words of one or two letters ("FC", "AC")
    are initials and stay as they are."""
    return [
        Span(s.kind, _cased(s.text, forms), s.field, s.start, s.end) if is_shouting(s.text) else s
        for s in spans
    ]


def _cased(name: str, forms: dict[str, str]) -> str:
    def cased(word: str) -> str:
        form = forms.get(word.lower(), word)
        if not form.isupper():
            return form  # the prose's "Maple Leafs"; a mixed-case line gives "TORONTO" too
        return word if len(word) <= 2 else word[:1] + word[1:].lower()

    return " ".join(cased(word) for word in name.split(" "))


def with_results(spans: list[Span], body: str) -> list[Span]:
    """The model's spans with the results lists' teams and players added, and the kind of
    every span of the same name set by what the lists say it is."""
    teams, players = result_spans(body)
    if not teams and not players:
        return spans
    kinds = {span.text: span.kind for span in teams + players}
    fixed = [
        Span(kinds[s.text], s.text, s.field, s.start, s.end) if s.text in kinds else s
        for s in spans
    ]
    return fixed + teams + players
