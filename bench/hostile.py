"""The hostile phase of `make stress`: abusive requests beside the normal load.

Issue 13's abuses, sent from a separate process (so that they do not take the load
generator's interpreter lock) while the normal clients run: requests with thousands of
filter values (items 1), zero-result queries of invented words for "did you mean"
(item 2), and ~110 connections that send half a header and wait (item 3, slowloris).
The figures are the normal load's p99 and errors and the server's memory (all its
processes), each against the plain run.
"""

from __future__ import annotations

import http.client
import multiprocessing
import random
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

SLOW_CLIENTS = 110
HALF_HEADER = b"GET /search?q=oil HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
ABUSERS = 2  # abusive requests in flight at once
FILTER_VALUES = (90, 1_000, 3_000, 10_000)  # 10,000 values: a 119 KB request line
INVENTED_WORDS = (4, 40)
SAMPLE_SECONDS = 0.2
TARGET_P99_RATIO = TARGET_RSS_RATIO = 2.0


def abusive_path(rng: random.Random) -> str:
    """One abusive request: many filter values, or invented words to respell."""
    if rng.random() < 0.5:
        count = rng.choice(FILTER_VALUES)
        name = rng.choice(("actor", "org", "not_country"))
        params = [("q", "oil"), *((name, f"a{rng.random():.6f}") for _ in range(count))]
        return rng.choice(("/search", "/api/search")) + "?" + urlencode(params)
    words = " ".join(invented_word(rng) for _ in range(rng.choice(INVENTED_WORDS)))
    return "/search?" + urlencode({"q": words})


def invented_word(rng: random.Random) -> str:
    """A word no archive holds, close to nothing: each one new, so nothing is cached."""
    return "".join(rng.choice("bcdfghklmnprstvz") for _ in range(rng.randint(6, 9)))


def abuse(port: int, seconds: float, statuses: dict) -> None:
    """Hold SLOW_CLIENTS half-header sockets and send abusive requests for `seconds`."""
    stop = time.monotonic() + seconds
    slow = threading.Thread(target=hold_slow_sockets, args=(port, stop))
    slow.start()
    counts: Counter[str] = Counter()
    threads = [
        threading.Thread(target=send_abuse, args=(port, stop, seed, counts))
        for seed in range(ABUSERS)
    ]
    for thread in threads:
        thread.start()
    for thread in [*threads, slow]:
        thread.join()
    statuses.update(counts)


def send_abuse(port: int, stop: float, seed: int, counts: Counter[str]) -> None:
    """Abusive requests back to back until `stop`; each answer's status counted."""
    rng = random.Random(seed)
    while time.monotonic() < stop:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", abusive_path(rng))
            response = connection.getresponse()
            response.read()
            counts[str(response.status)] += 1
        except (OSError, http.client.HTTPException) as problem:
            counts[type(problem).__name__] += 1
        finally:
            connection.close()


def hold_slow_sockets(port: int, stop: float) -> None:
    """Keep SLOW_CLIENTS connections open that sent half a header; reopen closed ones."""
    sockets: list[socket.socket] = []
    while time.monotonic() < stop:
        for connection in [s for s in sockets if closed(s)]:
            sockets.remove(connection)
            connection.close()
        while len(sockets) < SLOW_CLIENTS:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                connection.sendall(HALF_HEADER)
                connection.setblocking(False)
                sockets.append(connection)
            except OSError:
                break
        time.sleep(0.5)
    for connection in sockets:
        connection.close()


def closed(connection: socket.socket) -> bool:
    """Whether the server closed a socket we hold (it then reads as end of file)."""
    try:
        return connection.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def start_abuse(port: int, seconds: float) -> tuple[multiprocessing.Process, dict]:
    """The abuse in its own process; the dict fills with its status counts when it ends."""
    manager = multiprocessing.Manager()
    statuses = manager.dict()
    process = multiprocessing.Process(target=abuse, args=(port, seconds, statuses))
    process.start()
    return process, statuses


class MemoryWatch:
    """The peak resident memory of a process and its children, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self._stop.wait(SAMPLE_SECONDS)

    @property
    def peak_mb(self) -> float:
        """The peak, in MB."""
        return self.peak_kb / 1024


def tree_rss_kb(pid: int) -> int:
    """VmRSS of a process and its direct children (serve's workers), in kB."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    total = 0
    for each in pids:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")),
            0,
        )
    return total


def compare(plain_p99_ms: float, p99_ms: float, errors: int, plain_mb: float, mb: float) -> str:
    """The hostile figures against the plain run's, and whether they meet the targets."""
    ratio = p99_ms / plain_p99_ms if plain_p99_ms else float("inf")
    memory = mb / plain_mb if plain_mb else float("inf")
    met = ratio <= TARGET_P99_RATIO and errors == 0 and memory <= TARGET_RSS_RATIO
    return (
        f"normal load p99 {p99_ms:.0f} ms = {ratio:.2f}x plain ({plain_p99_ms:.0f} ms); "
        f"{errors} errors; server RSS peak {mb:,.0f} MB = {memory:.2f}x plain ({plain_mb:,.0f} MB)"
        f" [target p99 <= {TARGET_P99_RATIO:g}x, 0 errors, RSS <= {TARGET_RSS_RATIO:g}x: "
        f"{'met' if met else 'NOT met'}]"
    )
