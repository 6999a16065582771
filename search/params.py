"""Turn user-supplied parameters (URL or command line) into a validated SearchRequest."""

from __future__ import annotations

from collections.abc import Sequence

from search.config import setting
from search.dates import parse_date_bound
from search.errors import BadRequest
from search.limits import check_query_cost
from search.models import SearchRequest

SORTS = ("relevance", "newest", "oldest")
OPERATORS = ("and", "or")
MAX_VALUES = 20


def make_search_request(
    query: str = "",
    *,
    actor: Sequence[str] = (),
    country: Sequence[str] = (),
    org: Sequence[str] = (),
    not_actor: Sequence[str] = (),
    not_country: Sequence[str] = (),
    not_org: Sequence[str] = (),
    actor_op: str | None = None,
    country_op: str | None = None,
    org_op: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    page: str | int | None = None,
    per_page: int | None = None,
) -> SearchRequest:
    """A SearchRequest from raw values; raises BadRequest saying what to change."""
    query = query or ""
    if len(query) > setting("max_query_length"):
        raise BadRequest(
            f"The query is {len(query)} characters long; shorten it to at most "
            f"{setting('max_query_length')}."
        )
    check_query_cost(query)
    sort = sort or ("relevance" if query.strip() else "newest")
    if sort not in SORTS:
        raise BadRequest(f"Unknown sort {sort!r}; use one of {', '.join(SORTS)}.")
    return SearchRequest(
        query=query,
        actor=_values("actor", actor),
        country=_values("country", country),
        org=_values("org", org),
        not_actor=_values("not_actor", not_actor),
        not_country=_values("not_country", not_country),
        not_org=_values("not_org", not_org),
        actor_op=parse_operator("actor_op", actor_op),  # type: ignore[arg-type]
        country_op=parse_operator("country_op", country_op),  # type: ignore[arg-type]
        org_op=parse_operator("org_op", org_op),  # type: ignore[arg-type]
        since=parse_date_bound(since, upper=False) if since and since.strip() else None,
        until=parse_date_bound(until, upper=True) if until and until.strip() else None,
        sort=sort,  # type: ignore[arg-type]
        page=parse_page(page),
        per_page=per_page or setting("per_page"),
    )


def parse_page(page: str | int | None) -> int:
    """A page number from 1 to the deepest page allowed."""
    if page is None or page == "":
        return 1
    try:
        number = int(page)
    except ValueError:
        raise BadRequest(f"Page {page!r} is not a number; use page=1, 2, …") from None
    if not 1 <= number <= setting("max_page"):
        raise BadRequest(
            f"Page {number} is out of range; use a page from 1 to {setting('max_page')}, "
            "or narrow the search."
        )
    return number


def parse_operator(name: str, value: str | None) -> str:
    """How a facet's selected values combine: 'and' (the default) or 'or'."""
    if value is None or value.strip() == "":
        return "and"
    if value.strip().lower() not in OPERATORS:
        raise BadRequest(f"Unknown {name} {value!r}; use {name}=and or {name}=or.")
    return value.strip().lower()


def _values(name: str, values: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(cleaned) > MAX_VALUES:
        raise BadRequest(f"Too many {name} values ({len(cleaned)}); use at most {MAX_VALUES}.")
    return cleaned
