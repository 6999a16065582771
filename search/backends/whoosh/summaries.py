"""What the archive says about one entity: its profile, with the values seen with it."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from search.backends.whoosh.facets import ArchiveArrays, FacetColumn
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.errors import NotFound
from search.models import ENTITY_KINDS, EntityKind, EntityProfile, RelatedValue
from search.stats import entity_request

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
        missing_shards=sorted({*newest.missing_shards, *oldest.missing_shards}),
    )


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
