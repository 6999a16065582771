"""The backend seam: everything the web app, the CLI and the indexer ask of a search engine.

Whoosh is the embedded default (`whoosh:PATH`, an index directory); Manticore Search, or
its ancestor Sphinx 2.2, is the distributed one (`manticore://HOST:PORT/INDEX`, spoken
to over SphinxQL). The front ends and the indexer hold a `SearchBackend` and import no
engine: only the packages under `search/backends/` import `whoosh` or an SQL client.

A backend owns a local directory too (`state_dir`): the extraction cache, the writer's
lock, the alias files and, per written version, the archive's name counts and which
source files held which articles. For Whoosh it is the index directory itself; for
Manticore it is `--index-dir` (index_data/ by default), and the articles live in the
server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from search.errors import SettingError
from search.models import Article, EntityKind, EntityProfile, Hit, SearchPage, SearchRequest

# Sets an article's final entities, in place, just before it is written.
Finish = Callable[[Article], None]
Written = Callable[[int], None]  # articles written so far in this call, for progress

# URL scheme → the module and class that implement it, imported only when asked for.
BACKENDS = {
    "whoosh": ("search.backends.whoosh", "WhooshBackend"),
    "manticore": ("search.backends.manticore", "ManticoreBackend"),
}


class BackendWriter(Protocol):
    """One index run's writes. Nothing written is visible to searches before `commit`,
    and after it all of it is, at once; `abort` leaves the live archive as it was.

    In a rebuild (`rebuild=True`) the writer builds a new version beside the live one
    (a new Whoosh generation; new shard indexes behind the distributed index) and
    `commit` switches to it in one step.
    """

    live_dir: Path | None  # the live version's state files (names.json, sources), None at first
    target_dir: Path  # where this run writes them: live_dir when updating in place

    def known_hashes(self) -> dict[str, str]:
        """Every article id of the live archive with its content hash."""
        ...

    def write(self, articles: Sequence[Article], finish: Finish, progress: Written | None) -> None:
        """Write articles, replacing any with the same id; `finish` is called once on each
        (possibly in another process) just before it is written."""
        ...

    def delete(self, article_ids: Sequence[str]) -> None:
        """Remove articles by id (ids not in the archive are ignored)."""
        ...

    def commit(self) -> None:
        """Make every write of this run visible to searches, together."""
        ...

    def abort(self) -> None:
        """Drop every write of this run; the live archive stays as it was."""
        ...


class SearchBackend(Protocol):
    """An archive that can be searched and written. Every method is safe to call from
    several threads; answers always come from one committed version of the archive.

    Partial answers, when shards of a distributed archive do not answer: `search` and
    `profile` name them in their answer's `missing_shards` (and `stats`, built on
    `search`, in its "partial" and "missing_shards"); where a smaller answer would pass
    for a whole one the backend raises `errors.PartialAnswer` (503) instead: `export_hits`
    whenever a shard is missing, `article` (and `profile`) when the id or value is not on
    the shards that answered, rather than NotFound. No shard answering at all is
    `errors.BackendUnavailable`.
    """

    url: str  # as the user gave it (or the default), for messages
    state_dir: Path  # local files: extraction cache, lock, aliases (see the module's text)

    def search(self, request: SearchRequest, facet_size: int = 30) -> SearchPage:
        """One page of hits with snippets, the total, facet counts and the histogram."""
        ...

    def counts_without_own_filter(self, request: SearchRequest, kind: str) -> dict[str, int]:
        """Per value of one facet, the matches of the request without that facet's values."""
        ...

    def export_hits(self, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
        """How many articles match, and all of them in the request's order (no highlighting);
        a bad request raises before the iterator is returned."""
        ...

    def article(self, article_id: str) -> Article:
        """One whole article with its mentions; NotFound when the id is unknown."""
        ...

    def suggest(self, text: str) -> str | None:
        """The query with unknown words respelt as close known ones, or None."""
        ...

    def profile(self, kind: EntityKind, name: str) -> EntityProfile:
        """What the archive says about one entity value; NotFound when no article has it."""
        ...

    def stats(self, top: int = 10) -> dict[str, Any]:
        """What the archive holds (the JSON of `newsarchive stats --json`)."""
        ...

    def latest_date_label(self) -> str | None:
        """The newest article's date label; None in an empty or undated archive."""
        ...

    def writer(self, *, rebuild: bool) -> BackendWriter:
        """A writer for one index run (the caller holds the state directory's lock)."""
        ...

    def close(self) -> None:
        """Release files, connections and caches."""
        ...


def open_backend(url: str, state_dir: Path, **options: Any) -> SearchBackend:
    """The backend a URL names: `whoosh:PATH` or `manticore://HOST:PORT/INDEX`.

    `state_dir` is the local directory (`--index-dir`); a Whoosh URL's path replaces it.
    Options (such as `result_cache_bytes`) go to the backend's constructor.
    """
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in BACKENDS:
        known = ", ".join(f"{name}:" for name in BACKENDS)
        raise SettingError(
            f"backend: cannot read {url!r}; use whoosh:PATH or manticore://HOST:PORT/INDEX "
            f"(known schemes: {known})"
        )
    module_name, class_name = BACKENDS[scheme]
    backend_class = getattr(import_module(module_name), class_name)
    backend: SearchBackend = backend_class.from_url(url, state_dir, **options)
    return backend
