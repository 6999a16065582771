"""Entity extraction: actors, countries and organisations."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from search.entities.countries import find_countries
from search.entities.ner import NameFinder
from search.models import Entities, Mention, ParsedDate

# Part of every article's content hash and of the extraction cache's keys: bump it when
# extraction changes, and the next `index` run re-extracts every article.
EXTRACTOR_VERSION = "6"

# Seats of power that are organisations in their own right as well as a country's
# metonym: "the Kremlin said" counts for Russia and for the Kremlin.
INSTITUTIONS = {"Kremlin", "White House", "Pentagon", "Downing Street", "Elysee", "Élysée"}

# Salience: how much a country's mentions say that the article is about it. The editors
# of Reuters-21578 labelled the countries a story is about, not every country it names
# in passing, and a user filtering by a country wants the same. A country is in the
# article's country facet when its score reaches SALIENT; every mention of every country
# stays in the article's mentions (and its text stays searchable).
HEADLINE_SCORE = 3  # named in the headline
DATELINE_SCORE = 3  # the dateline's place ("TOKYO, March 3")
LEAD_SCORE = 2  # named in the first sentence of the story
MENTION_SCORE = 1  # each further mention in the body
SALIENT = 2
LEAD_END = re.compile(r"(?<![A-Z])[.!?](?=\s+[A-Z\"“])|\n\s*\n")
LEAD_MAX = 400


class ArticleText(NamedTuple):
    """What extraction reads of an article: its text, dateline and year."""

    title: str
    body: str
    dateline: str = ""
    year: int | None = None


def extraction_input(
    title: str, body: str, dateline: str | None, date: ParsedDate | None
) -> ArticleText:
    """The ArticleText of an article's fields and parsed date."""
    year = date.value.year if date is not None and date.value is not None else None
    return ArticleText(title, body, dateline or "", year)


_finder: NameFinder | None = None


def extract_entities(articles: Sequence[ArticleText]) -> list[Entities]:
    """The entities of each article, in order."""
    global _finder
    if _finder is None:
        _finder = NameFinder()
    found = []
    pairs = [(a.title, a.body) for a in articles]
    for article, names in zip(articles, _finder.find_names(pairs), strict=True):
        countries = (
            find_countries(article.title, "title", article.year)
            + find_countries(article.dateline, "dateline", article.year)
            + find_countries(article.body, "body", article.year)
        )
        entities = combine_mentions(countries, names)
        entities.countries = salient_countries(countries, lead_end(article.body))
        found.append(entities)
    return found


def lead_end(body: str) -> int:
    """Where the story's lead (its first sentence) ends."""
    match = LEAD_END.search(body, 0, LEAD_MAX)
    return match.end() if match else min(len(body), LEAD_MAX)


def salience(countries: list[Mention], lead: int) -> dict[str, int]:
    """Each country's salience score; see the constants above."""
    score: dict[str, int] = defaultdict(int)
    places: dict[str, set[str]] = defaultdict(set)
    for mention in countries:
        if mention.field == "body":
            score[mention.canonical] += MENTION_SCORE
            if mention.start < lead:
                places[mention.canonical].add("lead")
        else:
            places[mention.canonical].add(mention.field)
    bonus = {"title": HEADLINE_SCORE, "dateline": DATELINE_SCORE, "lead": LEAD_SCORE}
    for country, where in places.items():
        score[country] += sum(bonus[place] for place in where)
    return dict(score)


def salient_countries(countries: list[Mention], lead: int) -> list[str]:
    """The countries the article is about, most salient first."""
    scores = salience(countries, lead)
    ranked = sorted(scores, key=lambda c: -scores[c])  # stable: ties keep text order
    return [country for country in ranked if scores[country] >= SALIENT]


def combine_mentions(countries: list[Mention], names: list[Mention]) -> Entities:
    """Merge country and name mentions; a name that is really a country place yields to it."""
    places = {(m.field, m.start, m.end) for m in countries}
    kept = [m for m in names if not _is_country_span(m, countries, places)]
    order = {"title": 0, "dateline": 1, "body": 2}
    mentions = sorted(countries + kept, key=lambda m: (order[m.field], m.start))
    return Entities(
        actors=_ranked(mentions, "actor"),
        countries=_ranked(mentions, "country"),
        orgs=_ranked(mentions, "org"),
        mentions=mentions,
    )


def _is_country_span(name: Mention, countries: list[Mention], places: set[tuple]) -> bool:
    if name.kind == "org" and name.canonical in INSTITUTIONS:
        return False
    if (name.field, name.start, name.end) in places:
        return True
    return name.kind == "actor" and any(
        c.field == name.field and c.start < name.end and name.start < c.end for c in countries
    )


def _ranked(mentions: list[Mention], kind: str) -> list[str]:
    # Most-mentioned first; ties keep the order of first appearance.
    counts = Counter(m.canonical for m in mentions if m.kind == kind)
    return sorted(counts, key=lambda value: -counts[value])
