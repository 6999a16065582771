"""RSS (0.9x, 1.0, 2.0) and Atom feeds by feedparser: one article per item or entry."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from search.ingest.fields import WEB_URL
from search.ingest.markup import html_to_text
from search.models import Locator, RawArticle, RecordError

HTML_TYPES = ("text/html", "application/xhtml+xml")
NO_ITEM_TEXT = "feed item has neither a title nor a description or content"


def read_feed(path: Path, data: bytes) -> Iterator[RawArticle | RecordError]:
    """Each item of a feed as an article; an item without text is reported, the next read."""
    # A stream, never a string: feedparser fetches strings that look like URLs or file names.
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    if not parsed.entries:
        reason = "no items in the feed"
        if parsed.get("bozo"):
            reason = f"not a readable feed: {parsed.get('bozo_exception')}"
        yield RecordError(Locator(str(path)), reason)
        return
    source = " ".join(parsed.feed.get("title", "").split()) or None
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_to_article(entry, Locator(str(path), record=number), source)
    if parsed.get("bozo") and not is_harmless(parsed.get("bozo_exception")):
        # The lenient parser read what it could; the file still needs a look.
        yield RecordError(
            Locator(str(path)),
            f"not well-formed XML ({parsed.get('bozo_exception')}): the {len(parsed.entries)} "
            "items above were read leniently, and items after the fault may be missing",
        )


def is_harmless(problem: Any) -> bool:
    """True for feedparser complaints that lose nothing, such as a mislabelled encoding."""
    return isinstance(problem, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType)


def entry_to_article(entry: Any, locator: Locator, source: str | None) -> RawArticle | RecordError:
    """One article from a feed item: title, link, date, author, content or summary."""
    title = " ".join(html_to_text(entry.get("title", "")).split())
    body = entry_body(entry)
    if not (title or body):
        return RecordError(locator, NO_ITEM_TEXT)
    link = entry.get("link", "").strip()
    url = link if WEB_URL.fullmatch(link) else None
    guid = entry.get("id", "").strip() or None
    tags = [tag.get("term") for tag in entry.get("tags", []) if tag.get("term")]
    return RawArticle(
        locator=locator,
        title=title,
        body=body,
        date_text=entry_date(entry),
        source_id=None if url else guid,
        url=url,
        source=source,
        author=" ".join(entry.get("author", "").split()) or None,
        extra={"categories": tags} if tags else {},
    )


def entry_body(entry: Any) -> str:
    """The fullest text an item has: content:encoded or Atom content, else its summary."""
    for content in entry.get("content", []):
        value = content.get("value", "")
        if value.strip():
            return as_text(value, content.get("type", ""))
    detail = entry.get("summary_detail") or {}
    return as_text(entry.get("summary", ""), detail.get("type", "text/html"))


def as_text(value: str, content_type: str) -> str:
    """A feed value as plain paragraphs, whether it was sent as HTML or as text."""
    if content_type in HTML_TYPES or "<" in value:
        return html_to_text(value)
    return value.strip()


def entry_date(entry: Any) -> str:
    """The item's publication date (else its last update) as ISO 8601 in UTC."""
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
        if entry.get(key):
            return str(entry[key])
    return ""
