"""One file's bytes: gunzipped as they are read, read whole or line by line, never unbounded.

A record bigger than the article size cap is reported without being held in memory: a
JSON Lines file is read a line at a time and a line over the cap is skipped in chunks; a
plain-text file (one article) is read up to the cap and no further.
"""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from search.errors import InputError
from search.ingest.decoding import decode_line, split_bom

GZIP_MAGIC = b"\x1f\x8b"
SKIP_CHUNK = 1 << 20  # bytes read at a time while skipping a line that is over the cap
MEGABYTE = 1_000_000
GZIP_ERRORS = (OSError, EOFError, zlib.error)


def gunzipped(path: Path, raw: BinaryIO) -> BinaryIO:
    """The stream of a file's content: decompressed when it is gzip (by extension or magic)."""
    magic = raw.read(len(GZIP_MAGIC))
    raw.seek(0)
    if path.suffix.lower() != ".gz" and magic != GZIP_MAGIC:
        return raw
    return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]


def read_head(stream: BinaryIO, size: int) -> bytes:
    """The first `size` bytes, the stream rewound to its start after."""
    try:
        head = stream.read(size)
        stream.seek(0)
    except GZIP_ERRORS as error:
        raise InputError(f"not a readable gzip file: {error}") from error
    return head


def read_whole(stream: BinaryIO, limit: int | None = None) -> bytes:
    """All the bytes; with a limit, InputError for a file bigger than that, read no further."""
    try:
        data = stream.read() if limit is None else stream.read(limit + 1)
    except GZIP_ERRORS as error:
        raise InputError(f"not a readable gzip file: {error}") from error
    if limit is not None and len(data) > limit:
        raise InputError(too_large("the file is", limit))
    return data


def is_streamable(head: bytes) -> bool:
    """True when the file can be decoded line by line: UTF-8 or legacy bytes, not UTF-16."""
    encoding, _ = split_bom(head)
    return encoding in (None, "utf-8")


def starts_with_json(stream: BinaryIO, limit: int) -> bool:
    """True unless the first non-blank line is no JSON value (a pretty-printed document)."""
    try:
        for line in decoded_lines(bounded_lines(stream, limit), limit):
            if isinstance(line[1], InputError):
                return True
            if line[1].strip():
                try:
                    json.loads(line[1])
                except (ValueError, RecursionError):
                    return False
                return True
        return True
    finally:
        stream.seek(0)


def decoded_lines(
    lines: Iterable[bytes | None], limit: int
) -> Iterator[tuple[int, str | InputError]]:
    """Numbered lines of text, CR, LF and CRLF each ending one; a line over the cap as an error."""
    number = 0
    for index, raw in enumerate(lines):
        if raw is None:
            number += 1
            yield number, InputError(too_large("this line is", limit))
            continue
        if index == 0 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        text = decode_line(raw)
        for part in text.removesuffix("\r").split("\r"):
            number += 1
            yield number, part


def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Each line's bytes (without the newline), or None for a line over `limit` bytes."""
    while True:
        try:
            line = stream.readline(limit + 1)
        except GZIP_ERRORS as error:
            raise InputError(f"not a readable gzip file: {error}") from error
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            skip_rest_of_line(stream)
            yield None
            continue
        yield line.removesuffix(b"\n")


def skip_rest_of_line(stream: BinaryIO) -> None:
    """Read past the end of the current line a chunk at a time, keeping none of it."""
    while True:
        chunk = stream.readline(SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def too_large(what: str, limit: int) -> str:
    """The reason a record over the article size cap is not indexed: `what` is over it."""
    return (
        f"article too large: {what} over the {limit / MEGABYTE:g} MB limit"
        " (NEWSARCHIVE_MAX_ARTICLE_MB); split it or raise the limit"
    )
