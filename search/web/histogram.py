"""The date histogram: bars per year, month or day, each a link that narrows since/until."""

from __future__ import annotations

import calendar
from collections import defaultdict
from typing import Any

from werkzeug.datastructures import MultiDict

from search.facets import UNDATED
from search.models import FacetValue, SearchPage
from search.web.arguments import link

CHART_WIDTH = 260
CHART_HEIGHT = 72
BAR_GAP = 1
MIN_SLOTS = 12
MAX_FILLED_YEARS = 80  # longer spans show only the years that have articles


def histogram_context(page: SearchPage, args: MultiDict) -> dict[str, Any]:
    """The bars at the level the date range calls for, with a link up one level."""
    months = [v for v in page.facets["date"] if v.value != UNDATED]
    undated = sum(v.count for v in page.facets["date"] if v.value == UNDATED)
    since, until = page.request.since, page.request.until
    if page.days and since is not None:
        level, bars = "day", day_bars(since.year, since.month, page.days)
        up = _period_link(args, f"{since.year}")
    elif since is not None and until is not None and since.year == until.year:
        level, bars = "month", month_bars(since.year, months)
        up = link(args, drop=("since", "until"))
    else:
        level, bars, up = "year", year_bars(months), None
    for bar in bars:
        bar["url"] = _period_link(args, bar["period"]) if bar["count"] else None
    return {
        "level": level,
        "bars": layout(bars),
        "up_url": up,
        "undated": undated,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "unplaced": sum(v.count for v in months if level == "month" and len(v.value) == 4),
    }


def year_bars(months: list[FacetValue]) -> list[dict[str, Any]]:
    """One bar per year from the first to the last year with articles."""
    counts: dict[int, int] = defaultdict(int)
    for value in months:
        counts[int(value.value[:4])] += value.count
    if not counts:
        return []
    first, last = min(counts), max(counts)
    years = range(first, last + 1) if last - first < MAX_FILLED_YEARS else sorted(counts)
    return [_bar(str(year), str(year), counts.get(year, 0)) for year in years]


def month_bars(year: int, months: list[FacetValue]) -> list[dict[str, Any]]:
    """Twelve bars for one year; year-only dates are counted apart ('unplaced')."""
    counts = {v.value: v.count for v in months if len(v.value) == 7}
    periods = [f"{year}-{month:02d}" for month in range(1, 13)]
    return [
        _bar(period, f"{calendar.month_abbr[int(period[5:])]} {year}", counts.get(period, 0))
        for period in periods
    ]


def day_bars(year: int, month: int, days: list[FacetValue]) -> list[dict[str, Any]]:
    """One bar per day of one month."""
    counts = {v.value: v.count for v in days}
    length = calendar.monthrange(year, month)[1]
    periods = [f"{year}-{month:02d}-{day:02d}" for day in range(1, length + 1)]
    return [_bar(period, period, counts.get(period, 0)) for period in periods]


def layout(bars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each bar its x, width, y and height inside the chart."""
    if not bars:
        return bars
    slot = CHART_WIDTH / max(len(bars), MIN_SLOTS)  # a lone bar should not fill the chart
    tallest = max(bar["count"] for bar in bars) or 1
    for number, bar in enumerate(bars):
        height = round(CHART_HEIGHT * bar["count"] / tallest, 1)
        if bar["count"]:
            height = max(height, 2)
        bar.update(
            x=round(number * slot, 2),
            width=round(max(slot - BAR_GAP, 0.5), 2),
            y=round(CHART_HEIGHT - height, 1),
            height=height,
            # The whole slot is clickable, not only a short bar.
            hit_height=CHART_HEIGHT,
        )
    return bars


def _bar(period: str, label: str, count: int) -> dict[str, Any]:
    return {"period": period, "label": label, "count": count}


def _period_link(args: MultiDict, period: str) -> str:
    return link(args, add=(("since", period), ("until", period)), drop=("since", "until"))
