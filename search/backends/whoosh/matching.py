"""Queries evaluated over numpy arrays: the matching documents and their BM25 scores.

Whoosh matches and scores one posting at a time in Python: a term in most of 200,000
articles costs seconds. Here each term's postings are read block by block into arrays
(remembered per index version and shared by every thread, within a memory budget),
boolean operators become array operations, and BM25 (Whoosh's formula and constants) is
computed for all matches at once. Phrases (exact or with a slop) intersect their
words' positions as arrays (position_files.py reads them); other
position-dependent queries are narrowed by their terms first and then checked by
Whoosh on those candidates only. The block reading goes through
whoosh_internals.py, the one module that uses private names of Whoosh.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as whoosh_query
from whoosh.util.numeric import byte_to_length

from search.backends.whoosh.position_files import PositionTables, read_positions
from search.backends.whoosh.postings import ArrayPositions
from search.backends.whoosh.term_arrays import TermTable, load_table
from search.backends.whoosh.whoosh_internals import (
    expanded_texts,
    field_terms,
    length_codes,
    numeric_array,
    posting_blocks,
    reads_by_block,
    segment_location,
    without_deletions,
)
from search.bounded import BoundedCache

BM25_B = 0.75  # Whoosh's defaults, so rankings agree with its own
BM25_K1 = 1.2
POSTINGS_BUDGET_BYTES = 128 * 1024 * 1024  # recently used terms' arrays kept per index version
LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class Matches:
    """Documents a query matches (a boolean array) and their scores (zero elsewhere)."""

    mask: np.ndarray
    scores: np.ndarray


class PostingsCache:
    """One index version's posting arrays and field lengths, shared by every thread.

    The arrays never change once read, so threads share them freely; only the Whoosh
    readers that read them are per thread (a reader's file position is not shareable).
    Without sharing, each server thread would read and hold every term again.
    """

    def __init__(self, budget: int = POSTINGS_BUDGET_BYTES) -> None:
        self.arrays: BoundedCache[tuple[np.ndarray, np.ndarray]] = BoundedCache(
            budget, weigh=lambda pair: pair[0].nbytes + pair[1].nbytes
        )
        self.lengths: dict[str, np.ndarray] = {}
        self.alive: np.ndarray | None = None
        self.positions = PositionTables()  # the segments' word positions, mapped
        self.tables: Tables = {}  # each segment's term tables, mapped when first needed


class PostingsReader:
    """A searcher's postings and field lengths as arrays, read once and remembered.

    Pass the PostingsCache of the searcher's index version to share what other threads
    have read already; without one, this reader remembers only what it reads itself.
    """

    def __init__(self, searcher: Any, cache: PostingsCache | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.cache = cache if cache is not None else PostingsCache()

    def postings(self, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term and the term's frequency in each."""
        key = (field, text, "frequencies")
        found = self.cache.arrays.get(key)
        if found is None:  # two threads may both read a new term: the same arrays, no harm
            read = read_postings(self.reader, field, text, self.cache.tables)
            found = self.cache.arrays.put(key, read)
        return found

    def positions(self, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of a term: its document and word position, in document order.

        Where positions are arrays, the term's postings follow from them (each document
        and its count of occurrences), so a phrase reads each word's blocks once, not twice.
        """
        key = (field, text, "positions")
        found = self.cache.arrays.get(key)
        if found is None:
            found = read_positions(self.reader, field, text, self.cache.positions)
            found = self.cache.arrays.put(key, found)
            field_format = self.reader.schema[field].format
            frequencies = (field, text, "frequencies")
            if (
                isinstance(field_format, ArrayPositions)
                and self.cache.arrays.get(frequencies) is None
            ):
                documents, counts = sorted_runs(found[0])
                weights = (counts * field_format.field_boost).astype(np.float32)
                self.cache.arrays.put(frequencies, (documents, weights))
        return found

    def alive(self) -> np.ndarray:
        """True for every document not deleted."""
        if self.cache.alive is None:
            alive = alive_documents(self.reader)
            self.cache.alive = np.ones(self.size, dtype=bool) if alive is None else alive
        return self.cache.alive

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in a field, as Whoosh stores it (one byte, approximate)."""
        lengths = self.cache.lengths.get(field)
        if lengths is None:
            lengths = self.cache.lengths[field] = read_lengths(self.reader, field, self.size)
        return lengths


def sorted_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value of a sorted array and how many times it comes, in one pass
    (np.unique sorts again: tens of milliseconds for a common word's occurrences)."""
    if not len(values):
        return values, np.zeros(0, dtype=np.int64)
    new = np.empty(len(values), dtype=bool)
    new[0] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return values[starts], np.diff(np.append(starts, len(values)))


def alive_documents(reader: Any) -> np.ndarray | None:
    """True for every document not deleted; None when the reader has no deletions."""
    if not reader.has_deletions():
        return None
    alive = np.ones(reader.doc_count_all(), dtype=bool)
    for segment, offset in reader.leaf_readers():
        deleted = np.fromiter(segment.segment().deleted_docs(), dtype=np.int64)
        alive[deleted + offset] = False
    return alive


def read_postings(
    reader: Any, field: str, text: Any, tables: Tables | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings over every segment: document numbers and frequencies, sliced
    from the segment's term table where it has one (`tables` keeps those opened)."""
    ids, weights = [], []
    for segment, offset in reader.leaf_readers():
        table = segment_table(segment, field, {} if tables is None else tables)
        if table is not None:
            found = table.postings(as_bytes(segment, field, text))
            if found is None:
                continue
            leaf_ids, leaf_weights = without_deleted(segment, *found)
        elif (field, text) in segment:
            leaf_ids, leaf_weights = read_leaf(segment.postings(field, text))
        else:
            continue
        ids.append(leaf_ids + offset)
        weights.append(leaf_weights)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


Tables = dict[tuple[str, str], TermTable | None]  # (segment id, field) -> its term table


def segment_table(segment: Any, field: str, tables: Tables) -> TermTable | None:
    """A segment's term table of a field, mapped once and kept in `tables`."""
    key = (segment_location(segment)[1], field)
    if key not in tables:
        tables[key] = load_table(segment, field)
    return tables[key]


def as_bytes(segment: Any, field: str, text: Any) -> bytes:
    """A term's text as the index stores it."""
    return text if isinstance(text, bytes) else segment.schema[field].to_bytes(text)


def without_deleted(
    segment: Any, documents: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A segment's postings (as int64 document numbers) without its deleted documents."""
    documents = documents.astype(np.int64)
    if segment.has_deletions():
        deleted = np.fromiter(segment.segment().deleted_docs(), dtype=np.int64)
        keep = ~np.isin(documents, deleted)
        return documents[keep], weights[keep]
    return documents, np.array(weights)


def field_postings(segment: Any, field: str) -> Iterator[tuple[str, np.ndarray]]:
    """Each term of a field in one segment with its documents (deleted ones included)."""
    for text, matcher in field_terms(segment, field):
        yield _text(text), read_leaf(matcher)[0]


def _text(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def read_leaf(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """One segment's postings, a block at a time where the codec allows it."""
    deleted, matcher = without_deletions(matcher)
    if reads_by_block(matcher):
        ids, weights = read_blocks(matcher)
    else:
        pairs = [(matcher.id(), matcher.weight()) for _ in _each(matcher)]
        ids = np.array([p[0] for p in pairs], dtype=np.int64)
        weights = np.array([p[1] for p in pairs], dtype=np.float32)
    if deleted:
        keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64))
        ids, weights = ids[keep], weights[keep]
    return ids, weights


def _each(matcher: Any) -> Any:
    while matcher.is_active():
        yield
        matcher.next()


def read_blocks(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Decode a Whoosh 3 posting list block by block: ids are delta-coded, weights floats."""
    ids, weights = [], []
    for deltas, block_weights, count in posting_blocks(matcher):
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float32))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def read_lengths(reader: Any, field: str, size: int) -> np.ndarray:
    """Field lengths of every document, decoded from Whoosh's one-byte length columns."""
    parts = []
    for segment, _ in reader.leaf_readers():
        count = segment.doc_count_all()
        column = length_codes(segment, field)
        if column is None:
            parts.append(np.ones(count, dtype=np.float32))
            continue
        codes = numeric_array(column)
        if codes is None:
            codes = np.fromiter(iter(column), dtype=np.uint8, count=count)
        parts.append(LENGTH_TABLE[codes])
    return np.concatenate(parts) if parts else np.zeros(size, dtype=np.float32)


def evaluate(postings: PostingsReader, node: Any) -> Matches:
    """The documents a parsed query matches, with BM25 scores summed over matching terms."""
    size = postings.size
    if isinstance(node, whoosh_query.Every):
        return Matches(postings.alive().copy(), np.zeros(size, dtype=np.float32))
    if isinstance(node, whoosh_query.Term):
        return term_matches(postings, node.fieldname, node.text, node.boost)
    if isinstance(node, whoosh_query.And):
        return combine_all([evaluate(postings, sub) for sub in node.subqueries], size)
    if isinstance(node, whoosh_query.Or):
        return combine_any([evaluate(postings, sub) for sub in node.subqueries], size)
    if isinstance(node, whoosh_query.AndNot):
        positive, negative = evaluate(postings, node.a), evaluate(postings, node.b)
        mask = positive.mask & ~negative.mask
        return Matches(mask, np.where(mask, positive.scores, 0))
    if isinstance(node, whoosh_query.Not):
        inner = evaluate(postings, node.query)
        return Matches(~inner.mask & postings.alive(), np.zeros(size, dtype=np.float32))
    if isinstance(node, whoosh_query.MultiTerm):
        terms = [
            whoosh_query.Term(node.fieldname, text, boost=node.boost)
            for text in expanded_texts(node, postings.reader)
        ]
        return combine_any([evaluate(postings, term) for term in terms], size)
    if isinstance(node, whoosh_query.Phrase) and 0 < node.slop <= MAX_SLOP and node.words:
        return phrase_matches(postings, node)
    return checked_by_whoosh(postings, node)


def term_matches(postings: PostingsReader, field: str, text: Any, boost: float) -> Matches:
    """One term's matches, scored with Whoosh's BM25F formula."""
    size = postings.size
    ids, frequencies = postings.postings(field, text)
    mask = np.zeros(size, dtype=bool)
    mask[ids] = True
    scores = np.zeros(size, dtype=np.float32)
    searcher = postings.searcher
    # No postings: nothing to score (and an index written before a field has no such field).
    if len(ids) and searcher.schema[field].scorable:
        idf = math.log(searcher.doc_count_all() / (len(ids) + 1)) + 1
        average = searcher.avg_field_length(field) or 1.0
        lengths = postings.lengths(field)[ids]
        norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average)
        scores[ids] = boost * idf * frequencies * (BM25_K1 + 1) / (frequencies + norm)
    elif len(ids):
        scores[ids] = boost * frequencies
    return Matches(mask, scores)


def combine_all(parts: list[Matches], size: int) -> Matches:
    """Documents every part matches, their scores summed."""
    mask = np.ones(size, dtype=bool)
    for part in parts:
        mask &= part.mask
    scores = np.zeros(size, dtype=np.float32)
    for part in parts:
        scores += part.scores
    return Matches(mask, np.where(mask, scores, 0))


def combine_any(parts: list[Matches], size: int) -> Matches:
    """Documents any part matches, their scores summed."""
    mask = np.zeros(size, dtype=bool)
    scores = np.zeros(size, dtype=np.float32)
    for part in parts:
        mask |= part.mask
        scores += part.scores
    return Matches(mask, scores)


POSITION_STRIDE = 1 << 32  # document * stride + position: one integer per occurrence
MAX_SLOP = 32  # a phrase with a wider slop is matched by Whoosh: one search per gap here


def phrase_matches(postings: PostingsReader, node: Any) -> Matches:
    """Documents where the phrase's words stand in order, each within the phrase's slop
    of the words before it (next to each other when the slop is 1)."""
    words = [whoosh_query.Term(node.fieldname, word, boost=node.boost) for word in node.words]
    for word in node.words:  # positions first: they give the words' postings too
        postings.positions(node.fieldname, word)
    candidates = combine_all([evaluate(postings, word) for word in words], postings.size)
    occurrences = []
    for word in node.words:
        documents, positions = postings.positions(node.fieldname, word)
        keep = candidates.mask[documents]
        # Occurrences come in document then position order, so the keys are sorted already.
        occurrences.append(documents[keep] * POSITION_STRIDE + positions[keep])
    if node.slop == 1:
        starts = occurrences[0]
        for index, keys in enumerate(occurrences[1:], 1):
            starts = sorted_common(starts, keys - index)
    else:
        starts = near_starts(occurrences, node.slop)
    mask = np.zeros(postings.size, dtype=bool)
    mask[starts // POSITION_STRIDE] = True
    return Matches(mask, np.where(mask, candidates.scores, 0).astype(np.float32))


def near_starts(occurrences: list[np.ndarray], slop: int) -> np.ndarray:
    """Where the words' spans start, as Whoosh's SpanNear2 (ordered, mindist 1) finds them:
    each word 1 to `slop` positions after the end of the span of the words before it.

    Spans are (start, end) keys of sorted occurrences; each word extends every span by
    each gap it can stand at: one binary search per gap, not per posting.
    """
    starts = ends = occurrences[0]
    for keys in occurrences[1:]:
        found_starts, found_ends = [], []
        for gap in range(1, slop + 1):
            found = np.minimum(np.searchsorted(keys, ends + gap), max(len(keys) - 1, 0))
            hit = keys[found] == ends + gap if len(keys) else np.zeros(len(ends), dtype=bool)
            found_starts.append(starts[hit])
            found_ends.append(ends[hit] + gap)
        starts, ends = distinct_spans(np.concatenate(found_starts), np.concatenate(found_ends))
    return starts


def distinct_spans(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each (start, end) pair once, in order: a span reached by two paths counts once."""
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    new = np.ones(len(starts), dtype=bool)
    new[1:] = (starts[1:] != starts[:-1]) | (ends[1:] != ends[:-1])
    return starts[new], ends[new]


def sorted_common(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The values of a sorted array that a second sorted array also holds, by binary search."""
    if not len(first) or not len(second):
        return first[:0]
    found = np.minimum(np.searchsorted(second, first), len(second) - 1)
    return first[second[found] == first]


def checked_by_whoosh(postings: PostingsReader, node: Any) -> Matches:
    """Position-dependent queries (phrases, spans): candidates from their terms, then Whoosh."""
    size = postings.size
    terms = []
    if isinstance(node, whoosh_query.Phrase):  # a phrase needs every one of its words
        terms = [whoosh_query.Term(node.fieldname, word) for word in node.words]
    candidates = combine_all([evaluate(postings, t) for t in terms], size) if terms else None
    allowed = None if candidates is None else set(np.flatnonzero(candidates.mask).tolist())
    mask = np.zeros(size, dtype=bool)
    if allowed is None or allowed:
        matcher = node.matcher(postings.searcher)
        found = [d for d in matcher.all_ids() if allowed is None or d in allowed]
        mask[np.asarray(found, dtype=np.int64)] = True
    scores = candidates.scores if candidates is not None else np.zeros(size, dtype=np.float32)
    return Matches(mask, np.where(mask, scores, 0).astype(np.float32))
