"""A segment's postings gathered in memory, analysed exactly as Whoosh's analyzers would.

Whoosh's writer analyses text through a chain of generators per token and handles every
posting several times. Here:

- text fields are analysed by `FastText`, which gives exactly what the field's
  StemmingAnalyzer chain gives (same tokens, stems, stop words, positions and encoded
  values; tests compare them), and `TextPostings` keeps one entry per kept token in flat
  arrays, grouped into postings with numpy once per segment;
- identifiers and comma-separated keywords get the same shortcut (`simple_index`);
- any other field is analysed by Whoosh and its postings kept in `FieldPostings`.

Part of the Whoosh seam: docs/architecture.md lists the modules that import whoosh.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.analysis.filters import StopFilter, StripFilter
from whoosh.analysis.tokenizers import IDTokenizer
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint

Posting = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded value
MEMO_LIMIT = 1_000_000  # distinct tokens remembered per text field before starting afresh
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")
POSITION_TYPE = np.dtype("<u4")  # ArrayPositions: each word position, 4 bytes little-endian
COUNT_BYTES = len(pack_uint(0))  # the count before the positions, as Positions writes it


class ArrayPositions(Positions):
    """Whoosh's Positions format with the positions as raw 4-byte integers, not a pickle.

    A value is the count (as Positions has it, so Whoosh reads frequencies the same way)
    followed by the absolute positions, so a whole posting block's values decode with one
    join and one numpy view (matching.py) instead of one unpickling per posting.
    """

    def encode(self, poslist: Iterable[int]) -> bytes:
        """The value of a term's positions in one document."""
        positions = np.asarray(list(poslist), dtype=POSITION_TYPE)
        return pack_uint(len(positions)) + positions.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions a value holds, in order."""
        return np.frombuffer(valuestring, dtype=POSITION_TYPE, offset=COUNT_BYTES).tolist()


def position_values(positions: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> list[bytes]:
    """ArrayPositions values of many postings at once: posting i holds `counts[i]` positions
    from `starts[i]` of `positions` (all postings' positions, one after another)."""
    words = np.empty(len(positions) + len(starts), dtype=POSITION_TYPE)
    heads = starts + np.arange(len(starts))  # each posting's count goes before its positions
    slots = np.ones(len(words), dtype=bool)
    slots[heads] = False
    words[slots] = positions
    words[heads] = counts.astype(">u4").view(POSITION_TYPE)  # pack_uint is big-endian
    data = words.tobytes()
    bounds = (heads * 4).tolist() + [len(data)]
    return list(map(data.__getitem__, map(slice, bounds[:-1], bounds[1:])))


class FastText:
    """A text field's index values, computed the way its analyzer chain would compute them.

    Built only for the chain `StemmingAnalyzer` makes (a regex tokenizer, lower case,
    stop words removed with positions renumbered, a stemmer) and the Positions format;
    `for_field` returns None for anything else, and the writer then asks Whoosh.
    """

    def __init__(
        self,
        tokenizer: RegexTokenizer,
        stops: StopFilter,
        stemmer: StemFilter,
        form: Positions,
    ) -> None:
        pattern = tokenizer.expression
        plain = re.compile(_CAPTURING.sub("(?:", pattern.pattern), pattern.flags)
        self._findall = plain.findall if plain.groups == 0 else None
        self._finditer = pattern.finditer
        self._stops = stops.stops
        self._min = stops.min
        self._max = stops.max
        self._stem = stemmer.stemfn
        self._ignore = stemmer.ignore
        self.format = form
        self.boost = form.field_boost

    @classmethod
    def for_field(cls, field: Any) -> FastText | None:
        """A FastText for a field whose analysis it reproduces exactly, else None."""
        analyzer = getattr(field, "analyzer", None)
        if type(field.format) not in (Positions, ArrayPositions):
            return None
        if not isinstance(analyzer, CompositeAnalyzer):
            return None
        parts = list(analyzer.items)
        kinds = [type(part) for part in parts]
        if kinds != [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter]:
            return None
        tokenizer, _, stops, stemmer = parts
        if tokenizer.gaps or not stops.renumber or stemmer.lang:
            return None
        return cls(tokenizer, stops, stemmer, field.format)

    def index(self, text: str) -> list[Posting]:
        """(term bytes, frequency, weight, encoded positions) for each distinct term."""
        postings = TextPostings(self)
        postings.add_text(text, 0)
        return [
            (term, len(self.format.decode_positions(values[0])), float(weights[0]), values[0])
            for term, _, weights, values in postings.by_term()
        ]

    def words(self, text: str) -> list[str]:
        """The tokenizer's tokens, as written."""
        if self._findall is not None:
            return self._findall(text)
        return [match.group(0) for match in self._finditer(text)]

    def analyse(self, word: str) -> bytes | None:
        """A token's term: lower case, stemmed, as bytes; None for a stop word."""
        text = word.lower()
        size = len(text)
        if size < self._min or (self._max is not None and size > self._max) or text in self._stops:
            return None
        if text not in self._ignore:
            text = self._stem(text)
        return text.encode("utf-8")


class _TermNumbers(dict[str, int]):
    """Token as written -> its term's number in a segment's vocabulary; -1 for a stop word."""

    def __init__(self, text: FastText, postings: TextPostings) -> None:
        super().__init__()
        self.text = text
        self.postings = postings

    def __missing__(self, word: str) -> int:
        stem = self.text.analyse(word)
        number = -1 if stem is None else self.postings.number(stem)
        self[word] = number
        return number


class _LoneValues(dict[int, bytes]):
    """Position -> the encoded value of a term found once, at that position."""

    def __missing__(self, position: int) -> bytes:
        value = self[position] = pack_uint(1) + dumps([position], 2)
        return value


class Vocabulary:
    """A segment's terms of one field, numbered in the order they first come."""

    def __init__(self) -> None:
        self.vocabulary: dict[bytes, int] = {}  # term -> its number here
        self.stems: list[bytes] = []  # number -> term

    def number(self, stem: bytes) -> int:
        """The term's number, given it now if it has none yet."""
        number = self.vocabulary.get(stem)
        if number is None:
            number = self.vocabulary[stem] = len(self.stems)
            self.stems.append(stem)
        return number

    def in_term_order(
        self, numbers: np.ndarray, docs: np.ndarray, weights: np.ndarray, values: list[bytes]
    ) -> Iterator[tuple[bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """Each term in byte order with its slice of postings sorted by term number."""
        counts = np.bincount(numbers, minlength=len(self.stems))
        starts = np.concatenate(([0], np.cumsum(counts))).tolist()
        for number in sorted(range(len(self.stems)), key=self.stems.__getitem__):
            start, end = starts[number], starts[number + 1]
            if start < end:
                yield self.stems[number], docs[start:end], weights[start:end], values[start:end]


class TextPostings(Vocabulary):
    """A text field's words in a segment: one entry per kept token, grouped at the end.

    Per document only C-level work is done (a regex, a dict lookup per token through
    `map`, three array extends); the grouping into postings and their encoded positions
    is done once per segment with numpy, when the segment is written.
    """

    def __init__(self, text: FastText) -> None:
        super().__init__()
        self.text = text
        self._numbers = _TermNumbers(text, self)
        self._terms = array("i")  # per kept token: its term's number
        self._docs = array("I")  # its document
        self._positions = array("I")  # its renumbered position
        # After by_term: every kept token's term number, document and position, by term.
        self.occurrences: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def add_text(self, text: str, docnum: int) -> tuple[int, int]:
        """Add a document's text; its length in words, and the entries held for it."""
        if len(self._numbers) > MEMO_LIMIT:
            self._numbers = _TermNumbers(self.text, self)
        numbers = list(map(self._numbers.__getitem__, self.text.words(text)))
        kept = [number for number in numbers if number >= 0]
        if not kept:
            return 0, 0
        # Renumbered positions: the first kept word keeps its place, the rest follow on.
        first = next(index for index, number in enumerate(numbers) if number >= 0)
        self._terms.extend(kept)
        self._docs.extend(repeat(docnum, len(kept)))
        self._positions.extend(range(first, first + len(kept)))
        return len(kept), len(kept)

    def by_term(self) -> Iterator[tuple[bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """Each term in byte order with its documents, weights and values in document order."""
        if not self._terms:
            return
        tokens = np.frombuffer(self._terms, dtype=np.int32)
        order = np.argsort(tokens, kind="stable")
        terms = tokens[order]
        docs = np.frombuffer(self._docs, dtype=np.uint32)[order]
        positions = np.frombuffer(self._positions, dtype=np.uint32)[order]
        del order
        self.occurrences = (terms, docs, positions)
        # A posting is a run of one term in one document (tokens came in document order).
        new = np.ones(len(terms), dtype=bool)
        new[1:] = (terms[1:] != terms[:-1]) | (docs[1:] != docs[:-1])
        starts = np.flatnonzero(new)
        counts = np.diff(np.append(starts, len(terms)))
        if type(self.text.format) is ArrayPositions:
            values = position_values(positions, starts, counts)
        else:
            values = pickled_positions(positions, starts, counts)
        weights = (counts * self.text.boost).astype(np.float32)
        yield from self.in_term_order(terms[starts], docs[starts], weights, values)


def pickled_positions(positions: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> list[bytes]:
    """Whoosh's own Positions values (the count, the pickled gaps) of many postings at once,
    for indexes written before ArrayPositions."""
    values = list(map(_LoneValues().__getitem__, positions[starts].tolist()))
    gaps = positions.astype(np.int64)
    gaps[1:] -= positions[:-1]
    gaps[starts] = positions[starts]
    repeated = counts > 1
    gap_list = gaps[np.repeat(repeated, counts)].tolist()
    cursor = 0
    for index, count in zip(
        np.flatnonzero(repeated).tolist(), counts[repeated].tolist(), strict=True
    ):
        values[index] = pack_uint(count) + dumps(gap_list[cursor : cursor + count], 2)
        cursor += count
    return values


def simple_index(field: Any) -> Callable[[str], list[Posting]] | None:
    """A fast equivalent of `field.index` for ID fields and comma-separated keywords, or None.

    An ID field's value is one term (Existence format); a comma-separated KEYWORD field's
    terms are the stripped pieces between commas, with their counts (Frequency format).
    """
    analyzer, form = getattr(field, "analyzer", None), getattr(field, "format", None)
    if form is None:
        return None
    boost = form.field_boost
    if type(analyzer) is IDTokenizer and type(form) is Existence:

        def identifier(value: str) -> list[Posting]:
            return [(value.encode("utf-8"), 1, boost, b"")]

        return identifier
    parts = list(getattr(analyzer, "items", []))
    if (
        [type(part) for part in parts] == [RegexTokenizer, StripFilter]
        and parts[0].expression.pattern == "[^,]+"
        and not parts[0].gaps
        and type(form) is Frequency
    ):

        def keywords(value: str) -> list[Posting]:
            counts = Counter(piece.strip() for piece in value.split(",") if piece)
            return [
                (word.encode("utf-8"), count, count * boost, pack_uint(count))
                for word, count in counts.items()
            ]

        return keywords
    return None


class FieldPostings(Vocabulary):
    """A field's postings in a segment, in the order they arrive (by document)."""

    def __init__(self) -> None:
        super().__init__()
        self.terms = array("I")  # per posting: the term's number
        self.docs = array("I")  # the document
        self.weights = array("f")  # the term's weight in it
        self.values: list[bytes] = []  # the encoded value (positions, frequency or nothing)

    def add(self, term: bytes, docnum: int, weight: float, value: bytes) -> None:
        self.terms.append(self.number(term))
        self.docs.append(docnum)
        self.weights.append(weight)
        self.values.append(value)

    def by_term(self) -> Iterator[tuple[bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """Each term in byte order with its documents, weights and values in document order."""
        if not self.stems:
            return
        numbers = np.frombuffer(self.terms, dtype=np.uint32)
        order = np.argsort(numbers, kind="stable")  # postings came in document order
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        weights = np.frombuffer(self.weights, dtype=np.float32)[order]
        values = list(map(self.values.__getitem__, order.tolist()))
        yield from self.in_term_order(numbers[order], docs, weights, values)


def add_postings(items: Iterable[Posting], postings: FieldPostings, docnum: int) -> tuple[int, int]:
    """A field's analysed terms, added to its postings as document `docnum`."""
    length = added = 0
    for term, frequency, weight, encoded in items:
        postings.add(term, docnum, weight, encoded)
        length += frequency
        added += 1
    return length, added
