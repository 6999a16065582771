"""What every reader's articles go through: the size cap, and text that can be written out.

Kept apart from the readers so that each format, present and future, gets the same checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from search.ingest.files import MEGABYTE, too_large
from search.models import RawArticle, RecordError, without_surrogates

EMPTY_FILE = "empty file: no articles in it"
TEXT_FIELDS = (
    "title",
    "body",
    "date_text",
    "source_id",
    "url",
    "source",
    "dateline",
    "author",
    "agency",
    "language",
)


def checked(
    records: Iterable[RawArticle | RecordError], limit: int
) -> Iterator[RawArticle | RecordError]:
    """Each record, an article over the cap as an error instead, lone surrogates replaced."""
    for record in records:
        if isinstance(record, RecordError):
            yield record
            continue
        characters = len(record.title) + len(record.body)
        if characters > limit:
            size = f"its {characters / MEGABYTE:.1f} million characters of title and text are"
            yield RecordError(record.locator, too_large(size, limit))
            continue
        yield clean_text(record)


def clean_text(article: RawArticle) -> RawArticle:
    """The article with every lone surrogate in its text and extra fields replaced by U+FFFD."""
    # One scan of everything first: nearly every article has none, and this is per record.
    text = "".join(getattr(article, name) or "" for name in TEXT_FIELDS)
    nested = [article.labels, article.extra]
    nested_text = json.dumps(nested, ensure_ascii=False, default=str) if any(nested) else ""
    if without_surrogates(text) is text and without_surrogates(nested_text) is nested_text:
        return article
    changed = {}
    for name in (*TEXT_FIELDS, "labels", "extra"):
        value = getattr(article, name)
        cleaned = replace_surrogates(value)
        if cleaned is not value:
            changed[name] = cleaned
    return replace(article, **changed) if changed else article


def replace_surrogates(value: Any) -> Any:
    """Strings with lone surrogates replaced, inside lists and dicts too; else the same object."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        items = [replace_surrogates(item) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = [(replace_surrogates(k), replace_surrogates(v)) for k, v in value.items()]
        before = value.items()
        unchanged = all(k is a and v is b for (k, v), (a, b) in zip(pairs, before, strict=True))
        return value if unchanged else dict(pairs)
    return value
