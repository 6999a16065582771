"""The archive's plain-text format: an optional ' date YYYY-MM-DD' header, then one article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from search.models import Locator, RawArticle, RecordError

DATE_HEADER = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2})(?![\w-])[ \t]*")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
TITLE_MAX_CHARS = 160
SUBHEADING_MAX_CHARS = 100
SUBHEADING_MAX_WORDS = 12
# A candidate sentence end: punctuation, an optional closing quote or bracket, then a space.
SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*(?=\s)")
INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "st",
        "jr",
        "sr",
        "rev",
        "hon",
        "pres",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "bros",
        "no",
        "nos",
        "vs",
        "etc",
        "approx",
        "dept",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    }
)


def read_text(path: Path, text: str) -> Iterator[RawArticle | RecordError]:
    """The one article of a plain-text file, titled by its first sentence."""
    locator = Locator(path=str(path))
    header = DATE_HEADER.match(text)
    date_text = header.group(1) if header else ""
    body = text[header.end() :].strip() if header else text.strip()
    if not body:
        yield RecordError(locator, "no article text after the date header")
        return
    paragraphs = split_paragraphs(body)
    yield RawArticle(
        locator=locator,
        title=title_from_body(body),
        body=body,
        date_text=date_text,
        extra={"subheadings": find_subheadings(paragraphs)},
    )


def split_paragraphs(body: str) -> list[str]:
    """The body's paragraphs: blocks of text between blank lines."""
    return [part.strip() for part in PARAGRAPH_BREAK.split(body) if part.strip()]


def find_subheadings(paragraphs: list[str]) -> list[str]:
    """Headline-like paragraphs inside the article (never the lead, never the last)."""
    return [p for p in paragraphs[1:-1] if is_subheading(p)]


def is_subheading(paragraph: str) -> bool:
    """True for a short single line that starts with a capital and ends without punctuation."""
    words = paragraph.split()
    return (
        "\n" not in paragraph
        and len(paragraph) <= SUBHEADING_MAX_CHARS
        and 2 <= len(words) <= SUBHEADING_MAX_WORDS
        and (paragraph[0].isupper() or paragraph[0].isdigit())
        and paragraph[-1] not in ".,;:\"'”’)"
    )


def first_sentence(body: str) -> str:
    """The body's first sentence, ending at '. ', '? ', '! ' or the end of the line."""
    line = body.strip().split("\n", 1)[0].strip()
    for end in SENTENCE_END.finditer(line):
        if ends_sentence(line, end.start(), end.end()):
            return line[: end.end()].strip()
    return line


def ends_sentence(line: str, mark: int, after: int) -> bool:
    """Whether the punctuation at `mark` ends a sentence rather than an abbreviation."""
    following = line[after:].lstrip()
    if following[:1].islower():
        return False
    if line[mark] != ".":
        return True
    word = line[:mark].rsplit(None, 1)[-1] if line[:mark].strip() else ""
    word = word.lstrip("\"'“‘(")
    # "U.S." and "J." are initials; "Mr." and "Jan." are abbreviations.
    return not (INITIALS.fullmatch(word) or word.lower() in ABBREVIATIONS)


def title_from_body(body: str) -> str:
    """The title of an article that has none, in every format: its first sentence."""
    return make_title(first_sentence(body))


def make_title(sentence: str) -> str:
    """A title from a sentence: no final period, cut at a word to at most 160 characters."""
    title = sentence.strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    if len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0] or title[: TITLE_MAX_CHARS - 1]
    return cut.rstrip(" ,;:-–—") + "…"
