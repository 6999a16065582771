"""The live index of a directory: one Whoosh searcher per thread, shared state per version.

A version is one committed state of the index (a generation and its commit). Everything
read from it once (per-document arrays, posting arrays, what hits show, whole result
pages) is kept for every thread under the version's key, and dropped when a new version
(an incremental commit or a swapped-in rebuild) takes over.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search.backends.whoosh.facets import ArchiveArrays
from search.backends.whoosh.matching import PostingsCache, PostingsReader
from search.backends.whoosh.schema import document_to_article
from search.backends.whoosh.version_arrays import version_arrays
from search.bounded import BoundedCache
from search.errors import IndexMissing, NotFound
from search.layout import current_generation
from search.models import Article
from search.snippets import WordStems

STORED_DOCUMENTS = 2048  # documents' hit fields kept per index version: ~3 kB each on Reuters


@dataclass
class IndexVersion:
    """What every thread shares for one committed version of the index.

    All of it is read-only once made, or a thread-safe bounded cache; a new version (an
    incremental commit or a swapped-in rebuild) gets a new one, so nothing read from an
    older version is ever served after the swap.
    """

    key: tuple[str, int]  # the generation's directory and the reader's commit generation
    arrays: ArchiveArrays
    postings: PostingsCache
    documents: BoundedCache[dict[str, Any]]  # what a hit shows, by document number
    results: BoundedCache[bytes]  # whole pages, pickled, by normalised request
    stems: WordStems = field(default_factory=WordStems)  # for snippets


@dataclass
class IndexView:
    """One thread's view of the live index: its own searcher, the version's shared state."""

    searcher: Any
    arrays: ArchiveArrays  # the version's arrays with this thread's PostingsReader
    version: IndexVersion

    def stored_fields(self, document: int) -> dict[str, Any]:
        """What a hit shows of a document, read once per version (shared: never change it)."""
        fields = self.version.documents.get(document)
        if fields is None:
            fields = self.version.documents.put(
                document, hit_fields(self.searcher.stored_fields(document))
            )
        return fields


class SearchIndex:
    """The live index of a directory, reopened when an indexer commits or swaps in a rebuild.

    Each thread gets its own Whoosh searcher: a searcher's posting readers seek and read
    one shared file, so two threads on one searcher read each other's blocks. Opening one
    costs milliseconds (segments are separate files, mapped, not copied). What is read
    from a version (per-document arrays, posting arrays, stored fields, and with
    `result_cache_bytes` whole result pages) is kept once per version for every thread.
    """

    def __init__(self, index_dir: Path, result_cache_bytes: int = 0) -> None:
        self.index_dir = Path(index_dir)
        self.result_cache_bytes = result_cache_bytes
        self._lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[Any] = []  # every searcher opened, so close() can close them
        self._versions: dict[tuple[str, int], IndexVersion] = {}

    def searcher(self) -> Any:
        """This thread's searcher on the newest committed index; cheap when nothing changed."""
        generation = current_generation(self.index_dir)
        if generation is None:
            raise IndexMissing(f"no index in {self.index_dir}: run `newsarchive index PATH` first")
        local = self._local
        searcher = getattr(local, "searcher", None)
        # An index without articles has no segments, and its reader no commit
        # to compare with: it is opened again, which costs next to nothing.
        empty = searcher is not None and searcher.doc_count_all() == 0
        stale = searcher is None or local.generation != generation or empty
        if searcher is not None and not stale and searcher.up_to_date():
            return searcher
        if searcher is not None:  # only this thread ever used it
            self._untrack(searcher)
        # Opened afresh, never refreshed: Searcher.refresh reuses the reader of every
        # segment whose id it knows, with the deletions it had then, so an article updated
        # by an incremental commit would be found twice, old and new.
        fresh = whoosh_index.open_dir(str(generation)).searcher()
        self._track(fresh)
        local.searcher, local.generation, local.view = fresh, generation, None
        return fresh

    def view(self) -> IndexView:
        """This thread's searcher with the shared state of its index version."""
        searcher = self.searcher()
        local = self._local
        if local.view is None:
            version = self._version((str(local.generation), searcher.reader().generation()))
            arrays = replace(version.arrays, postings=PostingsReader(searcher, version.postings))
            local.view = IndexView(searcher, arrays, version)
        view: IndexView = local.view
        return view

    def snapshot(self) -> tuple[Any, ArchiveArrays]:
        """This thread's searcher with the per-document arrays of its index version."""
        view = self.view()
        return view.searcher, view.arrays

    def _version(self, key: tuple[str, int]) -> IndexVersion:
        with self._lock:
            version = self._versions.get(key)
            if version is None:
                arrays = version_arrays(self._local.searcher.reader())
                postings = PostingsCache()
                postings.lengths.update(arrays.lengths)
                version = IndexVersion(
                    key,
                    arrays,
                    postings,
                    BoundedCache(STORED_DOCUMENTS),
                    BoundedCache(self.result_cache_bytes, weigh=len),
                )
                self._versions = {key: version}  # older versions' state goes
        return version

    def _track(self, searcher: Any) -> None:
        with self._lock:
            self._opened.append(searcher)

    def _untrack(self, searcher: Any) -> None:
        with self._lock:
            if searcher in self._opened:
                self._opened.remove(searcher)
                searcher.close()

    def close(self) -> None:
        """Close every searcher this index has opened."""
        with self._lock:
            for searcher in self._opened:
                searcher.close()
            self._opened, self._versions = [], {}
            self._local = threading.local()


def hit_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The stored fields a hit and its snippet need, as strings and tuples only.

    Kept for thousands of documents: without the mentions and with tuples for lists,
    the garbage collector soon stops tracking them (a full collection walks every
    tracked object, and took 100-170 ms with the caches full of lists and dicts).
    """
    record = fields["record"]
    return {
        "id": fields["id"],
        "title": fields["title"],
        "body": fields["body"],
        "record": {
            "date_label": record["date_label"],
            "actors": tuple(record["actors"]),
            "countries": tuple(record["countries"]),
            "orgs": tuple(record["orgs"]),
            "url": record["url"],
            "source": record["source"],
            "language": record.get("language"),  # None in indexes written before languages
        },
    }


def get_article(index: SearchIndex, article_id: str) -> Article:
    """One whole article by id."""
    fields = index.searcher().document(id=article_id)
    if fields is None:
        raise NotFound(f"No article with id {article_id!r}; search for it instead.")
    return document_to_article(fields)
