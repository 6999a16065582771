"""Writing a new index generation fast: Whoosh's own files, fed in bulk by parallel processes.

Whoosh's writer handles every token and every posting in Python several times over: an
analyzer chain of generators per token, a sorting pool with a size estimate per posting,
a length lookup and a buffered append per posting at commit. On 200,000 news articles
that is most of a rebuild. This writer keeps Whoosh's file formats and the classes that
write them (per-document writer, terms table, posting blocks, TOC) and replaces only those
per-token and per-posting loops:

- text fields are analysed by `FastText`, which gives exactly what the field's
  StemmingAnalyzer chain gives (same tokens, stems, stop words, positions and encoded
  values; a test compares them), with a memo per distinct word instead of a chain per token;
- postings are gathered per term in arrays as documents arrive, then written term by term
  in whole blocks, so nothing is sorted or looked up per posting;
- a new generation's articles are split into contiguous shares written side by side by
  forked processes, each flushing a segment whenever its postings reach a memory budget.

Only a new generation (a first index or `--rebuild`) is written this way; updating a live
index keeps Whoosh's own writer, which knows how to delete and replace documents.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import signal
import traceback
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from pickle import dumps
from typing import Any, TypeVar

import numpy as np
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.analysis.filters import StopFilter, StripFilter
from whoosh.analysis.tokenizers import IDTokenizer
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

Item = TypeVar("Item")
Posting = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded value
BYTES_PER_POSTING = 40  # memory per posting held, measured with tracemalloc on Reuters: 37
MEMO_LIMIT = 1_000_000  # distinct tokens remembered per text field before starting afresh
PROGRESS_EVERY = 500  # documents between a writer process's progress updates
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")


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
        field_boost: float,
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
        self.boost = field_boost

    @classmethod
    def for_field(cls, field: Any) -> FastText | None:
        """A FastText for a field whose analysis it reproduces exactly, else None."""
        analyzer = getattr(field, "analyzer", None)
        if type(field.format) is not Positions or not isinstance(analyzer, CompositeAnalyzer):
            return None
        parts = list(analyzer.items)
        kinds = [type(part) for part in parts]
        if kinds != [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter]:
            return None
        tokenizer, _, stops, stemmer = parts
        if tokenizer.gaps or not stops.renumber or stemmer.lang:
            return None
        return cls(tokenizer, stops, stemmer, field.format.field_boost)

    def index(self, text: str) -> list[Posting]:
        """(term bytes, frequency, weight, encoded positions) for each distinct term."""
        postings = TextPostings(self)
        postings.add_text(text, 0)
        return [
            (term, len(Positions().decode_positions(values[0])), float(weights[0]), values[0])
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


class TextPostings:
    """A text field's words in a segment: one entry per kept token, grouped at the end.

    Per document only C-level work is done (a regex, a dict lookup per token through
    `map`, three array extends); the grouping into postings and their encoded positions
    is done once per segment with numpy, when the segment is written.
    """

    def __init__(self, text: FastText) -> None:
        self.text = text
        self.vocabulary: dict[bytes, int] = {}  # term -> its number here
        self.stems: list[bytes] = []  # number -> term
        self._numbers = _TermNumbers(text, self)
        self._terms = array("i")  # per kept token: its term's number
        self._docs = array("I")  # its document
        self._positions = array("I")  # its renumbered position

    def number(self, stem: bytes) -> int:
        number = self.vocabulary.get(stem)
        if number is None:
            number = self.vocabulary[stem] = len(self.stems)
            self.stems.append(stem)
        return number

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
        order = np.argsort(np.frombuffer(self._terms, dtype=np.int32), kind="stable")
        terms = np.frombuffer(self._terms, dtype=np.int32)[order]
        docs = np.frombuffer(self._docs, dtype=np.uint32)[order]
        positions = np.frombuffer(self._positions, dtype=np.uint32)[order]
        del order
        # A posting is a run of one term in one document (tokens came in document order).
        new = np.ones(len(terms), dtype=bool)
        new[1:] = (terms[1:] != terms[:-1]) | (docs[1:] != docs[:-1])
        starts = np.flatnonzero(new)
        counts = np.diff(np.append(starts, len(terms)))
        values = list(map(_LoneValues().__getitem__, positions[starts].tolist()))
        # Positions.encode for terms found more than once: the count, the pickled gaps.
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
        weights = (counts * self.text.boost).astype(np.float32)
        posting_terms, posting_docs = terms[starts], docs[starts]
        bounds = np.flatnonzero(np.diff(posting_terms)) + 1
        firsts = np.concatenate(([0], bounds))
        ends = np.append(bounds, len(posting_terms))
        numbers = posting_terms[firsts].tolist()
        for index in sorted(range(len(numbers)), key=lambda i: self.stems[numbers[i]]):
            start, end = int(firsts[index]), int(ends[index])
            yield (
                self.stems[numbers[index]],
                posting_docs[start:end],
                weights[start:end],
                values[start:end],
            )


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


class FieldPostings:
    """A field's postings in a segment, in the order they arrive (by document)."""

    def __init__(self) -> None:
        self.vocabulary: dict[bytes, int] = {}  # term -> its number here
        self.stems: list[bytes] = []  # number -> term
        self.terms = array("I")  # per posting: the term's number
        self.docs = array("I")  # the document
        self.weights = array("f")  # the term's weight in it
        self.values: list[bytes] = []  # the encoded value (positions, frequency or nothing)

    def add_term(self, term: bytes) -> int:
        number = self.vocabulary[term] = len(self.stems)
        self.stems.append(term)
        return number

    def add(self, term: bytes, docnum: int, weight: float, value: bytes) -> None:
        number = self.vocabulary.get(term)
        if number is None:
            number = self.add_term(term)
        self.terms.append(number)
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
        counts = np.bincount(numbers, minlength=len(self.stems))
        starts = np.concatenate(([0], np.cumsum(counts)))
        for number in sorted(range(len(self.stems)), key=self.stems.__getitem__):
            start, end = int(starts[number]), int(starts[number + 1])
            yield (
                self.stems[number],
                docs[start:end],
                weights[start:end],
                values[start:end],
            )


class BulkSegmentWriter(SegmentWriter):
    """A Whoosh SegmentWriter whose documents' postings are gathered per field, not pooled.

    Writes one segment and takes no lock: the caller holds the index's writer lock and
    commits the segments it is given. Documents go in with `add_document` as usual.
    """

    def __init__(self, ix: Any) -> None:
        super().__init__(ix, _lk=False, compound=False)
        self._text = {name: FastText.for_field(field) for name, field in self.schema.items()}
        self._simple = {name: simple_index(field) for name, field in self.schema.items()}
        self._postings: dict[str, FieldPostings | TextPostings] = {}
        self._lengths: dict[str, array[int]] = {}
        self.postings = 0

    def add_document(self, **fields: Any) -> None:
        """Add a document: postings to memory, stored values and columns to disk."""
        schema = self.schema
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None or name.startswith("_"):
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                postings = self._postings.get(name)
                fast = self._text[name]
                if postings is None:
                    postings = FieldPostings() if fast is None else TextPostings(fast)
                    self._postings[name] = postings
                if isinstance(postings, TextPostings):
                    length, added = postings.add_text(value, docnum)
                else:
                    simple = self._simple[name]
                    items = simple(value) if simple is not None else field.index(value)
                    length, added = _add_postings(items, postings, docnum)
                self.postings += added
                if field.scorable:
                    lengths = self._lengths.setdefault(name, array("I"))
                    lengths.extend(repeat(0, docnum - len(lengths)))
                    lengths.append(length)
                else:
                    length = 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write every field's terms in order, each term's postings in whole blocks."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self._postings):
            lengths = self._lengths.get(name)
            writer.start_field(name, self.schema[name])
            for term, docs, weights, values in self._postings[name].by_term():
                writer.start_term(term)
                _write_postings(writer._postwriter, docs, weights, values, lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self._postings.clear()

    def finish(self) -> Any:
        """Close the segment's files; the segment, for the caller to commit.

        The temporary directory stays: every writer of the index shares it (Whoosh names
        it after the index), and the committer's writer removes it at the end.
        """
        segment = self._finalize_segment()
        self.is_closed = True
        return segment

    def cancel(self) -> None:
        """Give up the segment; like `finish`, leave the shared temporary directory alone."""
        self._close_segment()
        self.is_closed = True


def _add_postings(
    items: Iterable[Posting], postings: FieldPostings, docnum: int
) -> tuple[int, int]:
    """A field's analysed terms, added to its postings as document `docnum`."""
    length = added = 0
    for term, frequency, weight, encoded in items:
        postings.add(term, docnum, weight, encoded)
        length += frequency
        added += 1
    return length, added


def _write_postings(
    postwriter: Any,
    docs: np.ndarray,
    weights: np.ndarray,
    values: list[bytes],
    lengths: array[int] | None,
) -> None:
    """Hand a term's postings to Whoosh's block writer a block at a time.

    Exactly what W3PostingsWriter.add_posting would build one posting at a time: full
    blocks are written as they fill, the last one by finish_postings.
    """
    limit = postwriter._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            postwriter._write_block()
        block = docs[start : start + limit].tolist()
        block_weights = weights[start : start + limit].tolist()
        postwriter._ids = block
        postwriter._weights = block_weights
        postwriter._values = values[start : start + limit]
        postwriter._maxweight = max(0, max(block_weights))
        if lengths is not None:
            sizes = [lengths[doc] for doc in block if lengths[doc]]
            if sizes:
                postwriter._minlength = min(sizes)
                postwriter._maxlength = max(sizes)


def write_generation(
    ix: Any,
    items: Sequence[Item],
    to_document: Callable[[Item], dict[str, Any]],
    *,
    processes: int,
    memory_mb: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write every item as a document of a new (empty) index, in `processes` processes.

    The segments are committed together at the end, or not at all.
    """
    segments = write_segments(
        ix, items, to_document, processes=processes, memory_mb=memory_mb, progress=progress
    )
    commit_with(SegmentWriter(ix), segments)


def write_segments(
    ix: Any,
    items: Sequence[Item],
    to_document: Callable[[Item], dict[str, Any]],
    *,
    processes: int,
    memory_mb: int,
    progress: Callable[[int], None] | None = None,
) -> list[Any]:
    """Segments holding every item as a document, written but not committed.

    Each of `processes` processes writes a contiguous share, so documents keep the items'
    order; each flushes a segment when its postings reach its part of `memory_mb`.
    """
    processes = max(1, min(processes, len(items) // 1000 + 1))
    budget = memory_mb * 1024 * 1024 // processes // BYTES_PER_POSTING
    bounds = [len(items) * k // processes for k in range(processes + 1)]
    if processes == 1:
        return _write_share(ix, items, to_document, budget, progress)
    return _write_in_children(ix, items, to_document, bounds, budget, progress)


def commit_with(writer: Any, segments: list[Any]) -> None:
    """Commit a Whoosh writer's own changes and segments written beside it, in one TOC.

    What SegmentWriter.commit does, with the extra segments listed after its own.
    """
    try:
        final = writer._merge_segments(None, None, None)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(final + segments)
    finally:
        writer._finish()


def _write_share(
    ix: Any,
    items: Sequence[Item],
    to_document: Callable[[Item], dict[str, Any]],
    budget: int,
    progress: Callable[[int], None] | None,
) -> list[Any]:
    segments = []
    writer = BulkSegmentWriter(ix)
    try:
        for done, item in enumerate(items, 1):
            writer.add_document(**to_document(item))
            if writer.postings >= budget:
                segments.append(writer.finish())
                writer = BulkSegmentWriter(ix)
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)
        if writer.docnum:
            segments.append(writer.finish())
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    if progress:
        progress(len(items))
    return segments


def _write_in_children(
    ix: Any,
    items: Sequence[Item],
    to_document: Callable[[Item], dict[str, Any]],
    bounds: list[int],
    budget: int,
    progress: Callable[[int], None] | None,
) -> list[Any]:
    """Fork one writer per share; their segments in share order, or the first failure."""
    # fork, not spawn: the children inherit the items and the resolver instead of
    # receiving pickled copies, and they import nothing, so no lock held by a thread
    # elsewhere in the parent is needed in them.
    context = multiprocessing.get_context("fork")
    done = context.Array("q", len(bounds) - 1)
    children = []
    for share in range(len(bounds) - 1):
        receiver, sender = context.Pipe(duplex=False)
        share_items = items[bounds[share] : bounds[share + 1]]
        child = context.Process(
            target=_child,
            args=(os.getpid(), ix, share_items, to_document, budget, done, share, sender),
            daemon=True,
        )
        child.start()
        sender.close()
        children.append((child, receiver))
    results: list[Any] = [None] * len(children)
    try:
        pending = set(range(len(children)))
        while pending:
            for share in list(pending):
                child, receiver = children[share]
                if receiver.poll(0.2):
                    results[share] = receiver.recv()
                    pending.discard(share)
                elif not child.is_alive() and not receiver.poll():
                    results[share] = ("failed", f"writer process exited with code {child.exitcode}")
                    pending.discard(share)
            if progress:
                progress(sum(done[:]))
    finally:
        for child, receiver in children:
            receiver.close()
            child.join(timeout=5)
            if child.is_alive():
                child.kill()
    segments = []
    for outcome, value in results:
        if outcome != "done":
            raise RuntimeError(f"an index writer process failed: {value}")
        segments.extend(value)
    return segments


def _child(
    parent: int,
    ix: Any,
    items: Sequence[Item],
    to_document: Callable[[Item], dict[str, Any]],
    budget: int,
    done: Any,
    share: int,
    sender: Any,
) -> None:
    _die_with_parent(parent)
    try:

        def count(written: int) -> None:
            done[share] = written

        segments = _write_share(ix, items, to_document, budget, count)
        sender.send(("done", segments))
    except BaseException as error:
        last = traceback.extract_tb(error.__traceback__)[-1:]
        where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
        sender.send(("failed", f"{type(error).__name__}: {error}{where}"))
    finally:
        sender.close()


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies, so no writer outlives a kill."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
