"""Which of the countries an article names it is about: the country facet's salience rules.

The editors of Reuters-21578 and of Wikinews labelled the countries a story is about, not
every country it names in passing, and a user filtering by a country wants the same. Every
mention of every country stays in the article's mentions (highlighted and searchable);
only the salient ones become facet values.
"""

from __future__ import annotations

import re
from collections import defaultdict

from search.entities.countries import form_kind, state_periods
from search.models import Mention

# Where a country is named. The headline and the dateline say what the story is about,
# and either alone makes a country salient.
HEADLINE_SCORE = 3  # named in the headline
DATELINE_SCORE = 3  # the dateline's place ("TOKYO, March 3")
LEAD_SCORE = 2  # named in the first sentence of the story
# How a country is named in the body. "Iranian officials" and "a Japanese carmaker" describe
# people and things, not where the story is; a place inside an organisation's name
# ("Toronto Maple Leafs", "Bank of Japan") is part of that name. Both count half a mention.
MENTION_SCORE = 1.0
DEMONYM_SCORE = 0.5  # also a combining form ("Sino" of "Sino-Japanese"), anywhere
INSIDE_NAME_SCORE = 0.5
SALIENT = 2
# Without the headline or the dateline, a country must also hold its own against the
# article's most salient one (half its score): a long story names many countries in
# passing, and one point per mention would make each of them salient. Relative, so that
# it scales with the story; but a country named four times is a subject however long
# the story is.
RELATIVE = 0.5
ENOUGH = 4.0
# A state that had ceased to exist by the article's date (the Soviet Union in a 2009
# story) is history the story recalls, rarely where it happens: its score counts half.
# In its own time (a 1987 story) it counts in full.
HISTORIC_WEIGHT = 0.5
# When three countries or more share the top score, none of them stands out: a list of
# countries ("talks between France, Germany and Italy"), or a long story naming each
# once. Each then needs ENOUGH to be salient without the headline or the dateline.
CROWDED_TOP = 3
LEAD_END = re.compile(r"(?<![A-Z])[.!?](?=\s+[A-Z\"“])|\n\s*\n")
LEAD_MAX = 400


def lead_end(body: str) -> int:
    """Where the story's lead (its first sentence) ends."""
    match = LEAD_END.search(body, 0, LEAD_MAX)
    return match.end() if match else min(len(body), LEAD_MAX)


def salience(
    countries: list[Mention], lead: int, names: list[Mention] | None = None, year: int | None = None
) -> dict[str, float]:
    """Each country's salience score; see the constants above. With the article's year,
    states gone by then count HISTORIC_WEIGHT; without it, states gone today do."""
    inside = _inside_names(countries, names or [])
    score: dict[str, float] = defaultdict(float)
    places: dict[str, set[str]] = defaultdict(set)
    for index, mention in enumerate(countries):
        if form_kind(mention.surface) == "combining":
            score[mention.canonical] += DEMONYM_SCORE  # anywhere, and never a place alone
        elif mention.field == "body":
            score[mention.canonical] += _body_score(mention, index in inside)
            if mention.start < lead and _names_the_country(mention, index in inside):
                places[mention.canonical].add("lead")
        else:
            places[mention.canonical].add(mention.field)
    bonus = {"title": HEADLINE_SCORE, "dateline": DATELINE_SCORE, "lead": LEAD_SCORE}
    for country, where in places.items():
        score[country] += sum(bonus[place] for place in where)
    for country in score:
        if is_historic(country, year):
            score[country] *= HISTORIC_WEIGHT
    return dict(score)


def is_historic(country: str, year: int | None) -> bool:
    """Whether a state had ceased to exist by the year (by today, without a year)."""
    _, last = state_periods().get(country, (None, None))
    return last is not None and (year is None or last < year)


def _body_score(mention: Mention, inside_name: bool) -> float:
    if inside_name:
        return INSIDE_NAME_SCORE
    return DEMONYM_SCORE if form_kind(mention.surface) == "demonym" else MENTION_SCORE


def _names_the_country(mention: Mention, inside_name: bool) -> bool:
    # "Bank of Japan" in the lead names Japan; "Toronto Maple Leafs" and "American
    # Express" name a team and a company.
    return not inside_name or form_kind(mention.surface) == "name"


def _inside_names(countries: list[Mention], names: list[Mention]) -> set[int]:
    """The indexes of country mentions that lie inside an organisation's name."""
    spans = [(n.field, n.start, n.end) for n in names if n.kind == "org"]
    return {
        index
        for index, c in enumerate(countries)
        if any(f == c.field and s <= c.start and c.end <= e and (s, e) != (c.start, c.end)
               for f, s, e in spans)
    }  # fmt: skip


def salient_countries(
    countries: list[Mention], lead: int, names: list[Mention] | None = None, year: int | None = None
) -> list[str]:
    """The countries the article is about, most salient first.

    Salient: named in the headline or the dateline; or scoring SALIENT and at least
    RELATIVE of the top score or ENOUGH. The top country is salient with one plain mention, so that
    a story naming one country once is still found under it, and the one country a story
    names is salient however weakly it is named ("an American publisher"), unless only inside
    an organisation's name; when CROWDED_TOP countries or more share the top, they need ENOUGH.
    """
    scores = salience(countries, lead, names, year)
    if not scores:
        return []
    top = max(scores.values())
    crowded = sum(score == top for score in scores.values()) >= CROWDED_TOP
    # The one country a story names, however weakly, but not only inside an organisation's
    # name: a story about the "Toronto Maple Leafs" or "American Express" is not Canada's
    # or America's for that.
    inside = _inside_names(countries, names or [])
    outside = {m.canonical for index, m in enumerate(countries) if index not in inside}
    alone = len(scores) == 1 and bool(outside)
    named = {m.canonical for m in countries if form_kind(m.surface) != "combining"}
    headline = {m.canonical for m in countries if m.field in ("title", "dateline")}

    def is_salient(country: str) -> bool:
        if country not in named:
            return False  # "Sino-Japanese" alone does not make a story about China
        score = scores[country]
        if score == top and (alone or top >= (ENOUGH if crowded else MENTION_SCORE)):
            return True
        return score >= SALIENT and (country in headline or score >= min(RELATIVE * top, ENOUGH))

    ranked = sorted(scores, key=lambda c: -scores[c])  # stable: ties keep text order
    return [country for country in ranked if is_salient(country)]
