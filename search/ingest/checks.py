"""What every reader's articles go through: the size cap, and text that can be written out.

Kept apart from the readers so that each format, present and future, gets the same checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from search.ingest.files import MEGABYTE, too_large
from search.models import RawArticle, RecordError, without_surrogates

EMPTY_FILE = "empty file: no articles in it"
TEXT_FIELDS = ("title", "body", "date_text", "source_id", "url", "source", "dateline")


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
    fields = {name: getattr(article, name) for name in TEXT_FIELDS}
    changed = {name: replace_surrogates(value) for name, value in fields.items() if value}
    changed = {name: value for name, value in changed.items() if value != fields[name]}
    extra = replace_surrogates(article.extra)
    if extra != article.extra:
        changed["extra"] = extra
    return replace(article, **changed) if changed else article


def replace_surrogates(value: Any) -> Any:
    """Strings with lone surrogates replaced, inside lists and dicts too; the rest as it is."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {replace_surrogates(key): replace_surrogates(item) for key, item in value.items()}
    return value
