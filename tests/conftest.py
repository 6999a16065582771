"""Fixtures that build real indexes from real files; nothing of ours is mocked."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from search.indexer import index_paths
from search.live_index import SearchIndex
from search.web import create_app
from tests.tied import build_tied_index

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
SEED = SHARED_DATA / "seed" / "000_f011afa450b4fe03.txt"
REUTERS = SHARED_DATA / "reuters21578"
SAMPLES = PROJECT / "samples"


def need(path: Path) -> Path:
    """Skip the test, saying why, when the shared data is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"{path} is absent: put the shared data in ../shared/data to run this test")
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
    index_paths([need(SEED)], index_dir, workers=1)
    return index_dir


@pytest.fixture(scope="session")
def samples_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the project's own sample archive plus the seed article."""
    index_dir = tmp_path_factory.mktemp("samples-index")
    index_paths([SAMPLES, need(SEED)], index_dir, workers=1)
    return index_dir


@pytest.fixture(scope="session")
def reuters_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article and all Reuters-21578 files, indexed with two workers (minutes)."""
    index_dir = tmp_path_factory.mktemp("reuters-index")
    files = reuters_files()
    report = index_paths([need(SEED), *files], index_dir, workers=2)
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
    app.extensions["search_index"].close()


@pytest.fixture(scope="session")
def tied_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/ plus many articles whose dates and scores tie (tests/tied.py)."""
    return build_tied_index(tmp_path_factory.mktemp("ties"))
