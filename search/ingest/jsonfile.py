"""JSON Lines (one object a line) and JSON documents (an array, a wrapper object, one object)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from search.errors import InputError
from search.ingest.fields import FIELD_ALIASES, normalise_key, record_to_article
from search.models import Locator, RawArticle, RecordError

ARTICLE_KEYS = frozenset(FIELD_ALIASES["title"] + FIELD_ALIASES["body"])
DECODER = json.JSONDecoder()


def read_jsonl(path: Path, text: str) -> Iterator[RawArticle | RecordError]:
    """One article per non-blank line; a bad line is reported and the next one read."""
    lines = text.split("\n")
    if is_pretty_printed(lines):
        yield from read_json(path, text)
        return
    yield from read_json_lines(path, enumerate(lines, start=1))


def read_json_lines(
    path: Path, lines: Iterable[tuple[int, str | InputError]]
) -> Iterator[RawArticle | RecordError]:
    """An article per numbered non-blank line; a line that could not be read is reported."""
    record = 0
    for number, line in lines:
        if isinstance(line, InputError):
            record += 1
            yield RecordError(Locator(str(path), record, number), line.message)
            continue
        if not line.strip():
            continue
        record += 1
        locator = Locator(path=str(path), record=record, line=number)
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as error:
            yield RecordError(locator, f"not valid JSON: {error}")
            continue
        yield value_to_article(value, locator)


def is_pretty_printed(lines: list[str]) -> bool:
    """True when the first line is no JSON of its own but the whole text is one JSON document."""
    first = next((line for line in lines if line.strip()), "")
    try:
        json.loads(first)
        return False
    except (ValueError, RecursionError):
        pass
    try:
        json.loads("\n".join(lines))
    except (ValueError, RecursionError):
        return False
    return True


def read_json(path: Path, text: str) -> Iterator[RawArticle | RecordError]:
    """The articles of a JSON document: an array of objects, {"articles": [...]}, or one object."""
    start = len(text) - len(text.lstrip())
    if text.startswith("[", start):
        yield from read_array(path, text, start)
        return
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        yield RecordError(
            Locator(path=str(path), line=getattr(error, "lineno", None)), f"not valid JSON: {error}"
        )
        return
    items = unwrap_items(document)
    if items is None:
        yield value_to_article(document, Locator(path=str(path), record=1, line=None))
        return
    for number, item in enumerate(items, start=1):
        yield value_to_article(item, Locator(path=str(path), record=number))


def unwrap_items(document: Any) -> list[Any] | None:
    """The list of records a wrapper object holds under its one list-valued key, if it is one."""
    if not isinstance(document, dict):
        return None
    if any(normalise_key(str(key)) in ARTICLE_KEYS for key in document):
        return None
    lists = [value for value in document.values() if isinstance(value, list)]
    return lists[0] if len(lists) == 1 else None


def read_array(path: Path, text: str, start: int) -> Iterator[RawArticle | RecordError]:
    """Each element of a top-level array with the line it starts on; stop at broken syntax."""
    position, line, counted = start + 1, 1, 0
    for record in itertools.count(1):
        position = skip_space(text, position)
        if record == 1 and text.startswith("]", position):
            return
        line += text.count("\n", counted, position)
        counted = position
        locator = Locator(path=str(path), record=record, line=line)
        try:
            value, position = DECODER.raw_decode(text, position)
        except (ValueError, RecursionError) as error:
            yield RecordError(locator, f"not valid JSON, the rest of the file is skipped: {error}")
            return
        yield value_to_article(value, locator)
        position = skip_space(text, position)
        if text.startswith("]", position):
            if text[position + 1 :].strip():
                yield RecordError(locator, "not valid JSON: text after the closing ']'")
            return
        if not text.startswith(",", position):
            yield RecordError(locator, "not valid JSON: expected ',' or ']' after this element")
            return
        position += 1


def skip_space(text: str, position: int) -> int:
    """The position of the next character that is not JSON whitespace."""
    while position < len(text) and text[position] in " \t\n\r":
        position += 1
    return position


def value_to_article(value: Any, locator: Locator) -> RawArticle | RecordError:
    """An article from a JSON object; anything else is an error naming what it is."""
    if not isinstance(value, dict):
        return RecordError(locator, f"not a JSON object but {json_kind(value)}")
    return record_to_article(value, locator)


def json_kind(value: Any) -> str:
    """JSON's name for a Python value's type, with its article: 'an array', 'a string'."""
    names = {
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)
