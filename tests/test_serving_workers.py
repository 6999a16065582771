"""`newsarchive serve --workers N`: worker processes on one port, replaced when one dies."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processes import running_server

PROC = Path("/proc")
WAIT_SECONDS = 20


def children(pid: int) -> set[int]:
    """The pids of a process's children, from /proc."""
    listing = PROC / str(pid) / "task" / str(pid) / "children"
    return {int(child) for child in listing.read_text().split()} if listing.exists() else set()


def alive(pid: int) -> bool:
    """True while a process exists and is not a zombie."""
    status = PROC / str(pid) / "status"
    try:
        return "\nState:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


def wait_for(check: Callable[[], bool], what: str) -> None:
    """Poll `check` until it is true; fail saying `what` did not happen."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {WAIT_SECONDS} s")
        time.sleep(0.1)


@pytest.mark.skipif(not (PROC / "self" / "task").exists(), reason="needs Linux /proc")
def test_workers_answer_get_replaced_when_killed_and_stop_with_the_server(
    samples_index: Path,
) -> None:
    with running_server(samples_index, "--workers", "2", "--threads", "2") as server:
        parent = server.process.pid
        wait_for(lambda: len(children(parent)) == 2, "two workers did not start")
        workers = children(parent)
        for _ in range(6):  # new connections, spread over the workers by the kernel
            status, page = server.get_json("/api/search?q=market")
            assert status == 200 and page["total"] >= 1
        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        wait_for(
            lambda: killed not in children(parent) and len(children(parent)) == 2,
            "the killed worker was not replaced",
        )
        for _ in range(4):
            assert server.get_json("/api/search?q=market")[0] == 200
        workers = children(parent)
    assert server.process.returncode is not None
    wait_for(lambda: not any(alive(pid) for pid in workers), "workers outlived the server")
