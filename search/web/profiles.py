"""Contexts of the entity pages and of the 'all values of one facet' page."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from search.models import EntityProfile, FacetValue, SearchPage
from search.web.arguments import SearchLinks, entity_url, link
from search.web.context import FACET_LABELS, FILTER_LABELS, KIND_LABELS, facet_row, hit_context
from search.web.histogram import CHART_HEIGHT, CHART_WIDTH, layout

MONTH = re.compile(r"\d{4}-\d{2}")
FACET_PAGE_LIMIT = 500  # values listed at once on a facet's page; the filter box narrows them


def entity_context(profile: EntityProfile) -> dict[str, Any]:
    """An entity page: counts, first and last dates, timeline, related entities, latest hits."""
    articles = link(MultiDict(), add=((profile.kind, profile.name),))
    return {
        "profile": profile,
        "kind_label": KIND_LABELS[profile.kind],
        "search_url": articles,
        "timeline": timeline(profile),
        "related": [
            {
                "label": FACET_LABELS[kind],
                "rows": [
                    {
                        "value": row.value,
                        "together": row.together,
                        "lift": row.lift,
                        "url": entity_url(kind, row.value),
                        "both_url": link(
                            MultiDict(), add=((profile.kind, profile.name), (kind, row.value))
                        ),
                    }
                    for row in rows
                ],
            }
            for kind, rows in profile.related.items()
        ],
        "hits": [hit_context(hit) for hit in profile.latest],
    }


def timeline(profile: EntityProfile) -> dict[str, Any]:
    """Articles per month from the first month to the last, as chart bars."""
    counts = {v.value: v.count for v in profile.months if MONTH.fullmatch(v.value)}
    if not counts:
        return {"bars": [], "width": CHART_WIDTH, "height": CHART_HEIGHT}
    bars = []
    for period in month_range(min(counts), max(counts)):
        url = link(
            MultiDict(),
            add=((profile.kind, profile.name), ("since", period), ("until", period)),
        )
        bars.append({"period": period, "label": period, "count": counts.get(period, 0)})
        bars[-1]["url"] = url if counts.get(period) else None
    return {"bars": layout(bars), "width": CHART_WIDTH, "height": CHART_HEIGHT}


def month_range(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year}-{month:02d}" <= last:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def facet_page_context(kind: str, page: SearchPage, args: MultiDict) -> dict[str, Any]:
    """Every value of one facet for the current search, narrowed by the `contains` box."""
    contains = args.get("contains", "").strip()
    values: list[FacetValue] = page.facets[kind]
    if contains:
        values = [v for v in values if contains.casefold() in v.value.casefold()]
    search_args = MultiDict([(k, v) for k, v in args.items(multi=True) if k != "contains"])
    links = SearchLinks(search_args)
    return {
        "kind": kind,
        "label": FILTER_LABELS[kind],
        "contains": contains,
        "total_values": len(values),
        "rows": [facet_row(kind, value, search_args, links) for value in values[:FACET_PAGE_LIMIT]],
        "limit": FACET_PAGE_LIMIT,
        "hidden": [(k, v) for k, v in search_args.items(multi=True) if k != "page"],
        "back_url": link(search_args),
        "matches": page.total,
        "q": args.get("q", ""),
    }
