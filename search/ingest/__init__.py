"""Read articles from files and directories in any supported format, one record at a time.

Every record comes out either as a RawArticle or as a RecordError naming the file, the
record or line, and the reason; nothing is dropped silently and no bad record stops a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, cast

from search import config
from search.errors import InputError
from search.ingest.checks import EMPTY_FILE, checked
from search.ingest.crawls import read_wacz, read_warc
from search.ingest.csvfile import OVER_CAP, read_csv
from search.ingest.decoding import SNIFF_BYTES, check_text_head, decode_bytes, decode_head
from search.ingest.feeds import read_feed
from search.ingest.files import (
    MEGABYTE,
    bounded_lines,
    decoded_lines,
    gunzipped,
    is_streamable,
    read_head,
    read_salvaged,
    read_whole,
    starts_with_json,
)
from search.ingest.jsonfile import read_json, read_json_lines, read_jsonl
from search.ingest.newsroom import read_newsml, read_nitf
from search.ingest.pages import read_html
from search.ingest.paths import find_files, open_regular
from search.ingest.reuters import read_reuters
from search.ingest.text import read_text, title_from_body
from search.leads import split_lead
from search.models import Locator, RawArticle, RecordError, without_surrogates

__all__ = ["UNKNOWN_FORMAT", "detect_format", "read_file", "read_paths"]

Record = RawArticle | RecordError
Reader = Callable[[Path, str], Iterator[Record]]
ByteReader = Callable[[Path, bytes], Iterator[Record]]

READERS: dict[str, Reader | ByteReader] = {
    "text": read_text,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "reuters": read_reuters,
    "feed": read_feed,
    "html": read_html,
    "warc": read_warc,
    "wacz": read_wacz,
    "nitf": read_nitf,
    "newsml": read_newsml,
}
# Formats that declare their own encoding (XML, HTML, HTTP headers) or hold binary records:
# their readers take the file's bytes, not text decoded beforehand.
BYTE_FORMATS = frozenset({"feed", "html", "warc", "wacz", "nitf", "newsml"})
FORMAT_BY_SUFFIX = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".sgm": "reuters",
    ".sgml": "reuters",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".arc": "warc",
    ".wacz": "wacz",
    ".nitf": "nitf",
    ".newsml": "newsml",
}
UNKNOWN_FORMAT = (
    "not a recognised archive format: expected .txt, .json, .jsonl, .csv, .sgm, .rss, .atom,"
    " .html, .warc, .arc, .wacz, .nitf, .newsml or .xml (RSS, Atom, NITF, NewsML-G2),"
    " optionally .gz"
)
# The first element of an XML document, after any declaration, comments and doctype.
FIRST_ELEMENT = re.compile(
    r"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w:.-]*)", re.S | re.I
)
FORMAT_BY_ROOT = {
    "rss": "feed",
    "feed": "feed",
    "rdf:rdf": "feed",
    "nitf": "nitf",
    "newsmessage": "newsml",
    "newsitem": "newsml",
    "html": "html",
}
TEXT_HEADER = re.compile(r"date[ \t]+\d{4}-\d{2}-\d{2}(?![\w-])")


def read_paths(paths: Iterable[str | Path], max_article_mb: int | None = None) -> Iterator[Record]:
    """Articles and errors from files and directories (recursively, in sorted order)."""
    if isinstance(paths, str | Path):
        paths = [paths]  # one path given bare must not be iterated character by character
    limit = article_limit(max_article_mb)
    for given in paths:
        for found in find_files([given]):
            if isinstance(found, RecordError):
                yield found
                continue
            shown = path_under(Path(given), found)
            for record in read_file(found, limit):
                yield record if shown == str(found) else with_shown_path(record, shown)


def path_under(given: Path, found: Path) -> str:
    """How pages name a file: under the folder it was found in, by that folder's own name when
    the folder was given as an absolute path (never the server's layout above it)."""
    if not given.is_absolute():
        return str(found)
    if found == given:
        return found.name
    return str(Path(given.name) / found.relative_to(given))


def with_shown_path(record: Record, shown: str) -> Record:
    """The record with its locator's shown path set."""
    locator = replace(record.locator, shown=without_surrogates(shown))
    if isinstance(record, RawArticle):
        record.locator = locator
        return record
    return replace(record, locator=locator)


def article_limit(max_article_mb: int | None = None) -> int:
    """The article size cap in bytes (or characters): the given one, else the setting's."""
    return (max_article_mb or config.setting("max_article_mb")) * MEGABYTE


def read_file(path: Path, limit: int | None = None) -> Iterator[Record]:
    """The records of one file, its format detected, each body's byline and dateline taken
    off into their fields; a file that cannot be read is one error."""
    for record in read_records(path, limit):
        yield take_lead(record) if isinstance(record, RawArticle) else record


def read_records(path: Path, limit: int | None = None) -> Iterator[Record]:
    """The records of one file as its format's reader gives them."""
    try:
        with open_regular(path) as raw:
            yield from read_stream(path, gunzipped(path, raw), limit or article_limit())
    except InputError as error:
        yield RecordError(Locator(path=str(path)), error.message)


def read_stream(path: Path, stream: BinaryIO, limit: int) -> Iterator[Record]:
    """The records in a file's content; InputError when the file as a whole cannot be read."""
    head = read_head(stream, SNIFF_BYTES)
    file_format = detect_format(path, head)
    if file_format is None:
        raise InputError(UNKNOWN_FORMAT)
    if file_format in BYTE_FORMATS:
        # Binary records (crawls) or an encoding the markup declares: the reader decodes.
        data, cut = read_salvaged(stream)
        if data:
            yield from checked(cast(ByteReader, READERS[file_format])(path, data), limit)
        if cut:  # the records before a broken gzip stream are kept; the rest is reported
            yield RecordError(Locator(path=str(path)), str(cut))
        return
    check_text_head(head)  # before reading on: a binary file can be big
    if file_format == "jsonl" and is_streamable(head) and starts_with_json(stream, limit):
        records = read_json_lines(path, decoded_lines(bounded_lines(stream, limit), limit))
        empty = True
        for record in checked(records, limit):
            empty = False
            yield record
        if empty:
            raise InputError(EMPTY_FILE)
        return
    if file_format == "csv" and is_streamable(head):
        lines = decoded_lines(bounded_lines(stream, limit), limit)
        rows = (
            f"{OVER_CAP}{line.message}\n" if isinstance(line, InputError) else f"{line}\n"
            for _, line in lines
        )
        yield from checked(read_csv(path, rows), limit)
        return
    # One text file is one article, so the cap bounds the bytes read; other formats hold many.
    text = decode_bytes(read_whole(stream, limit if file_format == "text" else None))
    if not text.strip():
        raise InputError(EMPTY_FILE)
    yield from checked(cast(Reader, READERS[file_format])(path, text), limit)


def take_lead(record: RawArticle) -> RawArticle:
    """The record with the byline and dateline its body starts with moved into their fields.

    What the format tagged explicitly (a feed's author, NITF's dateline) wins over what the
    body's first line says; the body loses its lead either way, so no snippet starts with it.
    """
    lead = split_lead(record.body)
    if lead.body is record.body:
        return record
    if record.title == title_from_body(record.body):  # a title read off the lead goes too
        record.title = title_from_body(lead.body)
    record.body = lead.body
    record.dateline = record.dateline or lead.place
    record.author = record.author or lead.author
    record.agency = record.agency or lead.agency
    return record


def detect_format(path: Path, head: bytes) -> str | None:
    """The format of a file, by its extension (after any .gz), else by its first bytes."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    by_suffix = FORMAT_BY_SUFFIX.get(suffixes[-1]) if suffixes else None
    if by_suffix == "html":
        # A page saved as .html may be a feed or newsroom XML after all.
        return sniff_format(head) or by_suffix
    return by_suffix or sniff_format(head)


def sniff_format(head: bytes) -> str | None:
    """The format the first bytes of a file announce, if they announce one."""
    start = decode_head(head).lstrip()
    if TEXT_HEADER.match(start):
        return "text"
    if start[:15].upper() == "<!DOCTYPE LEWIS" or start.startswith("<REUTERS"):
        return "reuters"
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        return "jsonl"
    if start.startswith(("WARC/", "filedesc://")):
        return "warc"
    if head.startswith(b"PK\x03\x04") and b"datapackage.json" in head:
        return "wacz"
    return sniff_markup(start)


def sniff_markup(start: str) -> str | None:
    """The format of an XML or HTML document, by its first element (or an HTML doctype)."""
    if start[:14].lower() == "<!doctype html":
        return "html"
    found = FIRST_ELEMENT.match(start)
    if found is None:
        return None
    name = found.group(1).lower()  # "rdf:RDF" as it is, "atom:feed" without its prefix
    return FORMAT_BY_ROOT.get(name) or FORMAT_BY_ROOT.get(name.rsplit(":", 1)[-1])
