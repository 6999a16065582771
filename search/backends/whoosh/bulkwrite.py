"""Writing a new index generation fast: Whoosh's own files, fed in bulk by parallel processes.

Whoosh's writer handles every token and every posting in Python several times over: an
analyzer chain of generators per token, a sorting pool with a size estimate per posting,
a length lookup and a buffered append per posting at commit. On 200,000 news articles
that is most of a rebuild. This writer keeps Whoosh's file formats and the classes that
write them (per-document writer, terms table, posting blocks, TOC) and replaces only those
per-token and per-posting loops:

- text, identifiers and keywords are analysed and their postings gathered in memory by
  postings.py, exactly as Whoosh's analyzers would (tests compare them);
- postings are written term by term in whole blocks, so nothing is sorted or looked up
  per posting;
- a new generation's articles are split into contiguous shares written side by side by
  forked processes, each flushing a segment whenever its postings reach a memory budget.

A new generation (a first index or `--rebuild`) is written this way, and so are many new
articles for a live index, beside Whoosh's own writer, which replaces changed ones.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from array import array
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any, TypeVar

from whoosh.writing import SegmentWriter

from search.backends.whoosh.position_files import save_table as save_positions
from search.backends.whoosh.position_files import table_arrays
from search.backends.whoosh.postings import (
    FastText,
    FieldPostings,
    TextPostings,
    add_postings,
    simple_index,
)
from search.backends.whoosh.schema import FACET_FIELDS
from search.backends.whoosh.segment_arrays import column_of_terms, save_column
from search.backends.whoosh.term_arrays import positional_fields, save_table, table_of_terms
from search.backends.whoosh.version_arrays import before_commit
from search.backends.whoosh.whoosh_internals import (
    UnlockedSegmentWriter,
    commit_with,
    storage_folder,
    write_term_blocks,
)
from search.children import die_with_parent

Item = TypeVar("Item")
BYTES_PER_POSTING = 40  # memory per posting held, measured with tracemalloc on Reuters: 37
PROGRESS_EVERY = 500  # documents between a writer process's progress updates


class BulkSegmentWriter(UnlockedSegmentWriter):
    """A Whoosh SegmentWriter whose documents' postings are gathered per field, not pooled.

    Writes one segment and takes no lock: the caller holds the index's writer lock and
    commits the segments it is given. Documents go in with `add_document` as usual.
    """

    def __init__(self, ix: Any) -> None:
        super().__init__(ix)
        self.fast_text = {name: FastText.for_field(field) for name, field in self.schema.items()}
        self.fast_simple = {name: simple_index(field) for name, field in self.schema.items()}
        self.field_postings: dict[str, FieldPostings | TextPostings] = {}
        self.field_lengths: dict[str, array[int]] = {}
        self.postings = 0
        self.folder = storage_folder(ix)
        self.segment_id = self.newsegment.segment_id()

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
            length = self._index_field(name, field, value, docnum) if field.indexed else 0
            # As in Whoosh's writer, `_stored_title` is what `title` stores if it is given.
            stored = fields.get(f"_stored_{name}", value) if field.stored else None
            perdoc.add_field(name, field, stored, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.note_added()
        self.docnum += 1

    def _index_field(self, name: str, field: Any, value: Any, docnum: int) -> int:
        """Gather one field's postings of a document; its length, if the field is scored."""
        postings = self.field_postings.get(name)
        fast = self.fast_text[name]
        if postings is None:
            postings = FieldPostings() if fast is None else TextPostings(fast)
            self.field_postings[name] = postings
        if isinstance(postings, TextPostings):
            length, added = postings.add_text(value, docnum)
        else:
            simple = self.fast_simple[name]
            items = simple(value) if simple is not None else field.index(value)
            length, added = add_postings(items, postings, docnum)
        self.postings += added
        if not field.scorable:
            return 0
        lengths = self.field_lengths.setdefault(name, array("I"))
        lengths.extend(repeat(0, docnum - len(lengths)))
        lengths.append(length)
        return length

    def write_postings(self, fieldwriter: Any) -> None:
        """Write every field's terms in order, each term's postings in whole blocks;
        each facet field's postings, each text field's term table and its word positions
        also as arrays beside the segment (segment_arrays, term_arrays, position_files)."""
        facets, tables = set(FACET_FIELDS.values()), set(positional_fields(self.schema))
        for name in sorted(self.field_postings):
            lengths = self.field_lengths.get(name)
            fieldwriter.start_field(name, self.schema[name])
            terms, texts = [], []
            for term, docs, weights, values in self.field_postings[name].by_term():
                fieldwriter.start_term(term)
                write_term_blocks(fieldwriter, docs.tolist(), weights.tolist(), values, lengths)
                fieldwriter.finish_term()
                if name in facets:
                    terms.append((term.decode("utf-8"), docs))
                elif name in tables:
                    texts.append((term, docs, weights))
            fieldwriter.finish_field()
            if self.folder is None:
                continue
            if name in facets:
                save_column(self.folder, self.segment_id, name, column_of_terms(terms))
            elif texts:
                save_table(self.folder, self.segment_id, name, table_of_terms(texts))
            self._save_positions(name)
        self.field_postings.clear()

    def _save_positions(self, name: str) -> None:
        """A text field's occurrences as a position table beside the segment."""
        postings = self.field_postings[name]
        if self.folder is None or not isinstance(postings, TextPostings):
            return
        if postings.occurrences is not None:
            table = table_arrays(postings.stems, *postings.occurrences)
            postings.occurrences = None
            save_positions(self.folder, self.segment_id, name, table)


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
    commit_with(SegmentWriter(ix), segments, before_commit(ix))


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
    die_with_parent(parent)
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
