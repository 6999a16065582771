"""What the model reads of an article: boilerplate blanked, all-caps lines in the article's
own case, and windows of words around name candidates, each word with its origin."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from search.entities.boilerplate import blank_boilerplate
from search.entities.countries import load_gazetteer
from search.entities.shouting import case_forms, is_shouting, restored_case
from search.entities.spans import PARTICLES, Field

WINDOW = 1  # words of context either side of a name candidate
LIST_ITEM = 40  # characters: a shorter line is a heading or an item of a list
SENTENCE_END_CHARACTERS = '.!?:;"”-—'
WORD = re.compile(r"\S+")
WORD_WITH_DIGIT = re.compile(r"\S*\d\S*")
WORD_EDGES = "\"'“”‘’()[]{}<>,.;:!?-"
SEPARATOR = "\n\n"
NAME_PARTICLES = {"of", "the", "and", "for", "&"} | PARTICLES
INNER_CAPITAL = re.compile(r"[a-z]{1,3}-?[A-Z][a-z]")
COMMON_CAPITALISED = """January February March April May June July August September October
    November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday I"""


def readable_texts(title: str, body: str) -> dict[str, str]:
    """The title and body as names are looked for in them: boilerplate blanked out, all-caps
    lines (not table rows) in the case the article's own prose gives their words. Offsets
    are those of the original texts."""
    body = blank_boilerplate(body)
    lines = body.split("\n")
    shouted = [is_shouting(line) and not is_table_row(line) for line in lines]
    if not any(shouted) and not is_shouting(title):
        return {"title": title, "body": body}
    forms = case_forms(body)
    if is_shouting(title):
        title = restored_case(title, forms, STOP_WORDS)
    if any(shouted):
        body = "\n".join(
            restored_case(line, forms, STOP_WORDS) if caps else line
            for line, caps in zip(lines, shouted, strict=True)
        )
    return {"title": title, "body": body}


Origin = tuple[Field, int, int] | None  # where a model token came from; None for a gap


def model_input(
    nlp: Any, title: str, body: str, breaks: tuple[int, ...] = ()
) -> tuple[list[str], list[bool], list[Origin]]:
    """The words the model reads (the title, then windows of the body), with their origins.
    At breaks (the line ends of all-caps lines, see heading_breaks) windows are cut."""
    pieces: list[tuple[Field, int, int]] = []
    if title and not is_shouting(title):
        # Windows too: an all-caps headline, read in the article's case, is mostly
        # lower-case words that need no model.
        pieces += [("title", start, end) for start, end in body_windows(title)]
    pieces += [("body", start, end) for start, end in cut_at(body_windows(body), breaks)]
    texts = {"title": title, "body": body}
    # One tokenizer call for all pieces; a line break between pieces marks a gap. Line
    # breaks inside a piece become spaces: "Jaime Ongpin\nstarts" must not cut the name.
    joined = SEPARATOR.join(texts[f][a:b].replace("\n", " ") for f, a, b in pieces)
    offsets = []
    position = 0
    for _, a, b in pieces:
        offsets.append(position)
        position += b - a + len(SEPARATOR)
    words: list[str] = []
    spaces: list[bool] = []
    origins: list[Origin] = []
    piece = 0
    for token in nlp.make_doc(joined):
        while piece + 1 < len(pieces) and token.idx >= offsets[piece + 1]:
            piece += 1
        if token.is_space:
            if "\n" in token.text:
                words.append("\n")
                spaces.append(False)
                origins.append(None)
            elif spaces:
                spaces[-1] = True
            continue
        field, start, _ = pieces[piece]
        origin = start + token.idx - offsets[piece]
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
        origins.append((field, origin, origin + len(token.text)))
    return words, spaces, origins


def heading_breaks(body: str) -> tuple[int, ...]:
    """The line ends of a body's headings and list items: all-caps lines (not table rows,
    which the model never reads) and short lines followed by another short line. A name
    never runs on from one into the next line ("...WIN OVER PORTO" + "Aston Villa beat"
    is no "Porto Aston"; "The Rolling Stones" + "Paul McCartney" are two names). Wire
    copy wraps its prose in long lines (the first one may be short: the dateline was cut
    from it), so a name split across a line break there stays one ("the International" /
    "Coffee Organization")."""
    breaks = []
    end = -1
    lines = body.split("\n")
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        end += len(line) + 1
        listed = _is_short(line) and _is_short(following) and bool(following.strip())
        if listed or is_shouting(line) and not is_table_row(line):
            breaks.append(end)
    return tuple(breaks)


def _is_short(line: str) -> bool:
    return len(line.strip()) < LIST_ITEM


def cut_at(windows: list[tuple[int, int]], breaks: tuple[int, ...]) -> list[tuple[int, int]]:
    """The windows, each cut in two at every break inside it."""
    if not breaks:
        return windows
    cut = []
    for start, end in windows:
        for position in breaks:
            if start < position < end:
                cut.append((start, position))
                start = position + 1
        if start < end:
            cut.append((start, end))
    return cut


def body_windows(text: str) -> list[tuple[int, int]]:
    """Character ranges of the words within WINDOW of a name candidate, outside all-caps
    lines and table rows."""
    skipped = skipped_lines(text)
    matches = list(WORD.finditer(text))
    count = len(matches)
    keep = bytearray(count)
    usable = bytearray(b"\x01") * count
    sentence_start, line = True, 0
    for index, match in enumerate(matches):
        start = match.start()
        while line < len(skipped) and skipped[line][1] <= start:
            line += 1
        if line < len(skipped) and skipped[line][0] <= start:
            usable[index], sentence_start = 0, True
            continue
        word = match.group()
        core = word.strip(WORD_EDGES)
        if core[:1].isupper() or INNER_CAPITAL.match(core):
            if core.endswith(("'s", "’s")):
                core = core[:-2]
            if is_candidate(core, sentence_start):
                first, last = name_run(matches, index, usable)
                low, high = max(0, first - WINDOW), min(count, last + WINDOW + 1)
                keep[low:high] = b"\x01" * (high - low)
        sentence_start = word[-1] in SENTENCE_END_CHARACTERS
    windows: list[tuple[int, int]] = []
    for index, match in enumerate(matches):
        if not (keep[index] and usable[index]):
            continue
        if windows and index and keep[index - 1] and usable[index - 1]:
            windows[-1] = (windows[-1][0], match.end())
        else:
            windows.append((match.start(), match.end()))
    return windows


def name_run(matches: list[re.Match[str]], index: int, usable: bytearray) -> tuple[int, int]:
    """The run of capitalised words (and particles between them) around a candidate:
    "Bank of England" is read whole even though "England" alone is a known word."""
    first = last = index
    while first > 0 and usable[first - 1] and _in_name(matches, first - 1):
        first -= 1
    while last + 1 < len(matches) and usable[last + 1] and _in_name(matches, last + 1):
        last += 1
    return first, last


def _in_name(matches: list[re.Match[str]], index: int) -> bool:
    word = matches[index].group()
    if word in NAME_PARTICLES:  # "Bank of England", "Ursula von der Leyen"
        after = matches[index + 1].group() if index + 1 < len(matches) else ""
        before = matches[index - 1].group() if index else ""
        return (after[:1].isupper() or after in PARTICLES) and (
            before[:1].isupper() or before in PARTICLES
        )
    core = word.strip(WORD_EDGES)
    return core[:1].isupper() and not core.isupper() or len(core) > 1 and core.isupper()


def is_candidate(word: str, sentence_start: bool) -> bool:
    """Whether a capitalised word may start or be part of a name the model should see."""
    if sentence_start and word.lower() in STOP_WORDS:
        return False
    return word not in known_words()


@cache
def known_words() -> frozenset[str]:
    """Capitalised words that are never part of a person's or organisation's name alone."""
    # Seats of power stay candidates: "the Kremlin said" is an institution speaking.
    places = {form for form, place in load_gazetteer().items() if place.kind != "seat"}
    return frozenset(COMMON_CAPITALISED.split()) | frozenset(places)


def skipped_lines(text: str) -> list[tuple[int, int]]:
    """The character ranges of all-caps lines and table rows ("Shr 1.15 dlrs vs 1.05")."""
    ranges = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip() and (is_shouting(line) or is_table_row(line)):
            ranges.append((start, end))
        start = end + 1
    return ranges


def is_table_row(line: str) -> bool:
    """True for a line where at least a third of the words hold digits."""
    return len(WORD_WITH_DIGIT.findall(line)) * 3 >= len(line.split())
