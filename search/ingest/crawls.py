"""Web crawls (WARC, ARC, WACZ): each captured HTML page as an article, one per URL.

A crawl often fetches a page more than once; the newest capture is the article and the
older ones are counted as merged into it. Requests, metadata, revisits and responses that
are not HTML (images, scripts, redirects) are not articles and are passed over.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from search.errors import InputError
from search.ingest.markup import decode_markup
from search.ingest.pages import page_to_article
from search.models import Locator, RawArticle, RecordError

HTML_TYPES = ("text/html", "application/xhtml+xml")
RECORD_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
    }
)
WACZ_ARCHIVES = ("archive/",)
BROKEN_RECORD = "truncated or malformed archive record, the rest of the file is skipped"
# warcio raises these, and sometimes AttributeError or TypeError, on records it cannot parse.
BROKEN_ARCHIVE = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    OSError,
    ValueError,
    AttributeError,
    TypeError,
)


@dataclass
class Capture:
    """The newest capture of one URL so far, and how many older ones it replaces."""

    locator: Locator
    url: str
    date: str
    payload: bytes
    charset: str | None
    merged: int = 0


def read_warc(path: Path, data: bytes) -> Iterator[RawArticle | RecordError]:
    """The pages of a WARC or ARC file (plain or gzipped record by record)."""
    captures: dict[str, Capture] = {}
    yield from collect_captures(io.BytesIO(data), str(path), captures, itertools.count(1))
    yield from captures_to_articles(captures)


def read_wacz(path: Path, data: bytes) -> Iterator[RawArticle | RecordError]:
    """The pages of every WARC inside a WACZ package, merged across them by URL."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = [name for name in package.namelist() if name.startswith(WACZ_ARCHIVES)]
    except (zipfile.BadZipFile, OSError) as error:
        yield RecordError(Locator(str(path)), f"not a readable WACZ (zip) package: {error}")
        return
    if not members:
        yield RecordError(Locator(str(path)), "WACZ package holds no archive/*.warc files")
        return
    captures: dict[str, Capture] = {}
    numbers = itertools.count(1)  # records are numbered through the package, member by member
    for member in sorted(members):
        try:
            with package.open(member) as stream:
                yield from collect_captures(stream, str(path), captures, numbers)
        except (zipfile.BadZipFile, OSError) as error:
            yield RecordError(Locator(str(path)), f"cannot read {member}: {error}")
    yield from captures_to_articles(captures)


def collect_captures(
    stream: IO[bytes], path: str, captures: dict[str, Capture], numbers: Iterator[int]
) -> Iterator[RecordError]:
    """Keep the newest HTML capture of each URL; report records that cannot be read.

    A broken record ends the file: its length can no longer be trusted to find the next.
    """
    records = ArchiveIterator(stream, arc2warc=True)
    while True:
        locator = Locator(path, record=next(numbers))
        try:
            record = next(records, None)
            if record is None:
                return
            problem = keep_capture(record, locator, captures)
        except BROKEN_ARCHIVE as error:
            yield RecordError(locator, f"{BROKEN_RECORD}: {error}")
            return
        if problem:
            yield problem


def keep_capture(record: Any, locator: Locator, captures: dict[str, Capture]) -> RecordError | None:
    """Remember a record when it is an HTML page newer than what is kept for its URL."""
    if record.rec_type not in RECORD_TYPES:
        return RecordError(locator, f"malformed archive record: WARC-Type {record.rec_type!r}")
    if record.rec_type != "response" or record.http_headers is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(HTML_TYPES):
        return None
    status = record.http_headers.get_statuscode() or ""
    if status.startswith("3"):
        return None  # a redirect: the page it points to is captured as its own record
    if not status.startswith("2"):
        return RecordError(locator, f"{url}: HTTP status {status}, not an article page")
    payload = record.content_stream().read()
    if record.raw_stream.limit > 0:
        return RecordError(locator, f"{url}: truncated record, the page is cut short")
    date = record.rec_headers.get_header("WARC-Date") or ""
    capture = Capture(locator, url, date, payload, charset_of(content_type))
    kept = captures.get(url)
    if kept is not None:
        capture = capture if capture.date >= kept.date else kept  # the newest wins
        capture.merged = kept.merged + 1
    captures[url] = capture  # the dict keeps the URL where it was first seen
    return None


def charset_of(content_type: str) -> str | None:
    """The charset parameter of an HTTP Content-Type header, if it has one."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def captures_to_articles(captures: dict[str, Capture]) -> Iterator[RawArticle | RecordError]:
    """An article (or why not) for each URL's newest capture, in the order first seen."""
    for capture in captures.values():
        try:
            html = decode_markup(capture.payload, capture.charset)
        except InputError as error:
            yield RecordError(capture.locator, f"{capture.url}: {error.message}")
            continue
        article = page_to_article(
            html, capture.locator, url=capture.url, fallback_date=capture.date
        )
        if isinstance(article, RecordError):
            yield RecordError(capture.locator, f"{capture.url}: {article.reason}")
            continue
        article.merged = capture.merged
        yield article
