"""Real subprocesses for the robustness tests: the `newsarchive` CLI and a live server."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

PROJECT = Path(__file__).resolve().parents[1]
SERVER_START_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 30
SUMMARY = re.compile(
    r"(?P<seen>[\d,]+) records seen = (?P<indexed>[\d,]+) indexed \+ (?P<failed>[\d,]+) failed"
    r".*: (?P<added>[\d,]+) added, (?P<updated>[\d,]+) updated, (?P<unchanged>[\d,]+) unchanged"
)
FAILED_LINE = re.compile(r"^failed: (?P<where>.+?): (?P<reason>.+)$")


def cli_command(*args: str | bytes | Path) -> list[str | bytes]:
    """The argv of `python -m search ARGS` with this interpreter; bytes are passed as they are."""
    return [sys.executable, "-m", "search", *(a if isinstance(a, bytes) else str(a) for a in args)]


def cli_environment() -> dict[str, str]:
    """The environment for child processes: ours, with the checkout importable first."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.pop("NEWSARCHIVE_INDEX_DIR", None)
    return environment


def run_cli(
    *args: str | bytes | Path, timeout: float = 600, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `newsarchive ARGS` to the end, capturing its output; `settings` join its environment."""
    return subprocess.run(
        cli_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**cli_environment(), **(settings or {})},
        cwd=PROJECT,
    )


@dataclass
class Summary:
    """The counts of `newsarchive index`'s summary line."""

    seen: int
    indexed: int
    failed: int
    added: int
    updated: int
    unchanged: int


def parse_summary(stdout: str) -> Summary:
    """The summary line's counts; fails the test if the line is not there."""
    match = SUMMARY.search(stdout)
    assert match, f"no summary line in {stdout!r}"
    return Summary(**{k: int(v.replace(",", "")) for k, v in match.groupdict().items()})


def failure_lines(stderr: str) -> list[tuple[str, str]]:
    """Each `failed: WHERE: REASON` line of an index run as (where, reason)."""
    found = []
    for line in stderr.splitlines():
        match = FAILED_LINE.match(line)
        if match:
            found.append((match["where"], match["reason"]))
    return found


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running `newsarchive serve` and the base URL it answers on."""

    process: subprocess.Popen[str]
    base: str
    log: IO[str]

    def output(self) -> str:
        """What the server has printed so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """GET a path: status, headers and body, HTTP errors included."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=REQUEST_TIMEOUT_SECONDS) as reply:
                return reply.status, dict(reply.headers), reply.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get_json(self, path: str) -> tuple[int, Any]:
        """GET a JSON path: status and decoded body."""
        status, _, body = self.get(path)
        return status, json.loads(body)


@contextmanager
def running_server(index_dir: Path, *extra: str) -> Iterator[Server]:
    """`newsarchive serve` on a free loopback port, stopped (by its own pid) afterwards."""
    port = free_port()
    # A file, not a pipe: nobody reads the log while the server runs, and a full pipe blocks.
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            cli_command("serve", "--port", str(port), "--index-dir", index_dir, *extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=cli_environment(),
            cwd=PROJECT,
        )
        server = Server(process, f"http://127.0.0.1:{port}", log)
        try:
            wait_until_listening(server, port)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(server: Server, port: int) -> None:
    """Block until the server accepts connections; fail with its output if it died."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(
                f"the server exited with {server.process.returncode}: {server.output()}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not listen on port {port} within the time allowed")
