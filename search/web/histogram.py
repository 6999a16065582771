"""The date histogram: bars per year, month or day, each a link that narrows since/until.

The level follows the data: an archive (or a search) whose dated articles fall in one
month shows days, in one year months, else years. Every bar with articles is a link at
least MIN_SLOT pixels wide, a tap target that WCAG 2.2 accepts; more bars than fit
make the chart wider than its column, and it scrolls.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from typing import Any

from werkzeug.datastructures import MultiDict

from search.models import FacetValue, SearchPage
from search.months import UNDATED
from search.web.arguments import link

CHART_WIDTH = 288  # the sidebar's width in pixels: twelve months of MIN_SLOT
CHART_HEIGHT = 72
MIN_SLOT = 24  # pixels per bar at the least: the whole slot is the link
BAR_GAP = 2
MAX_BAR_WIDTH = 40  # a lone bar is drawn narrow in the middle of its (wide) slot
MAX_FILLED_YEARS = 80  # longer spans show only the years that have articles


def histogram_context(page: SearchPage, args: MultiDict) -> dict[str, Any]:
    """The bars at the level the dates call for, with a link up one level."""
    months = [v for v in page.facets["date"] if v.value != UNDATED]
    undated = sum(v.count for v in page.facets["date"] if v.value == UNDATED)
    since, until = page.request.since, page.request.until
    years = sorted({int(v.value[:4]) for v in months})
    if page.days:
        year, month = int(page.days[0].value[:4]), int(page.days[0].value[5:7])
        level, bars = "day", day_bars(year, month, page.days)
        up = _period_link(args, f"{year}") if since is not None else None
    elif len(years) == 1 or (since and until and since.year == until.year):
        year = years[0] if years else page.request.since.year  # type: ignore[union-attr]
        level, bars = "month", month_bars(year, months)
        up = link(args, drop=("since", "until")) if since or until else None
    else:
        level, bars, up = "year", year_bars(months), None
    for bar in bars:
        bar["url"] = _period_link(args, bar["period"]) if bar["count"] else None
    return {
        "level": level,
        "up_url": up,
        "undated": undated,
        "unplaced": sum(v.count for v in months if level == "month" and len(v.value) == 4),
        **chart(bars),
    }


def chart(bars: list[dict[str, Any]]) -> dict[str, Any]:
    """A chart of bars: their layout, its size in pixels and its tallest bar."""
    width = max(CHART_WIDTH, len(bars) * MIN_SLOT)
    tallest = max(bars, key=lambda bar: bar["count"]) if bars else None
    return {
        "bars": layout(bars, width),
        "width": width,
        "height": CHART_HEIGHT,
        "tallest": tallest if tallest and tallest["count"] else None,
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
    return [_bar(period, month_label(period), counts.get(period, 0)) for period in periods]


def month_label(period: str) -> str:
    """'Mar 1987' for 1987-03."""
    return f"{calendar.month_abbr[int(period[5:7])]} {period[:4]}"


def day_bars(year: int, month: int, days: list[FacetValue]) -> list[dict[str, Any]]:
    """One bar per day of one month."""
    counts = {v.value: v.count for v in days}
    length = calendar.monthrange(year, month)[1]
    periods = [f"{year}-{month:02d}-{day:02d}" for day in range(1, length + 1)]
    return [_bar(period, period, counts.get(period, 0)) for period in periods]


def layout(bars: list[dict[str, Any]], width: int = CHART_WIDTH) -> list[dict[str, Any]]:
    """Give each bar its slot (x, width: the link) and its drawn bar (y, height, inset)."""
    if not bars:
        return bars
    slot = width / len(bars)
    drawn = min(slot - BAR_GAP, MAX_BAR_WIDTH)
    tallest = max(bar["count"] for bar in bars) or 1
    for number, bar in enumerate(bars):
        height = round(CHART_HEIGHT * bar["count"] / tallest, 1)
        if bar["count"]:
            height = max(height, 2)
        bar.update(
            x=round(number * slot, 2),
            width=round(slot, 2),
            bar_x=round(number * slot + (slot - drawn) / 2, 2),
            bar_width=round(drawn, 2),
            y=round(CHART_HEIGHT - height, 1),
            height=height,
        )
    return bars


def _bar(period: str, label: str, count: int) -> dict[str, Any]:
    return {"period": period, "label": label, "count": count}


def _period_link(args: MultiDict, period: str) -> str:
    return link(args, add=(("since", period), ("until", period)), drop=("since", "until"))
