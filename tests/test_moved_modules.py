"""An index written before the Whoosh code moved to search/backends/whoosh/ (commit d05a8d9).

Its TOC pickles the schema with the old class path `search.postings.ArrayPositions`.
tests/fixtures/index-before-seam.tar.gz was written by the code of commit 92aac47, the
last before the move, indexing the sample story alone:

    git worktree add --detach /tmp/old-code 92aac47
    cd /tmp  # not the checkout: `python -m` puts the working directory first on sys.path
    PYTHONPATH=/tmp/old-code CHECKOUT/.venv/bin/python -m search index \
        CHECKOUT/samples/text/017_kiprono-qualifiers.txt --index-dir /tmp/oldidx --workers 1
    rm /tmp/oldidx/indexer.lock
    tar czf CHECKOUT/tests/fixtures/index-before-seam.tar.gz --owner=0 --group=0 -C /tmp/oldidx .

Each check runs the CLI in a fresh process, as a user upgrading would: nothing imported
beforehand by the test run can make the old path resolve.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from search.layout import current_generation
from tests.conftest import SAMPLE_STORY, STORY_WORD
from tests.processes import run_cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "index-before-seam.tar.gz"
OLD_PATH = b"search.postings"
NEW_PATH = b"search.backends.whoosh.postings"


def unpacked(index_dir: Path) -> Path:
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(index_dir, filter="data")
    return index_dir


def toc_bytes(index_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in current_generation(index_dir).glob("*.toc"))


def test_the_fixture_names_the_old_path(tmp_path: Path) -> None:
    toc = toc_bytes(unpacked(tmp_path / "index"))
    assert OLD_PATH in toc and NEW_PATH not in toc  # else this file tests nothing


def test_an_index_from_before_the_move_is_searched(tmp_path: Path) -> None:
    index_dir = unpacked(tmp_path / "index")
    found = run_cli("search", STORY_WORD, "--json", "--index-dir", index_dir)
    assert found.returncode == 0, found.stderr
    page = json.loads(found.stdout)
    assert page["total"] == 1 and page["hits"][0]["date"] == "2023-04-05"
    stats = run_cli("stats", "--json", "--index-dir", index_dir)
    assert stats.returncode == 0 and json.loads(stats.stdout)["articles"] == 1, stats.stderr


@pytest.mark.parametrize("rebuild", [False, True])
def test_an_index_from_before_the_move_is_indexed_again(tmp_path: Path, rebuild: bool) -> None:
    index_dir = unpacked(tmp_path / "index")
    files = [SAMPLE_STORY, SAMPLE_STORY.parent / "001_helix-plant-osaka.txt"]
    rebuilding = ["--rebuild"] if rebuild else []
    indexed = run_cli("index", *files, "--index-dir", index_dir, *rebuilding)
    assert indexed.returncode == 0 and "Error" not in indexed.stderr, indexed.stderr
    found = run_cli("search", "--json", "--index-dir", index_dir)
    assert json.loads(found.stdout)["total"] == len(files)
    toc = toc_bytes(index_dir)
    assert NEW_PATH in toc and OLD_PATH + b"\n" not in toc  # the new commit names the new path
