"""Every private name of Whoosh the project relies on, in one module, checked at import.

The fast paths read and write Whoosh's own files: matching.py reads posting lists
a block at a time into arrays, bulkwrite.py hands whole blocks to Whoosh's block
writer and commits segments it wrote beside Whoosh's writer. Both need names Whoosh does
not promise to keep. They are used here only, behind functions that say what they do,
and all of them are looked up when this module is imported: an upgrade of the pinned
whoosh-reloaded that renames one fails at once with a message naming it, never with an
AttributeError in the middle of a rebuild.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Collection, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.matching import wrappers
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from search.errors import EngineMismatch

PINNED_WHOOSH = "2.7.5"  # whoosh-reloaded, as pyproject.toml pins it (a test compares them)

# Owner (a module, class or function, by dotted path) -> the private names used of it.
# A class's names are its attributes and the attributes its methods read or set.
REQUIRED: dict[str, tuple[str, ...]] = {
    "whoosh.codec.whoosh3": ("LENGTHS_COLUMN", "_lenfield"),
    "whoosh.codec.whoosh3.W3FieldWriter": ("_postwriter",),
    "whoosh.codec.whoosh3.W3PostingsWriter": (
        "_blocklimit",
        "_write_block",
        "_ids",
        "_weights",
        "_values",
        "_maxweight",
        "_minlength",
        "_maxlength",
        "_compression",
    ),
    "whoosh.codec.whoosh3.W3LeafMatcher": (
        "_byteids",
        "_read_data",
        "_data",
        "_blocklength",
        "_next_block",
    ),
    "whoosh.codec.whoosh3.W3TermsReader": ("_postfile", "_codec"),
    "whoosh.codec.whoosh3.W3PerDocReader": ("_cached_reader",),
    "whoosh.columns.NumericColumn.Reader": (
        "_dbfile",
        "_basepos",
        "_count",
        "_doccount",
        "_typecode",
        "_default",
    ),
    "whoosh.matching.wrappers.FilterMatcher": ("_ids",),
    "whoosh.reading.SegmentReader": ("_terms", "_perdoc", "_storage"),
    "whoosh.query.terms.MultiTerm": ("_btexts",),
    "whoosh.writing.SegmentWriter": (
        "_added",
        "_flush_segment",
        "_finalize_segment",
        "_close_segment",
        "_merge_segments",
        "_commit_toc",
        "_finish",
    ),
    "whoosh.writing.SegmentWriter.__init__": ("_lk",),
}


def installed_whoosh() -> str:
    """The installed Whoosh's distribution and version, as pip would name them."""
    try:
        return f"whoosh-reloaded {metadata.version('whoosh-reloaded')}"
    except metadata.PackageNotFoundError:
        import whoosh

        return f"Whoosh {whoosh.versionstring()}"


def check_internals(required: Mapping[str, tuple[str, ...]] = REQUIRED) -> None:
    """Raise EngineMismatch naming the first private name the installed Whoosh lacks."""
    for owner_path, names in required.items():
        owner = resolve(owner_path)
        known = set() if owner is None else names_of(owner)
        for name in names:
            if name not in known:
                missing = owner_path if owner is None else f"{owner_path}.{name}"
                raise EngineMismatch(
                    f"newsarchive needs whoosh-reloaded {PINNED_WHOOSH} (the pin in "
                    f"pyproject.toml), but the installed {installed_whoosh()} has no "
                    f"{missing}; reinstall the pinned version with `make install`."
                )


def resolve(path: str) -> Any:
    """The module, class or function a dotted path names, or None when there is none."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            found = getattr(found, part, None)
            if found is None:
                return None
        return found
    return None


def names_of(owner: Any) -> set[str]:
    """What an owner offers: a function's parameters; the attributes of a class or module,
    with, for a class, every attribute its methods (and its bases' methods) read or set."""
    if inspect.isfunction(owner):
        return set(inspect.signature(owner).parameters)
    names = set(dir(owner))
    if inspect.isclass(owner):
        for klass in owner.__mro__:
            for value in vars(klass).values():
                code = getattr(value, "__code__", None)
                if code is not None:
                    names.update(code.co_names)
    return names


check_internals()


# Reading: posting lists and field lengths as Whoosh 3 segments store them.


def field_terms(segment: Any, field: str) -> Iterator[tuple[Any, Any]]:
    """Each term of a field in one segment, in order, with a matcher over its postings.

    Walks the segment's term table once instead of looking every term up: a facet field
    holds thousands of names, and a lookup costs more than reading a short posting list.
    """
    if not isinstance(segment, SegmentReader):
        for text in segment.lexicon(field):
            yield text, segment.postings(field, text)
        return
    terms, field_format = segment._terms, segment.schema[field].format
    for (name, text), info in terms.items_from(field, b""):
        if name != field:
            break
        yield text, terms._codec.postings_reader(terms._postfile, info, field_format)


def open_segment(storage: Any, schema: Any, segment: Any) -> Any:
    """A reader of one segment, committed or not (its files must be written)."""
    return SegmentReader(storage, schema, segment)


def segment_location(segment: Any) -> tuple[Path | None, str]:
    """The folder a segment reader's files are in (None when not a folder) and its id."""
    if not isinstance(segment, SegmentReader):
        return None, ""
    folder = getattr(segment._storage, "folder", None)
    return (Path(folder) if folder else None), segment.segment().segment_id()


def storage_folder(ix: Any) -> Path | None:
    """The folder an index's files are in, or None when they are not in a folder."""
    folder = getattr(ix.storage, "folder", None)
    return Path(folder) if folder else None


def without_deletions(matcher: Any) -> tuple[Collection[int], Any]:
    """The documents a segment's matcher skips as deleted, and the matcher it filters."""
    if isinstance(matcher, wrappers.FilterMatcher):
        return matcher._ids, matcher.child
    return (), matcher


def reads_by_block(matcher: Any) -> bool:
    """Whether a matcher is a Whoosh 3 posting list of documents, readable a block at a time."""
    return isinstance(matcher, whoosh3.W3LeafMatcher) and not matcher._byteids


def posting_blocks(matcher: Any) -> Iterator[tuple[Any, Any, int]]:
    """Each block of a posting list: its delta-coded ids, its weights and its length.

    The weights are a sequence, a single float for a block of equal weights, or None when
    every weight is 1.
    """
    while matcher.is_active():
        matcher._read_data()
        yield matcher._data[0], matcher._data[1], matcher._blocklength
        matcher._next_block()


def block_values(matcher: Any) -> Iterator[tuple[Any, tuple[bytes, ...]]]:
    """Each block of a posting list: its delta-coded ids and its postings' encoded values."""
    while matcher.is_active():
        matcher._read_data()
        yield matcher._data[0], matcher._data[2]
        matcher._next_block()


def length_codes(segment: Any, field: str) -> Any:
    """A segment's column of one-byte field lengths for `field`, or None when it has none."""
    perdoc = getattr(segment, "_perdoc", None) if isinstance(segment, SegmentReader) else None
    if perdoc is None:
        return None
    return perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)


def numeric_array(column: Any) -> np.ndarray | None:
    """A segment's numeric column as one array, read in one piece from its file.

    Whoosh stores such a column as fixed-size big-endian numbers, one per document up to
    the last one with a value other than the default; its reader unpacks them one at a
    time. None for any other kind of column reader, which the caller then iterates.
    """
    if type(column) is not columns.NumericColumn.Reader:
        return None
    kind = np.dtype(">" + column._typecode)
    stored = column._dbfile.get(column._basepos, column._count * kind.itemsize)
    values = np.full(column._doccount, column._default, dtype=kind.newbyteorder("="))
    values[: column._count] = np.frombuffer(stored, dtype=kind)
    return values


def expanded_texts(term_query: Any, reader: Any) -> Iterator[bytes]:
    """The indexed words (as bytes) a wildcard, prefix or fuzzy term stands for."""
    yield from term_query._btexts(reader)


# Writing: whole posting blocks, and segments committed together.


class UnlockedSegmentWriter(SegmentWriter):
    """Whoosh's writer for one segment of an index whose write lock the caller holds.

    A subclass adds documents as usual and writes their postings in `write_postings`,
    which Whoosh's writer calls when the segment is finished.
    """

    def __init__(self, ix: Any) -> None:
        super().__init__(ix, _lk=False, compound=False)

    def write_postings(self, fieldwriter: Any) -> None:
        """Write every field's terms and postings through Whoosh's field writer."""
        raise NotImplementedError

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        self.write_postings(self.fieldwriter)
        self.fieldwriter.close()

    def note_added(self) -> None:
        """Tell Whoosh's writer that the segment holds documents."""
        self._added = True

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


COMPRESS_FROM = 16  # postings in a block from which it is compressed
COMPRESSION = 3  # the zlib level of Whoosh's W3Codec, which every index of ours uses


def write_term_blocks(
    fieldwriter: Any,
    docs: list[int],
    weights: list[float],
    values: list[bytes],
    lengths: Any,
) -> None:
    """Hand one term's postings to Whoosh's block writer a block at a time.

    Call it between the field writer's start_term and finish_term. It builds exactly
    what W3PostingsWriter.add_posting builds one posting at a time: full blocks are
    written as they fill, the last one by finish_postings. `lengths` maps a document to
    its length in the field (0 when unknown), or is None for an unscored field.
    """
    postwriter = fieldwriter._postwriter
    limit = postwriter._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            postwriter._write_block()
        block = docs[start : start + limit]
        block_weights = weights[start : start + limit]
        postwriter._ids = block
        postwriter._weights = block_weights
        postwriter._values = values[start : start + limit]
        postwriter._maxweight = max(0, max(block_weights))
        # zlib costs ~70 us a call, mostly setting up, and gains nothing on a few postings;
        # a block's info says whether it is compressed, and readers decompress only then.
        postwriter._compression = COMPRESSION if len(block) >= COMPRESS_FROM else 0
        if lengths is not None:
            sizes = [lengths[doc] for doc in block if lengths[doc]]
            if sizes:
                postwriter._minlength = min(sizes)
                postwriter._maxlength = max(sizes)


def commit_with(
    writer: Any, segments: list[Any], before: Callable[[list[Any], int], None] | None = None
) -> None:
    """Commit a Whoosh writer's own changes and segments written beside it, in one TOC.

    What SegmentWriter.commit does, with the extra segments listed after its own;
    `before`, if given, is called with every segment the commit will hold and the TOC's
    generation just before the TOC that makes them live is written.
    """
    try:
        final = writer._merge_segments(None, None, None)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
        if before is not None:
            before(final + segments, writer.generation)
        writer._commit_toc(final + segments)
    finally:
        writer._finish()
