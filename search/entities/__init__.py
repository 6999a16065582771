"""Entity extraction: actors, countries and organisations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from search.entities.countries import find_countries
from search.entities.ner import NameFinder
from search.entities.salience import lead_end, salient_countries
from search.models import Entities, Mention, ParsedDate

# Part of every article's content hash and of the extraction cache's keys: bump it when
# extraction changes, and the next `index` run re-extracts every article.
# 8: organisations introduced as such ("company Petrobras"); 9: articles not in English keep
# no entities, and datelines and bylines left the body; 10: results lists read whole (scorers in
# brackets, standings, ranked entrants), all-caps lines end a name; names with no given name
# that no article shows as a person's are unconfirmed, particles, post-nominals, regnal numbers;
# 12: country facet: states gone by the article's year count half, a crowded top needs more,
# combining forms ("Sino-") are weak mentions, "de Lima" after a given name is a name;
# 13: a one-word organisation seen only at sentence starts is unconfirmed, not dropped: the
# archive keeps it where another article names it mid-sentence.
EXTRACTOR_VERSION = "13"

# Seats of power that are organisations in their own right as well as a country's
# metonym: "the Kremlin said" counts for Russia and for the Kremlin.
INSTITUTIONS = {"Kremlin", "White House", "Pentagon", "Downing Street", "Elysee", "Élysée"}


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
        entities.countries = salient_countries(
            countries, lead_end(article.body), names, article.year
        )
        found.append(entities)
    return found


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
