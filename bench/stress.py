"""Load and volume figures: `python -m bench.stress` (`make stress`). Prints, never fails a build.

1. Search load: a real `newsarchive serve` on loopback over an index of the Reuters-21578
   files (built once into a cache directory, reused later), driven for a fixed time by
   threads sending a realistic mix (words, phrases, prefixes, facet filters, dates, sorts,
   pages, HTML and JSON, article pages); requests/s, p50/p95/p99 and errors, first alone,
   then beside issue 13's abuses (bench/hostile.py: thousands of filter values, invented
   words to respell, ~110 half-header sockets) against the plain run's p99 and server
   memory, then while `index --rebuild` runs again and again.
2. Volume: a generated JSON Lines file of a million tiny records (some broken) read with
   every line accounted for, then indexed end to end (`--indexed-lines N` for fewer).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.hostile import ABUSERS, SLOW_CLIENTS, MemoryWatch, compare, start_abuse
from search.config import setting
from search.ingest import read_paths
from search.models import RecordError

PROJECT = Path(__file__).resolve().parents[1]
REUTERS = PROJECT.parent / "shared" / "data" / "reuters21578"
CACHE = Path(
    os.environ.get("NEWSARCHIVE_STRESS_CACHE", Path.home() / ".cache" / "newsarchive-stress")
)
SERVER_LOG = CACHE / "server.log"
SECONDS = 30
CLIENTS = 4  # the load generator shares the machine's cores with the server
SERVER_THREADS = 4
SERVER_WORKERS = 2  # processes: waitress threads share one core's worth of Python work
WARM_UP_SEED, ALONE_SEED, REBUILD_SEED, HOSTILE_SEED = 1000, 2000, 3000, 4000  # one per phase
MILLION = 1_000_000
INDEXED_LINES = 0  # lines of the volume file to index: all of them
BROKEN_EVERY = 1_000
WORDS = (
    "oil", "wheat", "coffee", "trade", "deficit", "bank", "rates", "dollar", "yen", "gold",
    "shares", "profit", "merger", "tanker", "opec", "sugar", "grain", "exports", "tax", "debt",
)  # fmt: skip
QUERIES = (
    '"oil prices"', "coff*", "trade AND deficit", "opec OR \"oil ministers\"", "tanker NOT gulf",
    "title:oil", "interest rates", "bank~1", "export*", "(wheat OR grain) AND exports",
)  # fmt: skip
SORTS = ("relevance", "newest", "oldest")
TARGET_RATE, TARGET_P99_MS = 100, 250


@dataclass
class Tally:
    """Latencies and errors of one load phase, shared by the client threads."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def run(command: list[str], nice: int = 0) -> subprocess.CompletedProcess[str]:
    """Run `python -m search ...` to the end; with `nice`, at that lower CPU priority."""
    prefix = ["nice", "-n", str(nice)] if nice else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "search", *command],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )


def reuters_files() -> list[str]:
    """The Reuters SGML files, or exit with a clear message when the shared data is absent."""
    files = sorted(str(path) for path in REUTERS.glob("reut2-*.sgm"))
    if not files:
        sys.exit(f"stress: {REUTERS} is absent; put the shared data in ../shared/data")
    return files


def ensure_index(files: list[str]) -> Path:
    """The cached Reuters index, built on the first run (minutes), reused afterwards."""
    index_dir = CACHE / "reuters-index"
    if (index_dir / "current").exists():
        print(f"index: reusing {index_dir}")
        return index_dir
    print(f"index: building {index_dir} from {len(files)} Reuters files (once; minutes)")
    started = time.monotonic()
    done = run(["index", *files, "--index-dir", str(index_dir), "--workers", "2"])
    if done.returncode != 0:
        sys.exit(f"stress: indexing failed: {done.stderr.strip()[-500:]}")
    print(f"index: {done.stdout.strip()} ({time.monotonic() - started:.0f} s wall)")
    return index_dir


def start_server(
    index_dir: Path, port: int, threads: int, workers: int = 1, cache_mb: int | None = None
) -> subprocess.Popen[bytes]:
    """`newsarchive serve` on loopback, its log in SERVER_LOG; returns once it answers.

    `cache_mb` sets the server's result cache (NEWSARCHIVE_RESULT_CACHE_MB; 0 turns it
    off); None leaves the server's default.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ)
    if cache_mb is not None:
        environment["NEWSARCHIVE_RESULT_CACHE_MB"] = str(cache_mb)
    with SERVER_LOG.open("w") as log:  # the child keeps its own handle
        server = subprocess.Popen(
            [sys.executable, "-m", "search", "serve", "--port", str(port),
             "--threads", str(threads), "--workers", str(workers),
             "--index-dir", str(index_dir)],
            stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT, env=environment,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/search?q=oil")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("stress: the server did not start")


def facet_values(port: int) -> dict[str, list[str]]:
    """The top values of each entity facet, to filter by as a reader clicking facets would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/search")
    facets = json.loads(connection.getresponse().read())["facets"]
    return {kind: [v["value"] for v in facets[kind][:15]] for kind in ("actor", "country", "org")}


def article_ids(port: int) -> list[str]:
    """Some article ids, for article pages in the mix."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/search?q=oil&page=2")
    return [hit["id"] for hit in json.loads(connection.getresponse().read())["hits"]]


def next_path(rng: random.Random, facets: dict[str, list[str]], ids: list[str]) -> str:
    """One request of the mix: 60% JSON, 30% HTML search, 10% article pages."""
    roll = rng.random()
    if roll < 0.1 and ids:
        return ("/article/" if rng.random() < 0.5 else "/api/article/") + rng.choice(ids)
    params: list[tuple[str, str]] = []
    kind = rng.random()
    if kind < 0.45:
        params.append(("q", rng.choice(WORDS)))
    elif kind < 0.7:
        params.append(("q", rng.choice(QUERIES)))
    if rng.random() < 0.5:  # a facet filter, sometimes two
        for _ in range(rng.choice((1, 1, 2))):
            name = rng.choice(("actor", "country", "org"))
            if facets[name]:
                params.append((name, rng.choice(facets[name])))
    if rng.random() < 0.2:
        params += [("since", "1987-03"), ("until", "1987-04")]
    if rng.random() < 0.3:
        params.append(("sort", rng.choice(SORTS)))
    if rng.random() < 0.2:
        params.append(("page", str(rng.randint(2, 3))))
    route = "/api/search" if roll < 0.7 else "/search"
    return route + ("?" + urlencode(params) if params else "")


def client(port: int, stop: threading.Event, tally: Tally, seed: int, mix: tuple) -> None:
    """One client: a keep-alive connection, requests back to back until told to stop."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        path = next_path(rng, *mix)
        started = time.perf_counter()
        error = None
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                error = f"{response.status} {path}"
        except (OSError, http.client.HTTPException) as problem:
            error = f"{type(problem).__name__} {path}"
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.add(time.perf_counter() - started, error)


def drive(
    port: int, seconds: float, clients: int, mix: tuple, first_seed: int = 0
) -> tuple[Tally, float]:
    """Run the clients for `seconds`; the tally and the wall time it covers.

    Each client draws its requests from its own seed, `first_seed` onwards: phases given
    different seeds send different sequences, so no phase replays an earlier one's
    requests into a result cache (the mix still repeats itself, as readers do).
    """
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=client, args=(port, stop, tally, first_seed + number, mix))
        for number in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(name: str, tally: Tally, wall: float) -> None:
    """One line of figures for a load phase, and whether it meets the target."""
    count = len(tally.latencies)
    rate = count / wall
    p50, p95, p99 = (percentile(tally.latencies, s) * 1000 for s in (0.5, 0.95, 0.99))
    met = rate >= TARGET_RATE and p99 <= TARGET_P99_MS and not tally.errors
    print(
        f"{name}: {count:,} requests in {wall:.1f} s = {rate:,.0f} req/s; "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms; {len(tally.errors)} errors"
        f" [target >= {TARGET_RATE} req/s, p99 <= {TARGET_P99_MS} ms, 0 errors: "
        f"{'met' if met else 'NOT met'}]"
    )
    for error in tally.errors[:5]:
        print(f"  error: {error}")


def rebuild_loop(
    index_dir: Path, files: list[str], stop: threading.Event, done: list, nice: int = 0
) -> None:
    """Rebuild the index again and again until told to stop; count the swaps."""
    while not stop.is_set():
        result = run(
            ["index", *files, "--index-dir", str(index_dir), "--rebuild", "--workers", "1"],
            nice,
        )
        done.append(result.returncode == 0 and "Rebuilt" in result.stdout)


def load_figures(args: argparse.Namespace) -> None:
    """Search load on the Reuters index, without and with a concurrent rebuild."""
    files = reuters_files()
    index_dir = ensure_index(files)
    port = free_port()
    server = start_server(
        index_dir, port, args.server_threads, args.server_workers, args.result_cache_mb
    )
    try:
        mix = (facet_values(port), article_ids(port))
        drive(port, 3, args.clients, mix, WARM_UP_SEED)  # warm-up: searchers, arrays
        cache = setting("result_cache_mb") if args.result_cache_mb is None else args.result_cache_mb
        cache_text = f"{cache} MB per process" if cache else "off"
        print(
            f"load: {args.clients} clients, {args.server_workers} server processes of "
            f"{args.server_threads} threads, {args.seconds} s; result cache: {cache_text}"
        )
        with MemoryWatch(server.pid) as plain_memory:
            alone = drive(port, args.seconds, args.clients, mix, ALONE_SEED)
        report("search alone", *alone)
        if not args.skip_hostile:
            hostile_figures(port, server.pid, args, mix, alone[0], plain_memory.peak_mb)
        if not args.skip_rebuilds:
            rebuild_figures(port, index_dir, files, args, mix)
    finally:
        server.terminate()
        server.wait()
    errors = SERVER_LOG.read_text(errors="replace").count("Traceback")
    print(f"server: {errors} logged errors (log: {SERVER_LOG})")


def rebuild_figures(
    port: int, index_dir: Path, files: list[str], args: argparse.Namespace, mix: tuple
) -> None:
    """The normal load while `index --rebuild` runs again and again."""
    stop, rebuilds = threading.Event(), []
    rebuilder = threading.Thread(
        target=rebuild_loop, args=(index_dir, files, stop, rebuilds, args.rebuild_nice)
    )
    rebuilder.start()
    tally, wall = drive(port, args.seconds, args.clients, mix, REBUILD_SEED)
    stop.set()
    rebuilder.join()
    priority = f"at nice {args.rebuild_nice}" if args.rebuild_nice else "at normal priority"
    report(f"with rebuilds {priority} ({sum(rebuilds)} swapped in)", tally, wall)


def hostile_figures(
    port: int, pid: int, args: argparse.Namespace, mix: tuple, plain: Tally, plain_mb: float
) -> None:
    """The normal load again, beside issue 13's abuses (bench/hostile.py)."""
    abuser, statuses = start_abuse(port, args.seconds + 2)
    time.sleep(2)  # the slow sockets are open and the first abusive requests sent
    with MemoryWatch(pid) as memory:
        tally, wall = drive(port, args.seconds, args.clients, mix, HOSTILE_SEED)
    abuser.join()
    report(f"beside abuse ({SLOW_CLIENTS} half-header sockets, {ABUSERS} abusers)", tally, wall)
    print(f"  abusive requests answered: {dict(sorted(statuses.items()))}")
    p99, plain_p99 = (percentile(t.latencies, 0.99) * 1000 for t in (tally, plain))
    print("  " + compare(plain_p99, p99, len(tally.errors), plain_mb, memory.peak_mb))


def free_port() -> int:
    """A free TCP port on loopback."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_lines(path: Path, count: int) -> int:
    """A JSON Lines file of tiny records, every BROKEN_EVERYth line cut; the broken count."""
    broken = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, count + 1):
            if number % BROKEN_EVERY == 0:
                out.write('{"id": "cut\n')
                broken += 1
            else:
                body = f"Item {number} about {WORDS[number % len(WORDS)]}."
                record = {"id": f"n{number}", "title": f"Note {number}", "body": body}
                out.write(json.dumps(record) + "\n")
    return broken


def volume_figures(args: argparse.Namespace) -> None:
    """A million-line file read with every line accounted for, then indexed end to end."""
    with tempfile.TemporaryDirectory() as scratch:
        big = Path(scratch) / "million.jsonl"
        broken = write_lines(big, args.lines)
        started = time.monotonic()
        records = errors = 0
        for record in read_paths([big]):
            records += 1
            errors += isinstance(record, RecordError)
        seconds = time.monotonic() - started
        print(
            f"ingest: {records:,} of {args.lines:,} lines read, {errors:,} reported "
            f"({broken:,} broken), in {seconds:.1f} s = {records / seconds:,.0f} records/s; "
            f"accounted for: {records == args.lines and errors == broken}"
        )
        lines = min(args.indexed_lines or args.lines, args.lines)
        source = big
        if lines < args.lines:
            source = Path(scratch) / "slice.jsonl"
            with big.open(encoding="utf-8") as whole, source.open("w", encoding="utf-8") as out:
                for _, line in zip(range(lines), whole, strict=False):
                    out.write(line)
        started = time.monotonic()
        done = run(["index", str(source), "--index-dir", str(Path(scratch) / "index"),
                    "--workers", "2"])  # fmt: skip
        seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
        counted = re.search(r"([\d,]+) records seen = ([\d,]+) indexed \+ ([\d,]+) failed", summary)
        seen, indexed, failed = (
            (int(n.replace(",", "")) for n in counted.groups()) if counted else (0, 0, 0)
        )
        whole = seen == lines and indexed + failed == seen and failed == lines // BROKEN_EVERY
        print(f"index: {lines:,} lines end to end in {seconds:.0f} s wall "
              f"= {lines / seconds:,.0f} records/s, largest process {peak_mb:,.0f} MB; "
              f"every line indexed or reported: {whole}\n  {summary}")  # fmt: skip


def main() -> None:
    """Parse options, print the machine's load, run the load and volume figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--server-threads", type=int, default=SERVER_THREADS)
    parser.add_argument("--server-workers", type=int, default=SERVER_WORKERS)
    parser.add_argument(
        "--result-cache-mb", type=int, default=None, help="the server's result cache; 0: off"
    )  # default: the server's own (NEWSARCHIVE_RESULT_CACHE_MB, else 32)
    parser.add_argument(
        "--rebuild-nice", type=int, default=0, help="run the rebuilds at this nice level"
    )
    parser.add_argument("--lines", type=int, default=MILLION)
    parser.add_argument("--indexed-lines", type=int, default=INDEXED_LINES, help="0: all")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-volume", action="store_true")
    parser.add_argument("--skip-hostile", action="store_true", help="no abuse phase")
    parser.add_argument("--skip-rebuilds", action="store_true", help="no rebuild phase")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; uptime: {uptime()}")
    if not args.skip_load:
        load_figures(args)
    if not args.skip_volume:
        volume_figures(args)
    print(f"machine after: uptime: {uptime()}")


def uptime() -> str:
    """The `uptime` line: load averages at the time of the figures."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
