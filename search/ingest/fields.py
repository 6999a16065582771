"""Map a record's keys (JSON object or CSV row) onto RawArticle fields by their usual names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from search.models import Locator, RawArticle, RecordError

# Keys are compared lower-cased with '_', '-' and spaces removed: "publishedAt" = "published_at".
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "body": ("body", "text", "content", "article", "description"),
    "date_text": (
        "date",
        "published",
        "publishedat",
        "pubdate",
        "datetime",
        "timestamp",
        "createdat",
    ),
    "url": ("url", "link"),
    "source": ("source", "publisher", "outlet"),
    "source_id": ("id", "guid", "uuid", "articleid"),
    "author": ("author", "byline", "creator"),
    "language": ("language", "lang", "locale"),
}
NO_TEXT = (
    "no title or text: expected a field named title, headline or name, "
    "or body, text, content, article or description"
)
KEY_NOISE = re.compile(r"[\s_\-]+")
# Only these become the article's link; javascript:, data: and the like stay in extra as text.
WEB_URL = re.compile(r"https?://\S+", re.IGNORECASE)


class FieldError(ValueError):
    """A field holds a value that cannot be read as text."""


@lru_cache(maxsize=4096)  # a file's records share their keys
def normalise_key(key: str) -> str:
    """A key as compared with the aliases: lower case, no separators."""
    return KEY_NOISE.sub("", key).lower()


def record_to_article(record: Mapping[str, Any], locator: Locator) -> RawArticle | RecordError:
    """A RawArticle from a record's known fields, other keys kept in extra; or why not."""
    by_alias = {normalise_key(str(key)): key for key in reversed(list(record))}
    found: dict[str, str] = {}
    used: set[str] = set()
    try:
        for name, aliases in FIELD_ALIASES.items():
            key = next((by_alias[a] for a in aliases if a in by_alias), None)
            if key is None:
                continue
            value = field_text(name, key, record[key])
            if name == "url" and value.strip() and not WEB_URL.fullmatch(value.strip()):
                continue  # not a link a reader can follow: kept in extra, never linked
            used.add(key)
            found[name] = value
    except FieldError as error:
        return RecordError(locator, str(error))
    title, body = found.get("title", "").strip(), found.get("body", "").strip()
    if not (title or body):
        return RecordError(locator, NO_TEXT)
    return RawArticle(
        locator=locator,
        title=" ".join(title.split()),
        body=body,
        date_text=found.get("date_text", "").strip(),
        source_id=found.get("source_id", "").strip() or None,
        url=found.get("url", "").strip() or None,
        source=found.get("source", "").strip() or None,
        author=found.get("author", "").strip() or None,
        language=found.get("language", "").strip() or None,
        extra={key: value for key, value in record.items() if key not in used},
    )


def field_text(name: str, key: str, value: Any) -> str:
    """A field's value as text: strings as they are, numbers in digits, paragraphs joined."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if name == "body" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    # Feeds and NewsAPI nest these: "source": {"name": "BBC"}, "link": {"href": "..."}.
    if isinstance(value, dict):
        for inner in ("name", "href", "value", "text"):
            if isinstance(value.get(inner), str):
                return str(value[inner])
    kind = type(value).__name__
    raise FieldError(f"field {key!r} holds a {kind}, expected text for the article's {name}")
