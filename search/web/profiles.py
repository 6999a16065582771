"""Contexts of the entity pages and of the 'all values of one facet' page."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from werkzeug.datastructures import MultiDict

from search.models import EntityProfile, FacetValue, SearchPage
from search.web.arguments import SearchLinks, entity_url, link
from search.web.context import FACET_LABELS, FILTER_LABELS, click_total, facet_row, hit_context
from search.web.histogram import chart, month_label
from search.web.labels import KIND_LABELS

MONTH = re.compile(r"\d{4}-\d{2}")
MAX_MONTHS = 36  # longer timelines show years: a bar per month would scroll too far
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
    """Articles per month from the first month to the last (per year past MAX_MONTHS)."""
    counts = {v.value: v.count for v in profile.months if MONTH.fullmatch(v.value)}
    if not counts:
        return {"level": "month", **chart([])}
    periods = month_range(min(counts), max(counts))
    level = "month"
    if len(periods) > MAX_MONTHS:
        level, by_year = "year", defaultdict[str, int](int)
        for period, count in counts.items():
            by_year[period[:4]] += count
        counts = dict(by_year)
        periods = [str(year) for year in range(int(min(counts)), int(max(counts)) + 1)]
    bars = []
    for period in periods:
        label = month_label(period) if level == "month" else period
        bars.append({"period": period, "label": label, "count": counts.get(period, 0)})
        filters = ((profile.kind, profile.name), ("since", period), ("until", period))
        bars[-1]["url"] = link(MultiDict(), add=filters) if counts.get(period) else None
    return {"level": level, **chart(bars)}


def with_article(noun: str) -> str:
    """'a person', 'an organisation'."""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def month_range(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year}-{month:02d}" <= last:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def facet_page_context(
    kind: str,
    page: SearchPage,
    args: MultiDict,
    limit: int = FACET_PAGE_LIMIT,
    loosened: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Every value of one facet for the current search, narrowed by the `contains` box.

    `loosened`, in "any" mode, holds the counts without the facet's own filter.
    """
    contains = args.get("contains", "").strip()
    values: list[FacetValue] = page.facets[kind]
    if contains:
        values = [v for v in values if contains.casefold() in v.value.casefold()]
    search_args = MultiDict([(k, v) for k, v in args.items(multi=True) if k != "contains"])
    links = SearchLinks(search_args)
    return {
        "kind": kind,
        "label": FILTER_LABELS[kind],
        "find_label": f"Find {with_article(KIND_LABELS[kind].lower())}",
        "contains": contains,
        "total_values": len(values),
        "rows": [
            facet_row(kind, value, search_args, links, click_total(page, kind, value, loosened))
            for value in values[:limit]
        ],
        "adds": loosened is not None,
        "limit": limit,
        "hidden": [(k, v) for k, v in search_args.items(multi=True) if k != "page"],
        "back_url": link(search_args),
        "matches": page.total,
        "missing_shards": page.missing_shards,
        "q": args.get("q", ""),
    }
