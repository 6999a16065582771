"""Results lists of sports news, which the model reads badly: "Porto Vale 2 Riverside
Athletic 1" names two teams (organisations), "Mira Castell (Spain) beat Ilse Brandt
(Germany) 6-3 6-4" two players (people). Only lines of exactly these shapes are read, so
no other table row brings its cells back as names."""

from __future__ import annotations

import re

from search.entities.countries import load_gazetteer
from search.entities.spans import Field, Span

CELL = r"[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|de|da|do|dos|del|of|la|le))*"
# "Porto Vale 2 Riverside Athletic 1", "Porto Vale 2-1 Riverside Athletic".
SCORE_ROW = re.compile(
    rf"^[ \t]*(?P<a>{CELL})[ \t]+\d{{1,3}}[ \t]+(?P<b>{CELL})[ \t]+\d{{1,3}}[ \t]*$"
    rf"|^[ \t]*(?P<c>{CELL})[ \t]+\d{{1,3}}[ \t]*[-–][ \t]*\d{{1,3}}[ \t]+(?P<d>{CELL})[ \t]*$",
    re.MULTILINE,
)
# "Mira Castell (Spain)" on a line that holds a set or match score ("6-3").
ENTRANT = re.compile(rf"(?P<name>{CELL})[ \t]+\((?P<country>[A-Z][\w .'’-]{{1,30}})\)")
MATCH_SCORE = re.compile(r"\b\d{1,2}-\d{1,2}\b")


def result_spans(body: str) -> tuple[list[Span], list[Span]]:
    """The teams (organisations) of score rows and the players (people) of results lines."""
    gazetteer = load_gazetteer()
    teams = [
        _span("org", body, match, group)
        for match in SCORE_ROW.finditer(body)
        for group in "abcd"
        if match.group(group) and match.group(group) not in gazetteer  # "Kenya 2 Uganda 0"
    ]
    players = []
    for line in re.finditer(r"[^\n]+", body):
        if not MATCH_SCORE.search(line.group()):
            continue
        for match in ENTRANT.finditer(body, line.start(), line.end()):
            words = match.group("name").split()
            if len(words) >= 2 and match.group("country") in gazetteer:
                players.append(_span("actor", body, match, "name"))
    return teams, players


def _span(kind: str, text: str, match: re.Match[str], group: str) -> Span:
    field: Field = "body"
    return Span(kind, match.group(group), field, match.start(group), match.end(group))  # type: ignore[arg-type]


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
