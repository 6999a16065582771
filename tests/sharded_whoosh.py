"""A test-only sharded backend: real Whoosh indexes as its shards, any of which can be off.

It is the honest double of a distributed engine with a shard down: each shard is a real
Whoosh index holding its own articles (samples/ files dealt out in turn), and while a
shard is off its articles are really missing from the answers, which name it in
`missing_shards`. It answers with exactly one shard on, whose counts are then exactly
that shard's; merging several shards' pages is left to real engines (with more or fewer
on, it fails the test with an AssertionError saying so).

It follows the SearchBackend contract for partiality (search/backend.py):
- search() and profile() carry `missing_shards`; stats() says `partial` through them;
- export_hits() raises PartialAnswer (a smaller export would look whole);
- article() of an id, or profile() of a value, that no shard that answered holds raises
  PartialAnswer, not NotFound: it may sit on a missing shard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from search.backend import SearchBackend, open_backend
from search.errors import NotFound, PartialAnswer
from search.models import Article, EntityKind, EntityProfile, Hit, SearchPage, SearchRequest
from search.stats import collect_stats, latest_date_label
from tests.indexing import index_into


def deal(files: list[Path], shards: int) -> list[list[Path]]:
    """Files dealt out in turn, as a hash of the id would spread them."""
    return [files[number::shards] for number in range(shards)]


class ShardedWhoosh:
    """Shards `shard-1`… over real Whoosh indexes; `off` names those that do not answer."""

    def __init__(self, shard_dirs: list[Path], state_dir: Path) -> None:
        self.names = [f"shard-{number}" for number in range(1, len(shard_dirs) + 1)]
        pairs = zip(self.names, shard_dirs, strict=True)
        self.shards: dict[str, SearchBackend] = {
            name: open_backend(f"whoosh:{path}", path) for name, path in pairs
        }
        self.state_dir = state_dir
        self.url = "sharded-whoosh:" + ",".join(str(path) for path in shard_dirs)
        self.off: set[str] = set()

    @classmethod
    def from_url(cls, url: str, state_dir: Path, **options: Any) -> ShardedWhoosh:
        """`sharded-whoosh:ROOT`, as `build` left it: ROOT/shard-N, and ROOT/off naming the
        shards switched off (for the CLI, once this scheme is registered in BACKENDS)."""
        root = Path(url.split(":", 1)[1])
        backend = cls(sorted(root.glob("shard-*")), root)
        off = root / "off"
        backend.off = set(off.read_text().split()) if off.exists() else set()
        return backend

    @classmethod
    def build(cls, files: list[Path], root: Path, shards: int = 2) -> ShardedWhoosh:
        """Index `files`, dealt over `shards` real Whoosh indexes under `root`."""
        dirs = []
        for number, part in enumerate(deal(files, shards), start=1):
            dirs.append(root / f"shard-{number}")
            index_into(part, dirs[-1], workers=1)
        return cls(dirs, root)

    def answering(self) -> SearchBackend:
        on = [name for name in self.names if name not in self.off]
        if len(on) != 1:
            raise AssertionError(f"ShardedWhoosh answers with one shard on, not {on}")
        return self.shards[on[0]]

    def missing(self) -> list[str]:
        return [name for name in self.names if name in self.off]

    def search(self, request: SearchRequest, facet_size: int = 30) -> SearchPage:
        return replace(self.answering().search(request, facet_size), missing_shards=self.missing())

    def search_all(self) -> SearchPage:
        """Every article of the shards that answer, newest first."""
        return self.search(SearchRequest(sort="newest", per_page=100))

    def counts_without_own_filter(self, request: SearchRequest, kind: str) -> dict[str, int]:
        return self.answering().counts_without_own_filter(request, kind)

    def export_hits(self, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
        if self.missing():
            raise PartialAnswer(self.missing(), "the export")
        return self.answering().export_hits(request)

    def article(self, article_id: str) -> Article:
        try:
            return self.answering().article(article_id)
        except NotFound:
            if self.missing():
                raise PartialAnswer(self.missing(), "this article") from None
            raise

    def suggest(self, text: str) -> str | None:
        return self.answering().suggest(text)

    def profile(self, kind: EntityKind, name: str) -> EntityProfile:
        try:
            profile = self.answering().profile(kind, name)
        except NotFound:
            if self.missing():
                raise PartialAnswer(self.missing(), "this profile") from None
            raise
        return replace(profile, missing_shards=self.missing())

    def stats(self, top: int = 10) -> dict[str, Any]:
        return collect_stats(self, top)

    def latest_date_label(self) -> str | None:
        return latest_date_label(self)

    def writer(self, *, rebuild: bool) -> Any:
        return self.answering().writer(rebuild=rebuild)

    def close(self) -> None:
        for shard in self.shards.values():
            shard.close()
