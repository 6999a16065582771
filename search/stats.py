"""What the archive says about itself, asked of any backend with ordinary searches."""

from __future__ import annotations

from typing import Any

from search.backend import SearchBackend
from search.models import EntityKind, SearchRequest
from search.months import UNDATED


def collect_stats(backend: SearchBackend, top: int = 10) -> dict[str, Any]:
    """What the archive holds: article count, date range, undated count, top entities,
    sources and languages."""
    page = backend.search(SearchRequest(per_page=1, sort="oldest"), facet_size=top)
    newest = backend.search(SearchRequest(per_page=1, sort="newest"), facet_size=0)
    undated = sum(v.count for v in page.facets["date"] if v.value == UNDATED)
    missing = sorted({*page.missing_shards, *newest.missing_shards})
    dated = page.total - undated
    return {
        "articles": page.total,
        "first_date": page.hits[0].date if dated else None,
        "last_date": newest.hits[0].date if dated else None,
        "undated": undated,
        "actors": [vars(v) for v in page.facets["actor"]],
        "countries": [vars(v) for v in page.facets["country"]],
        "orgs": [vars(v) for v in page.facets["org"]],
        "sources": [vars(v) for v in page.facets["source"]],
        "languages": [vars(v) for v in page.facets["language"]],
        "months": len([v for v in page.facets["date"] if v.value != UNDATED]),
        # As /api/search says: the counts leave out the articles of shards that did not answer.
        "partial": bool(missing),
        "missing_shards": missing,
    }


def latest_date_label(backend: SearchBackend) -> str | None:
    """The newest article's date (2022, 2022-11 or 2022-11-09); None in an undated archive."""
    newest = backend.search(SearchRequest(per_page=1, sort="newest"), facet_size=0)
    return newest.hits[0].date if newest.hits else None


def entity_request(kind: EntityKind, name: str, sort: str, per_page: int) -> SearchRequest:
    """A request for every article carrying one entity value."""
    request = SearchRequest(sort=sort, per_page=per_page)  # type: ignore[arg-type]
    request.included(kind).append(name)
    return request
