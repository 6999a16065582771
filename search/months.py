"""The date facet, for every backend: months in time order, and when a histogram shows days.

A search's date facet counts articles per month (or per year, for year-only dates), with
the undated ones apart; a range within one month, or matches dated in one month only,
make the histogram show that month's days instead.
"""

from __future__ import annotations

from search.models import FacetValue, SearchRequest

UNDATED = "undated"  # the date facet's value for articles without a date
SECONDS_PER_DAY = 86_400


def rank_dates(counts: dict[str, int]) -> list[FacetValue]:
    """Months (or years, for year-only dates) in time order, undated last."""
    dated = sorted(value for value in counts if value != UNDATED)
    values = [FacetValue(value, counts[value]) for value in dated]
    if UNDATED in counts:
        values.append(FacetValue(UNDATED, counts[UNDATED]))
    return values


def spans_one_month(request: SearchRequest) -> bool:
    """True when since and until lie within one calendar month: the histogram shows days."""
    since, until = request.since, request.until
    if since is None or until is None:
        return False
    return (since.year, since.month) == (until.year, until.month)


def dated_in_one_month(months: list[FacetValue]) -> bool:
    """True when every dated match falls in one month: the histogram then shows its days."""
    dated = [value.value for value in months if value.value != UNDATED]
    return len(dated) == 1 and len(dated[0]) == 7  # YYYY-MM, not a year-only date
