"""The backend contract's machinery: which engines the suite runs on, how each is filled,
and what the input files say without our code (the suite's expected values).

To plug in an engine, add a builder to ENGINES (name → function of the pytest request,
the files and a scratch directory, giving a filled SearchBackend). Its name becomes a
parameter of every contract test, compared against a Whoosh archive of the same files.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from search.backend import SearchBackend, open_backend
from search.indexer import index_paths
from search.months import UNDATED

Builder = Callable[[pytest.FixtureRequest, list[Path], Path], SearchBackend]


def filled(backend: SearchBackend, files: Iterable[Path], **options: object) -> SearchBackend:
    """The backend after `newsarchive index FILES` wrote them through it."""
    report = index_paths(files, backend, workers=1, **options)  # type: ignore[arg-type]
    assert report.failed == 0, report.failures[:3]
    return backend


def whoosh_archive(request: pytest.FixtureRequest, files: list[Path], root: Path) -> SearchBackend:
    """A Whoosh index directory under `root`, filled with `files`."""
    path = root / "whoosh"
    return filled(open_backend(f"whoosh:{path}", path), files)


def manticore_archive(
    request: pytest.FixtureRequest, files: list[Path], root: Path
) -> SearchBackend:
    """The manticore branch's two-shard cluster (tests/sphinx_servers.py), filled with `files`.
    Skips, saying why, where the harness or `searchd` is absent."""
    try:
        import tests.sphinx_servers  # noqa: F401  (the manticore branch's harness)
    except ImportError as error:
        pytest.skip(f"manticore: tests/sphinx_servers.py cannot be imported here ({error})")
    if shutil.which("searchd") is None:
        pytest.skip("manticore: searchd is not installed (apt-get install sphinxsearch)")
    cluster = request.getfixturevalue("sphinx_cluster")
    state = root / "manticore-state"
    state.mkdir(exist_ok=True)
    return filled(open_backend(cluster.url, state), files, rebuild=True)


# The one place to plug an engine in: its name and how to build its archive.
ENGINES: dict[str, Builder] = {"whoosh": whoosh_archive, "manticore": manticore_archive}


@dataclass(frozen=True)
class FileArticle:
    """One article as its file says it, read with json and re only."""

    text: str
    when: datetime | None  # UTC; the first of the month for a month-only date
    label: str | None  # 2021-03-09, or 2022-03 for a month-only date; None when undated

    @property
    def month(self) -> str:
        return self.label[:7] if self.label else UNDATED

    def count(self, word: str) -> int:
        """Occurrences of the word, whole and in any case."""
        return len(re.findall(rf"\b{re.escape(word)}\b", self.text, re.IGNORECASE))


def text_article(path: Path) -> FileArticle:
    """A samples/text story: `date YYYY-MM-DD` then its text."""
    text = path.read_text(encoding="utf-8")
    day = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", text)
    assert day, path
    return FileArticle(
        text[day.end() :], datetime.fromisoformat(day[1]).replace(tzinfo=UTC), day[1]
    )


def wire_articles(path: Path) -> list[FileArticle]:
    """samples/wire.jsonl: `published` as ISO 8601, as `Month YYYY`, or absent."""
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published = record.get("published")
        when, label = None, None
        if published and published[:4].isdigit():
            when = datetime.fromisoformat(published).astimezone(UTC)
            label = when.date().isoformat()
        elif published:
            when = datetime.strptime(published, "%B %Y").replace(tzinfo=UTC)
            label = when.strftime("%Y-%m")
        articles.append(FileArticle(f"{record['headline']}\n{record['body']}", when, label))
    return articles


def read_articles(text_files: list[Path], wire: Path) -> list[FileArticle]:
    return [*(text_article(path) for path in text_files), *wire_articles(wire)]
