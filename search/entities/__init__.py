"""Entity extraction: actors, countries and organisations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from search.entities.countries import find_countries
from search.entities.ner import NameFinder
from search.models import Entities, Mention

# Part of every article's content hash: bump it when extraction changes, and the
# next `index` run re-extracts every article instead of reporting it unchanged.
EXTRACTOR_VERSION = "4"

# Seats of power that are organisations in their own right as well as a country's
# metonym: "the Kremlin said" counts for Russia and for the Kremlin.
INSTITUTIONS = {"Kremlin", "White House", "Pentagon", "Downing Street", "Elysee", "Élysée"}

_finder: NameFinder | None = None


def extract_entities(articles: Sequence[tuple[str, str]]) -> list[Entities]:
    """The entities of each (title, body) pair, in order."""
    global _finder
    if _finder is None:
        _finder = NameFinder()
    found = []
    for (title, body), names in zip(articles, _finder.find_names(articles), strict=True):
        countries = find_countries(title, "title") + find_countries(body, "body")
        found.append(combine_mentions(countries, names))
    return found


def combine_mentions(countries: list[Mention], names: list[Mention]) -> Entities:
    """Merge country and name mentions; a name that is really a country place yields to it."""
    places = {(m.field, m.start, m.end) for m in countries}
    kept = [m for m in names if not _is_country_span(m, countries, places)]
    mentions = sorted(countries + kept, key=lambda m: (m.field != "title", m.start))
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
