"""CSV with a header row naming the fields; the delimiter is sniffed from the header."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from search.ingest.fields import record_to_article
from search.models import Locator, RawArticle, RecordError

DELIMITERS = ",;\t|"
OVER_CAP = "\ue000over the size cap\ue000"  # private-use marks: no real CSV line starts so
# Articles can be far longer than csv's default limit of 128 KiB per field.
FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)


def read_csv(path: Path, text: str | Iterable[str]) -> Iterator[RawArticle | RecordError]:
    """One article per row after the header; a row of the wrong width is reported and skipped.

    `text` is the whole file, or its lines (each ending in a newline) as a big file is
    streamed, where a line over the size cap is OVER_CAP followed by the reason.
    """
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines = iter(io.StringIO(text) if isinstance(text, str) else text)
    first = next(lines, "")
    reader = csv.reader(chain([first], lines), delimiter=sniff_delimiter(first))
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error) as error:
        yield RecordError(Locator(path=str(path), line=1), f"no CSV header row: {error}")
        return
    if not any(header):
        yield RecordError(Locator(path=str(path), line=1), "the first row is empty, not a header")
        return
    record, line = 0, reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            record += 1
            yield RecordError(Locator(path=str(path), record=record, line=line), str(error))
            line = reader.line_num + 1
            continue
        if row:
            record += 1
            locator = Locator(path=str(path), record=record, line=line)
            if row[0].startswith(OVER_CAP):  # never read: only its reason was streamed
                yield RecordError(locator, row[0].removeprefix(OVER_CAP).strip())
            else:
                yield row_to_article(header, row, locator)
        line = reader.line_num + 1


def row_to_article(header: list[str], row: list[str], locator: Locator) -> RawArticle | RecordError:
    """An article from one row, or an error if the row is not as wide as the header."""
    if len(row) != len(header):
        reason = f"row has {len(row)} fields, the header has {len(header)}"
        return RecordError(locator, reason)
    return record_to_article(dict(zip(header, row, strict=True)), locator)


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that occurs most often in the header line (',' on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","
