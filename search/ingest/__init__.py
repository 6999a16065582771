"""Read articles from files and directories in any supported format, one record at a time.

Every record comes out either as a RawArticle or as a RecordError naming the file, the
record or line, and the reason; nothing is dropped silently and no bad record stops a run.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from search.errors import InputError
from search.ingest.csvfile import read_csv
from search.ingest.decoding import SNIFF_BYTES, decode_bytes, decode_head
from search.ingest.jsonfile import read_json, read_jsonl
from search.ingest.reuters import read_reuters
from search.ingest.text import read_text, title_from_body
from search.leads import split_lead
from search.models import Locator, RawArticle, RecordError

__all__ = ["UNKNOWN_FORMAT", "detect_format", "read_file", "read_paths"]

Record = RawArticle | RecordError
Reader = Callable[[Path, str], Iterator[Record]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "reuters": read_reuters,
}
FORMAT_BY_SUFFIX = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".sgm": "reuters",
    ".sgml": "reuters",
}
UNKNOWN_FORMAT = (
    "not a recognised archive format: expected .txt, .json, .jsonl, .csv or .sgm, optionally .gz"
)
GZIP_MAGIC = b"\x1f\x8b"
TEXT_HEADER = re.compile(r"date[ \t]+\d{4}-\d{2}-\d{2}(?![\w-])")


def read_paths(paths: Iterable[str | Path]) -> Iterator[Record]:
    """Articles and errors from files and directories (recursively, in sorted order)."""
    if isinstance(paths, str | Path):
        paths = [paths]  # one path given bare must not be iterated character by character
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from read_directory(path)
        elif path.exists():
            yield from read_file(path)
        else:
            yield RecordError(Locator(path=str(path)), "no such file or directory")


def read_directory(directory: Path) -> Iterator[Record]:
    """Every file under a directory by name, skipping hidden ones and not following links."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        yield RecordError(Locator(path=str(directory)), f"cannot read directory: {describe(error)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        # A linked directory can point back up the tree; linked files are read as usual.
        if entry.is_dir(follow_symlinks=False):
            yield from read_directory(path)
        elif entry.is_file():
            yield from read_file(path)


def read_file(path: Path) -> Iterator[Record]:
    """The records of one file, its format detected, each body's byline and dateline taken
    off into their fields; a file that cannot be read is one error."""
    for record in read_records(path):
        yield take_lead(record) if isinstance(record, RawArticle) else record


def read_records(path: Path) -> Iterator[Record]:
    """The records of one file as its format's reader gives them."""
    locator = Locator(path=str(path))
    try:
        data = read_bytes(path)
    except InputError as error:
        yield RecordError(locator, error.message)
        return
    file_format = detect_format(path, data[:SNIFF_BYTES])
    if file_format is None:
        yield RecordError(locator, UNKNOWN_FORMAT)
        return
    try:
        text = decode_bytes(data)
    except InputError as error:
        yield RecordError(locator, error.message)
        return
    if not text.strip():
        yield RecordError(locator, "empty file: no articles in it")
        return
    yield from READERS[file_format](path, text)


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


def read_bytes(path: Path) -> bytes:
    """A file's bytes, decompressed when it is gzip (by extension or by its magic number)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {describe(error)}") from error
    if path.suffix.lower() != ".gz" and not data.startswith(GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(f"not a readable gzip file: {error}") from error


def detect_format(path: Path, head: bytes) -> str | None:
    """The format of a file, by its extension (after any .gz), else by its first bytes."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    by_suffix = FORMAT_BY_SUFFIX.get(suffixes[-1]) if suffixes else None
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
    return None


def describe(error: OSError) -> str:
    """An OS error's reason without the path, which the locator already names."""
    return error.strerror or str(error)
