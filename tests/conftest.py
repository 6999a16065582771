"""Fixtures that build real indexes from real files; nothing of ours is mocked.

The core suite runs on the project's own samples/ and files the tests write. Tests that
read the shared data (the seed article, Reuters-21578) are marked `integration`; they
skip, naming the missing path, where the data is absent.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from search.backends.whoosh.live_index import SearchIndex
from search.web import create_app
from tests.indexing import index_into
from tests.tied import build_tied_index

PROJECT = Path(__file__).resolve().parents[1]
# Tests alone read this variable: pointing it at an empty directory shows what a clone
# without the shared data runs.
SHARED_DATA = Path(os.environ.get("NEWSARCHIVE_SHARED_DATA") or PROJECT.parent / "shared" / "data")
SEED = SHARED_DATA / "seed" / "000_f011afa450b4fe03.txt"
REUTERS = SHARED_DATA / "reuters21578"
SAMPLES = PROJECT / "samples"
# One sample story for tests that follow a single article: dated, two countries, a sub-heading.
SAMPLE_STORY = SAMPLES / "text" / "017_kiprono-qualifiers.txt"
STORY_DATE = re.match(r"\s*date (\S+)", SAMPLE_STORY.read_text(encoding="utf-8"))[1]
STORY_WORD = "ugly"  # in the sample story and in no other sample
_running: list[pytest.Item] = []  # the test being set up or run, for need()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Remember the test before its fixtures are built, so that need() can check its marks."""
    _running[:] = [item]


def need(path: Path) -> Path:
    """The path of some shared data; skip the test, saying why, when it is absent.

    Only integration tests may read the shared data: a core test that does is an error,
    so that the core suite stays runnable in a clone that has nothing beside it.
    """
    test = _running[-1] if _running else None
    if test is not None and test.get_closest_marker("integration") is None:
        raise AssertionError(f"{test.nodeid} reads {path}: mark it integration or use samples/")
    if not path.exists():
        pytest.skip(f"{path} is absent: put the shared data there, or set NEWSARCHIVE_SHARED_DATA")
    return path


def run_together(work: Callable[..., None], arguments: list[tuple[Any, ...]]) -> None:
    """Run `work` once per tuple of arguments, each in its own thread, all at once."""
    threads = [threading.Thread(target=work, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def reuters_files() -> list[Path]:
    """The Reuters-21578 SGML files in the shared data."""
    return sorted(need(REUTERS).glob("reut2-*.sgm"))


def count_reuters_records(files: list[Path]) -> int:
    """<REUTERS> start tags, counted without our reader."""
    return sum(len(re.findall(rb"<REUTERS[ >]", f.read_bytes())) for f in files)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the seed article alone."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    index_into([need(SEED)], index_dir, workers=1)
    return index_dir


@pytest.fixture(scope="session")
def samples_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the project's own sample archive: the core suite needs nothing else."""
    index_dir = tmp_path_factory.mktemp("samples-index")
    index_into([SAMPLES], index_dir, workers=1)
    return index_dir


@pytest.fixture(scope="session")
def reuters_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article and all Reuters-21578 files, indexed with two workers (minutes)."""
    index_dir = tmp_path_factory.mktemp("reuters-index")
    files = reuters_files()
    report = index_into([need(SEED), *files], index_dir, workers=2)
    assert report.failed == 0, report.failures[:5]
    return index_dir


@pytest.fixture
def samples_search(samples_index: Path):
    """A SearchIndex over the samples index, closed after the test."""
    search_index = SearchIndex(samples_index)
    yield search_index
    search_index.close()


@pytest.fixture
def client(samples_index: Path):
    """Flask's test client on an app serving the samples index."""
    app = create_app({"INDEX_DIR": str(samples_index), "TESTING": True})
    yield app.test_client()
    app.extensions["backend"].close()


@pytest.fixture(scope="session")
def tied_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/ plus many articles whose dates and scores tie (tests/tied.py)."""
    return build_tied_index(tmp_path_factory.mktemp("ties"))
