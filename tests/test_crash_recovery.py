"""Never half-built, never corrupted: rebuilds under load, killed indexers, two at once.

Everything runs as real processes: `python -m search index|serve` on real files, a real
server on a free loopback port, SIGKILL sent to the indexer's own pid.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from search.layout import GENERATIONS
from tests.processes import (
    Server,
    cli_command,
    cli_environment,
    parse_summary,
    run_cli,
    running_server,
)

pytestmark = pytest.mark.slow
SMALL = 30
LARGE = 5_000  # tiny records: seconds of indexing, long enough to be interrupted
WORD = "tidings"  # in every article of both builds
# One client searching back to back: two at once would also trip the shared-searcher race
# that tests/test_concurrent_search.py shows (a bug of its own, not of the swap).
LOAD_THREADS = 1
KILLS = 4


def write_build(path: Path, prefix: str, count: int) -> Path:
    """A JSON Lines file of `count` tiny articles with ids `prefix0`, `prefix1`, ..."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            record = {"id": f"{prefix}{number}", "title": f"Note {number}", "body": f"{WORD}."}
            out.write(json.dumps(record) + "\n")
    return path


def build_of(page: dict) -> str:
    """Which build a search answer came from, 'a' or 'b'; fails on a mix of the two."""
    builds = {hit["id"][0] for hit in page["hits"]}
    expected_total = {"a": SMALL, "b": LARGE}
    assert len(builds) == 1, f"a response mixes builds: {builds}"
    build = builds.pop()
    assert page["total"] == expected_total[build], (build, page["total"])
    return build


def index_total(index_dir: Path) -> tuple[int, set[str]]:
    """The live index's article count and the id prefixes of its first page, via the CLI."""
    found = run_cli("search", WORD, "--index-dir", index_dir, "--json", "--limit", "50")
    assert found.returncode == 0, found.stderr
    page = json.loads(found.stdout)
    return page["total"], {hit["id"][0] for hit in page["hits"]}


def generations(index_dir: Path) -> list[str]:
    """The generation directories left on disk."""
    return sorted(p.name for p in (index_dir / GENERATIONS).iterdir())


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path]:
    """Two distinguishable archives: SMALL articles a0..., LARGE articles b0..."""
    return write_build(tmp_path / "a.jsonl", "a", SMALL), write_build(
        tmp_path / "b.jsonl", "b", LARGE
    )


class Load:
    """Threads searching a live server without pause, recording every answer."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.stop = threading.Event()
        self.answers: list[str] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self.run) for _ in range(LOAD_THREADS)]

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                status, page = self.server.get_json(f"/api/search?q={WORD}&sort=oldest")
                if status != 200:
                    self.failures.append(f"status {status}: {page}")
                    continue
                self.answers.append(build_of(page))
            except Exception as error:  # noqa: BLE001 - every failure is what we count
                self.failures.append(f"{type(error).__name__}: {error}")

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def test_rebuilds_under_a_stream_of_searches_fail_no_request(tmp_path: Path, builds) -> None:
    build_a, build_b = builds
    index_dir = tmp_path / "index"
    assert run_cli("index", build_a, "--index-dir", index_dir, "--workers", "1").returncode == 0
    with running_server(index_dir) as server, Load(server) as load:
        for source, expected in ((build_b, "b"), (build_a, "a")):
            done = run_cli("index", source, "--index-dir", index_dir, "--rebuild", "--workers", "1")
            assert done.returncode == 0, done.stderr
            seen = len(load.answers)
            while len(load.answers) < seen + LOAD_THREADS * 3 and not load.failures:
                time.sleep(0.05)
            assert load.answers[-1] == expected
    assert load.failures == []
    assert {"a", "b"} <= set(load.answers) and len(load.answers) > 50


def kill_after(command: list[str], seconds: float, index_dir: Path | None = None) -> int | None:
    """Start a command, SIGKILL it `seconds` later; its exit code if it finished first.

    With `index_dir`, the seconds count from the moment the run creates its new
    generation directory, so that the kill lands while the index is being written.
    """
    before = set(generations(index_dir)) if index_dir else set()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_environment()
    )
    while index_dir and process.poll() is None and set(generations(index_dir)) <= before:
        time.sleep(0.01)
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def test_a_killed_rebuild_leaves_the_last_good_index_and_the_next_run_recovers(
    tmp_path: Path, builds
) -> None:
    build_a, build_b = builds
    index_dir = tmp_path / "index"
    assert run_cli("index", build_a, "--index-dir", index_dir, "--workers", "1").returncode == 0
    rebuild_b = cli_command(
        "index", build_b, "--index-dir", index_dir, "--rebuild", "--workers", "1"
    )
    # Time one whole rebuild, then kill others at random points within that time.
    started = time.monotonic()
    assert subprocess.run(rebuild_b, env=cli_environment(), capture_output=True).returncode == 0
    duration = time.monotonic() - started
    assert run_cli("index", build_a, "--index-dir", index_dir, "--rebuild").returncode == 0
    points = [random.uniform(0.1, 0.95) * duration for _ in range(KILLS)]
    with running_server(index_dir) as server:
        for number, seconds in enumerate(points):
            # Half the kills at any moment, half once the new generation is being written.
            writing = index_dir if number % 2 else None
            finished = kill_after(rebuild_b, seconds / 2 if writing else seconds, writing)
            status, page = server.get_json(f"/api/search?q={WORD}")
            assert status == 200
            # Killed before the swap: the old build; after it (or finished): the new one.
            served = build_of(page)
            assert served == "b" if finished == 0 else served in ("a", "b")
            if served == "b":  # the rebuild got to its swap: start again from build a
                again = run_cli("index", build_a, "--index-dir", index_dir, "--rebuild")
                assert again.returncode == 0, again.stderr
        assert index_total(index_dir) in ((SMALL, {"a"}), (LARGE, {"b"}))
        live_before = (index_dir / "current").resolve().name
        recovered = run_cli(
            "index", build_b, "--index-dir", index_dir, "--rebuild", "--workers", "1"
        )
        assert recovered.returncode == 0, recovered.stderr
        assert parse_summary(recovered.stdout).indexed == LARGE
        status, page = server.get_json(f"/api/search?q={WORD}")
        assert status == 200 and build_of(page) == "b"
    # The live generation and the one live before it stay (readers may hold it open);
    # the half-written generations of killed runs are gone.
    live_after = (index_dir / "current").resolve().name
    assert generations(index_dir) == sorted({live_before, live_after})


def test_a_killed_incremental_run_commits_all_or_nothing(tmp_path: Path, builds) -> None:
    build_a, build_b = builds
    index_dir = tmp_path / "index"
    assert run_cli("index", build_a, "--index-dir", index_dir, "--workers", "1").returncode == 0
    add_b = cli_command("index", build_b, "--index-dir", index_dir, "--workers", "1")
    finished = kill_after(add_b, random.uniform(1.0, 4.0))
    total, _ = index_total(index_dir)
    # Killed before its one commit: nothing of b; after it (or finished): all of b.
    assert total == SMALL + LARGE if finished == 0 else total in (SMALL, SMALL + LARGE)
    again = run_cli("index", build_a, build_b, "--index-dir", index_dir, "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert index_total(index_dir)[0] == SMALL + LARGE


def test_a_second_indexer_is_refused_with_one_line_and_the_index_is_whole(
    tmp_path: Path, builds
) -> None:
    _, build_b = builds
    index_dir = tmp_path / "index"
    command = cli_command("index", build_b, "--index-dir", index_dir, "--workers", "1")
    both = [
        subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_environment(),
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600) for process in both]
    codes = [process.returncode for process in both]
    assert sorted(codes)[0] == 0 and sorted(codes)[1] != 0, (codes, outputs)
    ordered = sorted(zip(codes, outputs, strict=True), key=lambda pair: pair[0])
    done_out, refused_err = ordered[0][1][0], ordered[1][1][1].strip()
    assert refused_err.count("\n") == 0 and "Traceback" not in refused_err, refused_err
    assert "another indexer is writing" in refused_err
    assert parse_summary(done_out).indexed == LARGE
    assert index_total(index_dir)[0] == LARGE


HOLD_LOCK_AND_FORK = """
import os, sys, time
from pathlib import Path
from search.layout import writer_lock
with writer_lock(Path(sys.argv[1])):
    child = os.fork()  # as Whoosh's multi-process writer does
    if child == 0:
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(60)
"""


def test_a_killed_indexers_forked_children_do_not_keep_the_lock(tmp_path: Path, builds) -> None:
    build_a, _ = builds
    index_dir = tmp_path / "index"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK_AND_FORK, str(index_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_environment(),
    )
    child = int(holder.stdout.readline()) if holder.stdout else 0
    try:
        busy = run_cli("index", build_a, "--index-dir", index_dir, "--workers", "1")
        assert busy.returncode != 0 and "another indexer" in busy.stderr
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        # The orphaned child still runs, but the lock died with the indexer that took it.
        done = run_cli("index", build_a, "--index-dir", index_dir, "--workers", "1")
        assert done.returncode == 0, done.stderr
    finally:
        if holder.stdout:
            holder.stdout.close()
        if child:
            os.kill(child, signal.SIGKILL)


def children_of(pid: int) -> set[int]:
    """The processes whose parent is pid, from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find child processes")
def test_a_killed_rebuilds_writer_processes_die_with_it(tmp_path: Path, builds) -> None:
    _, build_b = builds
    index_dir = tmp_path / "index"
    assert run_cli("index", build_b, "--index-dir", index_dir).returncode == 0
    rebuild = subprocess.Popen(
        cli_command("index", build_b, "--index-dir", index_dir, "--rebuild"),
        env=cli_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    writers: set[int] = set()
    deadline = time.monotonic() + 60
    while not writers and rebuild.poll() is None and time.monotonic() < deadline:
        writers = children_of(rebuild.pid)  # all extraction is cached: these are writers
        time.sleep(0.01)
    rebuild.send_signal(signal.SIGKILL)
    rebuild.wait()
    assert writers, "the rebuild finished before its writer processes were seen"
    # Killed at once, not when their share is done (a second or more for 2,500 articles).
    deadline = time.monotonic() + 0.5
    while any(Path(f"/proc/{pid}").exists() for pid in writers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in writers if Path(f"/proc/{pid}/stat").exists()]
    zombies = [
        p for p in alive if Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    ]
    assert alive == zombies, f"writer processes {alive} outlived the killed indexer"
