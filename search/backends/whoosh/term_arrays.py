"""Each text term's documents and weights, written beside its segment and mapped at search.

A query's terms are read the first time they are asked. Through Whoosh that means
unpickling every 128-posting block with the positions of every posting in it: about
2 µs per posting, 0.2-0.4 s for a word in most of 200,000 articles. Here each segment
gets, per text field, its terms (sorted, as one byte string and where each ends) and
every term's postings (documents and weights, as Whoosh stores them), so the first read
of a term is a binary search and two slices of mapped files.

Files are named after the segment (`<segment id>.terms_<field>_<part>.npy`), so Whoosh
removes them with it; they hold deleted documents too (the reader drops them). Bulk
segments get them as their postings are written (bulkwrite.py); segments written
by Whoosh's own writer (updates, merges) get them before the commit that makes them live,
from their postings. A segment without them (indexes written before) is read through
Whoosh as before.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.formats import Positions

from search.backends.whoosh.npy_files import save_array
from search.backends.whoosh.whoosh_internals import segment_location

PARTS = ("text", "ends", "documents", "weights", "starts")


def terms_file(folder: Path, segment_id: str, field: str, part: str) -> Path:
    """Where one part of a segment's term table of a field lives."""
    return folder / f"{segment_id}.terms_{field}_{part}.npy"


def positional_fields(schema: Any) -> list[str]:
    """The fields whose terms get tables: text with positions (titles and bodies)."""
    return [name for name, field in schema.items() if isinstance(field.format, Positions)]


def table_of_terms(terms: Iterable[tuple[bytes, np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """A term table's arrays from each term (in byte order), its documents and weights."""
    texts, documents, weights, counts = [], [], [], []
    for text, term_documents, term_weights in terms:
        texts.append(text)
        documents.append(np.asarray(term_documents, dtype=np.int32))
        weights.append(np.asarray(term_weights, dtype=np.float32))
        counts.append(len(term_documents))
    ends = np.cumsum([len(text) for text in texts], dtype=np.int64)
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    return [
        np.frombuffer(b"".join(texts), dtype=np.uint8),
        ends,
        np.concatenate(documents) if documents else np.zeros(0, dtype=np.int32),
        np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32),
        starts,
    ]


def save_table(folder: Path, segment_id: str, field: str, arrays: list[np.ndarray]) -> None:
    """Write one field's term table of a segment, each file whole or not at all."""
    for part, array in zip(PARTS, arrays, strict=True):
        save_array(terms_file(folder, segment_id, field, part), array)


def has_table(folder: Path, segment_id: str, field: str) -> bool:
    """Whether a segment has every file of a field's term table."""
    return all(terms_file(folder, segment_id, field, part).exists() for part in PARTS)


class JoinedTerms:
    """Sorted terms stored joined in one byte array with where each ends, as a sequence
    of bytes: the lexicon of term tables and position tables (position_files.py)."""

    def __init__(self, text: np.ndarray, ends: np.ndarray) -> None:
        self.text, self.ends = text, ends

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, index: int) -> bytes:
        start = int(self.ends[index - 1]) if index else 0
        return self.text[start : int(self.ends[index])].tobytes()

    def find(self, term: bytes) -> int:
        """The term's row, by binary search; -1 when it is not among them."""
        index = bisect_left(self, term)
        return index if index < len(self) and self[index] == term else -1


class TermTable:
    """One segment's term table of one field, mapped from its files."""

    def __init__(self, arrays: list[np.ndarray]) -> None:
        text, ends, self.documents, self.weights, self.starts = arrays
        self.texts = JoinedTerms(text, ends)

    def postings(self, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's documents and weights in the segment; None when it has no such term."""
        index = self.texts.find(text)
        if index < 0:
            return None
        start, end = int(self.starts[index]), int(self.starts[index + 1])
        return self.documents[start:end], self.weights[start:end]


def load_table(segment: Any, field: str) -> TermTable | None:
    """A segment reader's term table of a field, mapped; None when it has none."""
    folder, segment_id = segment_location(segment)
    if folder is None or not has_table(folder, segment_id, field):
        return None
    paths = [terms_file(folder, segment_id, field, part) for part in PARTS]
    # Plain arrays over the mapping: np.memmap's own indexing is slow Python.
    return TermTable(
        [np.load(p, mmap_mode="r", allow_pickle=False).view(np.ndarray) for p in paths]
    )
