"""Entity extraction in Dask workers (`index --dask`): a real LocalCluster on loopback.

Starting a cluster (scheduler, two worker processes, the model loaded in each) costs
seconds, so the tests that start one are marked slow.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cache import CACHE_FILE
from search.cli import cli
from search.distributed import dask_extractor, extract_in_worker
from search.extraction import Found, Job, text_of, work_chunk
from search.identity import RunIds
from search.indexer import prepare_articles
from search.ingest import read_paths
from search.models import IndexReport
from tests.conftest import PROJECT, SAMPLES

UNREADABLE = "An article its workers cannot read"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def cache_values(index_dir: Path) -> dict[str, str]:
    """Every key and value of an index's extraction cache."""
    with sqlite3.connect(index_dir / CACHE_FILE) as connection:
        return dict(connection.execute("SELECT key, value FROM entities"))


def indexed_facets(index_dir: Path) -> dict[str, tuple]:
    """Each indexed article's facet values (actors, countries, orgs, language), by id."""
    exported = run("export", "", "--format", "jsonl", "--index-dir", str(index_dir))
    assert exported.exit_code == 0, exported.output
    rows = [json.loads(line) for line in exported.output.splitlines() if line.startswith("{")]
    return {
        row["id"]: (row["actors"], row["countries"], row["orgs"], row["language"]) for row in rows
    }


def free_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_dask_local_gives_the_facet_values_of_the_local_path(tmp_path: Path) -> None:
    local, dask = tmp_path / "local", tmp_path / "dask"
    here = run("index", str(SAMPLES), "--index-dir", str(local), "--workers", "2")
    there = run(
        "index", str(SAMPLES), "--index-dir", str(dask), "--dask", "local", "--workers", "2"
    )
    assert here.exit_code == 0 and there.exit_code == 0, there.output
    assert (
        there.output.splitlines()[-1].split(" in ")[0]
        == here.output.splitlines()[-1].split(" in ")[0]
    )  # the same counts of records, added and failed
    assert cache_values(dask) == cache_values(local) and len(cache_values(local)) > 40
    facets = indexed_facets(local)
    assert indexed_facets(dask) == facets
    assert sum(bool(actors) for actors, *_ in facets.values()) > 20  # extraction ran


@pytest.mark.slow
def test_a_bad_record_is_reported_and_the_others_indexed(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLES / "text", archive)
    bad = archive / "wire.jsonl"
    good = {"id": "fine", "title": "Minister visits Kenya", "body": "Jane Mwangi met Ruto."}
    bad.write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    result = run("index", str(archive), "--index-dir", str(index_dir), "--dask", "local")
    assert result.exit_code == 0, result.output
    assert f"failed: {bad}" in result.output and "line 2" in result.output
    texts = len(list((SAMPLES / "text").iterdir()))
    assert f"{texts + 1} added, 0 updated, 0 unchanged, 1 failed" in result.output
    assert "fine" in indexed_facets(index_dir)


def unreadable_or_extracted(jobs: list[Job]) -> list[Found]:
    """A worker's chunk that fails whole when it holds the unreadable article."""
    if any(job.text.title == UNREADABLE for job in jobs):
        raise ValueError("cannot read this one")
    return extract_in_worker(jobs)


@pytest.mark.slow
def test_a_failed_chunk_is_retried_article_by_article(tmp_path: Path) -> None:
    """The article its workers fail on, even alone, is answered with the reason; the others
    of its chunk get their entities, the same as the local path gives them."""
    records = list(read_paths([SAMPLES / "wire.jsonl"]))
    articles = list(prepare_articles(records, {}, IndexReport(), RunIds()))
    articles[3].title = UNREADABLE
    jobs = [Job(text_of(article), article.language, True) for article in articles]
    with dask_extractor("local", 2) as extractor:
        extractor.work, extractor.chunk_size = unreadable_or_extracted, 8
        done = dict(
            pair
            for positions, found in extractor(jobs)
            for pair in zip(positions, found, strict=True)
        )
    assert sorted(done) == list(range(len(jobs)))
    failed = done.pop(3)
    assert failed.entities is None and "ValueError: cannot read this one" in str(failed.problem)
    expected = work_chunk([job for position, job in enumerate(jobs) if position != 3])
    assert [done[position] for position in sorted(done)] == expected
    assert all(found.problem is None for found in expected)


def test_an_unreachable_scheduler_is_one_line_naming_it(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(
        cli, ["index", str(SAMPLES / "text"), "--index-dir", str(index_dir), "--dask", address]
    )
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: cannot reach the Dask scheduler at " + address)
    assert not (index_dir / "current").exists()  # nothing was indexed


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--dask", "somewhere"], "Error: --dask: give `local` or a scheduler's address"),
        (["--dask", "tcp://127.0.0.1:99999"], "Error: --dask: give `local`"),
        (["--dask", "tcp://127.0.0.1:8786", "--workers", "2"], "Error: --workers: a Dask"),
    ],
)
def test_a_dask_option_that_cannot_be_used_is_one_line(
    tmp_path: Path, options: list[str], message: str
) -> None:
    index_dir = str(tmp_path / "index")
    result = CliRunner().invoke(cli, ["index", str(SAMPLES), "--index-dir", index_dir, *options])
    assert result.exit_code != 0
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_dask_is_imported_only_for_dask() -> None:
    """Indexing, searching and serving never pay for importing Dask."""
    code = (
        "import sys, search.cli, search.indexer, search.web;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == "[]"
