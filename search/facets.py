"""Facet counting: which actors, countries, organisations and months the matching articles have."""

from __future__ import annotations

from typing import Any

from whoosh import query as whoosh_query
from whoosh import sorting

from search.models import ENTITY_KINDS, FacetValue, SearchRequest
from search.schema import FACET_FIELDS

UNDATED = "undated"


def facet_spec() -> dict[str, sorting.FacetType]:
    """The facets counted for every search, keyed by their public name."""
    return {
        name: sorting.FieldFacet(field, allow_overlap=name != "date", maptype=sorting.Count)
        for name, field in FACET_FIELDS.items()
    }


def collect_facets(results: Any, facet_size: int) -> dict[str, list[FacetValue]]:
    """Turn Whoosh's grouped counts into ranked facet values for each facet."""
    facets = {}
    for name in FACET_FIELDS:
        counts = {
            value: count for value, count in results.groups(name).items() if value not in (None, "")
        }
        facets[name] = rank_dates(counts) if name == "date" else rank_values(counts, facet_size)
    return facets


def rank_values(counts: dict[str, int], limit: int) -> list[FacetValue]:
    """The most frequent values first, ties alphabetically; at most `limit` of them."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in ranked[:limit]]


def rank_dates(counts: dict[str, int]) -> list[FacetValue]:
    """Months (or years, for year-only dates) in time order, undated last."""
    dated = sorted(value for value in counts if value != UNDATED)
    values = [FacetValue(value, counts[value]) for value in dated]
    if UNDATED in counts:
        values.append(FacetValue(UNDATED, counts[UNDATED]))
    return values


def entity_filter(request: SearchRequest) -> whoosh_query.Query | None:
    """Selected facet values as a filter: every selected value must be present."""
    terms = [
        whoosh_query.Term(FACET_FIELDS[kind], value)
        for kind in ENTITY_KINDS
        for value in request.included(kind)
    ]
    return whoosh_query.And(terms) if terms else None


def entity_mask(request: SearchRequest) -> whoosh_query.Query | None:
    """Excluded facet values as a mask: an article with any of them is left out."""
    terms = [
        whoosh_query.Term(FACET_FIELDS[kind], value)
        for kind in ENTITY_KINDS
        for value in request.excluded(kind)
    ]
    return whoosh_query.Or(terms) if terms else None
