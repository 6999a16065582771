"""Search pages, articles and exports as JSON-ready dicts, CSV and JSON Lines, for any front end."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from html import unescape
from pathlib import PurePath
from typing import Any

from search.dates import format_date
from search.models import Article, EntityProfile, Hit, Locator, SearchPage

EXPORT_FORMATS = ("csv", "jsonl")
CSV_COLUMNS = (
    "id",
    "title",
    "date",
    "actors",
    "countries",
    "orgs",
    "source",
    "language",
    "url",
    "snippet",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
ROWS_PER_PIECE = 200  # rows of an export written (or sent) at a time
TAG = re.compile(r"<[^>]*>")


def page_to_json(page: SearchPage) -> dict[str, Any]:
    """The /api/search body: query, total, page, per_page, hits and facets, a fixed contract;
    `partial` and `missing_shards` say whether some shards of the archive did not answer
    (the total and counts then cover the others only)."""
    return {
        "query": page.request.query,
        "total": page.total,
        "page": page.request.page,
        "per_page": page.request.per_page,
        "hits": [hit_to_json(hit) for hit in page.hits],
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values]
            for name, values in page.facets.items()
        },
        "partial": page.partial,
        "missing_shards": list(page.missing_shards),
    }


def hit_to_json(hit: Hit) -> dict[str, Any]:
    """One hit as the API shows it: asdict without its deep copy (a sixth of an /api/search)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date,
        "actors": list(hit.actors),
        "countries": list(hit.countries),
        "orgs": list(hit.orgs),
        "snippet": hit.snippet,
        "url": hit.url,
        "source": hit.source,
        "language": hit.language,
    }


def profile_to_json(profile: EntityProfile) -> dict[str, Any]:
    """The /api/<kind>/<name> body: what the entity page shows, with `partial` and
    `missing_shards` as /api/search has them."""
    return {
        "kind": profile.kind,
        "name": profile.name,
        "total": profile.total,
        "first_seen": profile.first_seen,
        "last_seen": profile.last_seen,
        "months": [{"value": v.value, "count": v.count} for v in profile.months],
        "related": {
            kind: [{"value": r.value, "together": r.together, "lift": r.lift} for r in values]
            for kind, values in profile.related.items()
        },
        "latest": [hit_to_json(hit) for hit in profile.latest],
        "partial": profile.partial,
        "missing_shards": list(profile.missing_shards),
    }


def article_to_json(article: Article) -> dict[str, Any]:
    """The /api/article/<id> body: the text, its date and every entity with its mentions."""
    date = article.date
    return {
        "id": article.id,
        "title": article.title,
        "date": format_date(date),
        "date_precision": date.precision,
        "date_note": date.reason,
        "date_text": article.date_text,
        "url": article.url,
        "source": article.source,
        "dateline": article.dateline,
        "author": article.author,
        "agency": article.agency,
        "language": article.language,
        "labels": article.labels,
        "actors": article.entities.actors,
        "countries": article.entities.countries,
        "orgs": article.entities.orgs,
        "mentions": [asdict(m) for m in article.entities.mentions],
        "body": article.body,
        "located_at": public_location(article.locator),
        "extra": article.extra,
    }


def public_location(locator: Locator) -> str:
    """Where an article was read, as a reader may see it: never the server's absolute path.

    A relative path is shown as the indexer was given it (`samples/text/a.txt`), without
    steps up (`..`); an absolute one under the folder the indexer was given
    (`reuters21578/reut2-003.sgm`), or as the file's name alone in indexes written before
    that was kept: the server's layout is nobody's business.
    """
    path = PurePath(locator.shown or locator.path)
    if path.is_absolute() or path.anchor:
        parts: tuple[str, ...] = (path.name,)
    else:
        parts = path.parts
        while ".." in parts:
            parts = parts[parts.index("..") + 1 :]
    shown = Locator(str(PurePath(*parts)) if parts else path.name, locator.record, locator.line)
    return str(shown)


def export_pieces(hits: Iterable[Hit], export_format: str) -> Iterator[str]:
    """Hits as a CSV file (with its header) or JSON Lines, in pieces of a few hundred rows.

    JSON Lines rows are /api/search's hits; CSV rows hold the same values, lists joined
    with '; ' and the snippet as plain text.
    """
    buffer = io.StringIO()
    write_row = csv.writer(buffer).writerow if export_format == "csv" else None
    if write_row:
        write_row(CSV_COLUMNS)
    for number, hit in enumerate(hits, 1):
        if write_row:
            write_row(csv_row(hit))
        else:
            buffer.write(json.dumps(hit_to_json(hit), ensure_ascii=False) + "\n")
        if number % ROWS_PER_PIECE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_row(hit: Hit) -> list[str]:
    """One hit's CSV cells, in CSV_COLUMNS order."""
    row = {**vars(hit), "snippet": plain_text(hit.snippet)}
    return [csv_cell(row[column]) for column in CSV_COLUMNS]


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plain_text(snippet: str) -> str:
    """A snippet's text without its markup: tags dropped, entities decoded, one line."""
    return " ".join(unescape(TAG.sub("", snippet)).split())
