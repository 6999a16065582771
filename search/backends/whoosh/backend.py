"""The Whoosh backend: an index directory searched in this process, written by forked writers.

`whoosh:PATH` names the directory (generations, the `current` pointer, the writer's lock,
the extraction cache and the alias files, as search/layout.py lays them out); `whoosh:`
alone names the index directory the caller gives (`--index-dir`, index_data/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from search.backends.whoosh.live_index import SearchIndex, get_article
from search.backends.whoosh.query import counts_without_own_filter, export_hits, run_search
from search.backends.whoosh.suggestions import suggest_query
from search.backends.whoosh.summaries import profile_entity
from search.backends.whoosh.writer import WhooshWriter
from search.errors import SettingError
from search.models import Article, EntityKind, EntityProfile, Hit, SearchPage, SearchRequest
from search.stats import collect_stats, latest_date_label

SCHEME = "whoosh:"


class WhooshBackend:
    """A SearchBackend over one Whoosh index directory (a SearchIndex, opened lazily)."""

    def __init__(self, index_dir: Path, *, url: str = "", result_cache_bytes: int = 0) -> None:
        self.state_dir = Path(index_dir)
        self.url = url or f"{SCHEME}{self.state_dir}"
        self.index = SearchIndex(self.state_dir, result_cache_bytes=result_cache_bytes)

    @classmethod
    def from_url(cls, url: str, state_dir: Path, **options: Any) -> WhooshBackend:
        """The backend `whoosh:PATH` names; `whoosh:` alone is `state_dir`."""
        if not url.lower().startswith(SCHEME):
            raise SettingError(f"backend: {url!r} is not a whoosh: URL; use whoosh:PATH")
        path = url[len(SCHEME) :]
        if path.startswith("//"):  # whoosh:///srv/index, as a URL would spell a path
            path = path[2:]
        return cls(Path(path) if path else Path(state_dir), url=url, **options)

    def search(self, request: SearchRequest, facet_size: int = 30) -> SearchPage:
        """One page of hits with snippets, the total, facet counts and the histogram."""
        return run_search(self.index, request, facet_size)

    def counts_without_own_filter(self, request: SearchRequest, kind: str) -> dict[str, int]:
        """Per value of one facet, the matches of the request without that facet's values."""
        return counts_without_own_filter(self.index, request, kind)

    def export_hits(self, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
        """How many articles match, and all of them in the request's order."""
        return export_hits(self.index, request)

    def article(self, article_id: str) -> Article:
        """One whole article with its mentions."""
        return get_article(self.index, article_id)

    def suggest(self, text: str) -> str | None:
        """The query with unknown words respelt as close known ones, or None."""
        return suggest_query(self.index, text)

    def profile(self, kind: EntityKind, name: str) -> EntityProfile:
        """What the archive says about one entity value."""
        return profile_entity(self.index, kind, name)

    def stats(self, top: int = 10) -> dict[str, Any]:
        """What the archive holds (the JSON of `newsarchive stats --json`)."""
        return collect_stats(self, top)

    def latest_date_label(self) -> str | None:
        """The newest article's date label; None in an empty or undated archive."""
        return latest_date_label(self)

    def writer(self, *, rebuild: bool) -> WhooshWriter:
        """A writer for one index run: a new generation, or the live one updated in place."""
        return WhooshWriter(self.state_dir, rebuild=rebuild)

    def close(self) -> None:
        """Close every searcher opened."""
        self.index.close()
