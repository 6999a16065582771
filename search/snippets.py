"""Snippets: the query's words marked in their context, found without re-analysing whole texts.

Whoosh's highlighter runs the full analyzer over every token of every hit: at 20 hits of
long articles that is most of a search. Here one regex finds the words that could stem to
a query word (they start with all but its last letter: stems only cut or change an
ending), and only those go through the analyzer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape

from search.bounded import BoundedCache

SURROUND_CHARS = 60  # context kept either side of a marked word
MAX_MARKS = 12  # marks looked for per field; the snippet shows the first ones
ELLIPSIS = "…"
SEPARATOR = f" {ELLIPSIS} "  # between fragments: "…a … b…"
SPACE = re.compile(r"\s+")
STEMMED_WORDS = 50_000  # words whose stems are remembered: a few MB
Analyzer = Callable[[str], Iterable[object]]  # tokens with a .text, or the stems themselves


class WordStems:
    """The stems an analyzer makes of single words, remembered across articles and threads.

    Articles share most of their words, and analysing a candidate word was a third of a
    snippet. Each thread passes its own analyzer; only the stems are shared.
    """

    def __init__(self, size: int = STEMMED_WORDS) -> None:
        # Tuples of strings, not sets: the garbage collector stops tracking those.
        self._stems: BoundedCache[tuple[str, ...]] = BoundedCache(size)

    def analyzer(self, field: str, analyzer: Analyzer) -> Callable[[str], tuple[str, ...]]:
        """`analyzer` for one word at a time, its stems of each word remembered."""

        def stems_of(word: str) -> tuple[str, ...]:
            key = (field, word)
            found = self._stems.get(key)
            if found is None:
                stems = tuple(str(getattr(token, "text", token)) for token in analyzer(word))
                found = self._stems.put(key, stems)
            return found

        return stems_of


def find_words(text: str, stems: frozenset[str], analyzer: Analyzer) -> list[tuple[int, int]]:
    """Character spans of the words in text that the analyzer turns into one of `stems`."""
    prefixes = sorted({stem[: max(1, len(stem) - 1)] for stem in stems}, key=len, reverse=True)
    candidates = re.compile(
        r"\b(?:" + "|".join(map(re.escape, prefixes)) + r")\w*(?:\.\w+)*", re.IGNORECASE
    )
    spans: list[tuple[int, int]] = []
    for match in candidates.finditer(text):
        if any(getattr(token, "text", token) in stems for token in analyzer(match.group())):
            spans.append(match.span())
            if len(spans) == MAX_MARKS:
                break
    return spans


def group_spans(spans: list[tuple[int, int]], text_length: int) -> list[list[tuple[int, int]]]:
    """Marked spans grouped into fragments whose contexts overlap."""
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[0] - SURROUND_CHARS <= groups[-1][-1][1] + SURROUND_CHARS:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def fragment_bounds(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """Where a fragment around the spans starts and ends: at word boundaries, never mid-word.

    The context either side is cut at the last whole word that fits; where a single word
    runs past the limit, the fragment starts or ends with the marked word itself.
    """
    start = max(0, spans[0][0] - SURROUND_CHARS)
    end = min(len(text), max(spans[-1][1] + SURROUND_CHARS, start + 1), start + max_chars)
    if start > 0 and not text[start - 1].isspace():
        space = SPACE.search(text, start, spans[0][0])
        start = space.end() if space else spans[0][0]
    if end < len(text) and not text[end].isspace():
        last_space = max(
            (match.start() for match in SPACE.finditer(text, spans[-1][1], end)),
            default=None,
        )
        end = last_space if last_space is not None else spans[-1][1]
    return start, max(end, start)


def format_fragment(text: str, spans: list[tuple[int, int]], max_chars: int) -> str:
    """One fragment: the spans in <mark>, their context escaped, '…' where the text goes on."""
    start, end = fragment_bounds(text, spans, max_chars)
    parts, position = [], start
    for span_start, span_end in spans:
        if span_end > end:
            break
        parts.append(escape(text[position:span_start], quote=False))
        parts.append(f"<mark>{escape(text[span_start:span_end], quote=False)}</mark>")
        position = span_end
    parts.append(escape(text[position:end], quote=False))
    fragment = " ".join("".join(parts).split())
    before = ELLIPSIS if text[:start].strip() else ""
    after = ELLIPSIS if text[end:].strip() else ""
    return f"{before}{fragment}{after}"


def make_snippet(
    text: str, stems: frozenset[str], analyzer: Analyzer, fragments: int, max_chars: int
) -> str:
    """Up to `fragments` fragments of text with the query's words marked; '' if none occur."""
    if not stems:
        return ""
    spans = find_words(text, stems, analyzer)
    if not spans:
        return ""
    groups = group_spans(spans, len(text))[:fragments]
    joined = " ".join(format_fragment(text, group, max_chars) for group in groups)
    # Each fragment says where the text goes on; between two, one ellipsis says it.
    return joined.replace(f"{ELLIPSIS} {ELLIPSIS}", SEPARATOR)
