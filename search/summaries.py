"""What the archive says about one entity, and about itself: profiles and stats."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

import numpy as np

from search.errors import NotFound
from search.facets import ArchiveArrays, FacetColumn
from search.live_index import SearchIndex
from search.models import ENTITY_KINDS, EntityKind, EntityProfile, RelatedValue, SearchRequest
from search.query import run_search

LATEST_SIZE = 10
MIN_TOGETHER = 3
RELATED_SIZE = 10


def profile_entity(index: SearchIndex, kind: EntityKind, name: str) -> EntityProfile:
    """An entity's article count, first and last dates, months, company it keeps, latest news."""
    _, arrays = index.snapshot()
    mask = documents_with(arrays.columns[kind], name, len(arrays.timestamps))
    if mask is None:
        raise NotFound(f"No article mentions {name!r}; check the spelling or search for it.")
    newest = run_search(index, entity_request(kind, name, "newest", LATEST_SIZE), 0)
    oldest = run_search(index, entity_request(kind, name, "oldest", 1), 0)
    return EntityProfile(
        kind=kind,
        name=name,
        total=newest.total,
        first_seen=oldest.hits[0].date if oldest.hits else None,
        last_seen=newest.hits[0].date if newest.hits else None,
        months=newest.facets["date"],
        related=related_values(arrays, kind, name, mask),
        latest=newest.hits,
    )


def collect_stats(index: SearchIndex, top: int = 10) -> dict[str, Any]:
    """What the archive holds: article count, date range, undated count, top entities,
    sources and languages."""
    page = run_search(index, SearchRequest(per_page=1, sort="oldest"), facet_size=top)
    newest = run_search(index, SearchRequest(per_page=1, sort="newest"), facet_size=0)
    undated = sum(v.count for v in page.facets["date"] if v.value == "undated")
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
        "months": len([v for v in page.facets["date"] if v.value != "undated"]),
    }


def latest_date_label(index: SearchIndex) -> str | None:
    """The newest article's date (2022, 2022-11 or 2022-11-09); None in an undated archive."""
    newest = run_search(index, SearchRequest(per_page=1, sort="newest"), facet_size=0)
    return newest.hits[0].date if newest.hits else None


def entity_request(kind: EntityKind, name: str, sort: str, per_page: int) -> SearchRequest:
    """A request for every article carrying one entity value."""
    request = SearchRequest(sort=sort, per_page=per_page)  # type: ignore[arg-type]
    request.included(kind).append(name)
    return request


def documents_with(column: FacetColumn, value: str, size: int) -> np.ndarray | None:
    """A boolean array of the documents carrying `value`, or None when no document does."""
    position = bisect_left(column.values, value)
    if position == len(column.values) or column.values[position] != value:
        return None
    mask = np.zeros(size, dtype=bool)
    mask[column.documents[column.value_ids == position]] = True
    return mask


def related_values(
    arrays: ArchiveArrays, kind: str, value: str, mask: np.ndarray, size: int = RELATED_SIZE
) -> dict[str, list[RelatedValue]]:
    """Entity values seen with the masked documents, ranked by lift over chance.

    Lift is P(value | entity) / P(value): 1 means as often as chance would have it. Pairs
    seen together fewer than a few times are noise and left out; the threshold shrinks for
    entities with only a handful of articles so that they still show something.
    """
    total = int(mask.sum())
    documents = len(arrays.timestamps)
    minimum = min(MIN_TOGETHER, max(1, total // 5))
    related: dict[str, list[RelatedValue]] = {}
    for name in ENTITY_KINDS:
        column = arrays.columns[name]
        width = len(column.values)
        together = np.bincount(column.value_ids[mask[column.documents]], minlength=width)
        frequency = np.bincount(column.value_ids, minlength=width)
        lift = together * documents / np.maximum(frequency * total, 1)
        eligible = together >= minimum
        if name == kind:
            eligible[bisect_left(column.values, value)] = False  # the entity itself
        chosen = np.flatnonzero(eligible)
        order = np.lexsort((-together[chosen], -lift[chosen]))[:size]
        related[name] = [
            RelatedValue(name, column.values[i], int(together[i]), round(float(lift[i]), 2))
            for i in chosen[order]
        ]
    return related
