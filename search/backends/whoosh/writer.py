"""One index run's writes to a Whoosh index: a new generation, or the live one updated.

A first run or a rebuild writes a new generation beside the live one (search/layout.py)
in bulk, in forked processes (bulkwrite.py), and `commit` points `current` at it in one
atomic rename; `abort` removes it. A run over a live index updates that generation: changed
articles are replaced with Whoosh's own writer (which can delete), and from BULK_ADDITIONS
new articles on the new ones are written in bulk beside it; `commit` makes both live in
one TOC.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search import dates
from search.backend import Finish, Written
from search.backends.whoosh.bulkwrite import write_segments
from search.backends.whoosh.schema import add_missing_fields, article_to_document, build_schema
from search.backends.whoosh.version_arrays import before_commit
from search.backends.whoosh.whoosh_internals import commit_with
from search.layout import current_generation, make_current, new_generation
from search.models import Article

WRITER_MEMORY_MB = 1024  # postings held in memory by all writers of a new generation
WRITER_PROCESSES = 2  # a new generation's writers: fixed, tuned on a 2-core machine
UPDATE_MEMORY_MB = 256  # the pool of Whoosh's writer when it updates a live index
BULK_ADDITIONS = 2000  # new articles for a live index written in bulk from this many on


class WhooshWriter:
    """The BackendWriter of a Whoosh index directory (the caller holds its writer lock)."""

    def __init__(self, index_dir: Path, *, rebuild: bool) -> None:
        self.index_dir = index_dir
        self.live_dir = current_generation(index_dir)
        self.previous = whoosh_index.open_dir(str(self.live_dir)) if self.live_dir else None
        self.in_place = not rebuild and self.live_dir is not None
        self.target_dir = (
            self.live_dir if self.live_dir and self.in_place else new_generation(index_dir)
        )
        self.ix: Any = (
            self.previous
            if self.in_place
            else whoosh_index.create_in(self.target_dir, build_schema())
        )
        if self.in_place:
            add_missing_fields(self.ix)
        self._known: dict[str, str] | None = None
        self._writer: Any = None  # Whoosh's own writer, for updates in place
        self._segments: list[Any] = []  # written in bulk, committed with the writer's own
        self._dropped: set[str] = set()  # deleted in a new generation before being written
        self._written = 0

    def known_hashes(self) -> dict[str, str]:
        """Every article id of the live index with its content hash."""
        if self._known is None:
            self._known = known_hashes(self.previous) if self.previous else {}
        return self._known

    def write(self, articles: Sequence[Article], finish: Finish, progress: Written | None) -> None:
        """Write articles: in bulk into a new generation; in place, changed ones with Whoosh's
        writer and many new ones in bulk beside it."""

        def to_document(article: Article) -> dict[str, Any]:
            finish(article)
            return article_to_document(
                article, dates.month_key(article.date), dates.format_date(article.date)
            )

        def written(count: int, before: int = 0) -> None:
            if progress:
                progress(before + count)

        options = {"processes": WRITER_PROCESSES, "memory_mb": WRITER_MEMORY_MB}
        if not self.in_place:
            kept = [article for article in articles if article.id not in self._dropped]
            self._add_segments(
                write_segments(self.ix, kept, to_document, progress=written, **options)
            )
            return
        known = self.known_hashes()
        updates = [article for article in articles if article.id in known]
        additions = [article for article in articles if article.id not in known]
        if len(additions) < BULK_ADDITIONS:
            updates, additions = list(articles), []
        writer = self._update_writer()
        for done, article in enumerate(updates, 1):
            writer.update_document(**to_document(article))  # a no-op delete for new articles
            written(done)
        if additions:
            after = partial(written, before=len(updates))
            self._add_segments(
                write_segments(self.ix, additions, to_document, progress=after, **options)
            )

    def delete(self, article_ids: Sequence[str]) -> None:
        """Remove articles by id: from the live index in place; from a new generation, by not
        writing them."""
        if not self.in_place:
            self._dropped.update(article_ids)
            return
        writer = self._update_writer()
        for article_id in article_ids:
            writer.delete_by_term("id", article_id)

    def commit(self) -> None:
        """Make every write live: one TOC in place; a new generation swapped in atomically."""
        if self.in_place:  # even with nothing written: the commit writes the version's arrays
            commit_with(self._update_writer(), self._segments, before_commit(self.ix))
            self._writer, self._segments = None, []
            return
        commit_with(SegmentWriter(self.ix), self._segments, before_commit(self.ix))
        self._segments = []
        make_current(self.index_dir, self.target_dir)

    def abort(self) -> None:
        """Drop every write: cancel Whoosh's writer; remove a new generation."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self._segments = []
        if not self.in_place:
            shutil.rmtree(self.target_dir, ignore_errors=True)

    def _update_writer(self) -> Any:
        if self._writer is None:
            self._writer = self.ix.writer(limitmb=UPDATE_MEMORY_MB, compound=False)
        return self._writer

    def _add_segments(self, segments: list[Any]) -> None:
        self._segments.extend(segments)


def known_hashes(ix: Any) -> dict[str, str]:
    """Map each indexed article id to its content hash, read from columns, not stored fields."""
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return {}  # an empty index has no columns to read
        pairs = zip(reader.column_reader("id"), reader.column_reader("content_hash"), strict=True)
        if not reader.has_deletions():
            return dict(pairs)
        alive = set(reader.all_doc_ids())
        return {id_: hash_ for docnum, (id_, hash_) in enumerate(pairs) if docnum in alive}
