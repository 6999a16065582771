"""Extraction on a Dask LocalCluster against the local worker processes, on Reuters-21578.

Run with `python -m bench.dask_extraction [--files N] [--rounds N] [--workers N]
[--chunk-size N] [--check-values]`.

The same articles (the first N Reuters files, 6 by default: reut2-000 to reut2-005) go
through the indexer's extraction stage (`extract_pending`, with an empty extraction cache
each time) alternately on the local path (`--workers 2`: the project's own process pool)
and on `--dask local` (a LocalCluster of as many worker processes). Each run is timed
from before its processes start to the last answer stored in the cache: both include
starting the processes (and Dask its scheduler) and loading the model in each. The local
pool is gone by then; the cluster stops afterwards (`index` writes the index meanwhile),
and the rate with its shutdown included is printed too. The load average is printed
with every run; the figures are medians of the rounds (ABAB...).
With --check-values the two caches of the first round must hold the same values.

Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from search.cache import ExtractionCache
from search.distributed import CHUNK_SIZE, dask_extractor
from search.extraction import extract_pending
from search.identity import RunIds
from search.indexer import prepare_articles
from search.ingest import read_paths
from search.models import Article, IndexReport, RawArticle, RecordError

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REUTERS = SHARED_DATA / "reuters21578"


def load_records(files: int) -> list[RawArticle | RecordError]:
    """The records of the first `files` Reuters files."""
    paths = sorted(REUTERS.glob("reut2-*.sgm"))[:files]
    if not paths:
        raise SystemExit(f"{REUTERS} has no reut2-*.sgm: put the shared data there")
    return list(read_paths(paths))


def fresh_articles(records: list[RawArticle | RecordError]) -> list[Article]:
    """The articles an index run would extract, new each time (extraction fills them in)."""
    return list(prepare_articles(records, {}, IndexReport(), RunIds()))


def run_once(records: list[Any], path: str, workers: int, chunk_size: int) -> dict[str, Any]:
    """Extract every article into a new cache: seconds in all (and, for Dask, per phase)."""
    articles = fresh_articles(records)
    cache = ExtractionCache(Path(tempfile.mkdtemp(prefix="dask-bench-")) / "cache.sqlite")
    report = IndexReport()
    load = os.getloadavg()[0]
    cpu = cpu_seconds()
    started = time.perf_counter()
    phases: dict[str, float] = {}
    if path == "local":
        extract_pending(articles, cache, workers, report, None)  # its pool is gone after
        done = time.perf_counter()
    else:
        with dask_extractor("local", workers) as extractor:
            extractor.chunk_size = chunk_size
            ready = time.perf_counter()
            extract_pending(articles, cache, workers, report, None, extractor)
            done = time.perf_counter()
        phases = {"start_s": ready - started, "extract_s": done - ready}
        phases["close_s"] = time.perf_counter() - done
    cache.close()
    return {
        "seconds": done - started,  # to the last answer in the cache
        "all_seconds": time.perf_counter() - started,  # and the processes gone
        "cpu_s": cpu_seconds() - cpu,  # this process and its (reaped) worker processes
        "articles": len(articles) - report.cached,
        "load": load,
        **phases,
        "cache": cache.path,
    }


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended: under a shared
    machine's load, the cost that does not depend on what the others run."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def values_digest(values: dict[str, str]) -> str:
    """One hash of a cache's keys and values, to compare runs (say, under other hash seeds)."""
    return hashlib.sha256(json.dumps(sorted(values.items())).encode("utf-8")).hexdigest()[:16]


def cache_values(path: Path) -> dict[str, str]:
    """Everything a cache holds, by key."""
    cache = ExtractionCache(path)
    rows = dict(cache.connection.execute("SELECT key, value FROM entities"))
    cache.close()
    return rows


def cpu_per_thousand(runs: list[dict[str, Any]]) -> float:
    """Median CPU seconds per 1,000 articles of some runs."""
    return statistics.median(1000 * run["cpu_s"] / run["articles"] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=6, help="Reuters files (from reut2-000)")
    parser.add_argument("--rounds", type=int, default=3, help="ABAB rounds (each: local, Dask)")
    parser.add_argument("--workers", type=int, default=2, help="processes of each path")
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="articles a Dask task")
    parser.add_argument("--check-values", action="store_true", help="compare the two caches")
    args = parser.parse_args()
    records = load_records(args.files)
    runs: dict[str, list[dict[str, Any]]] = {"local": [], "dask": []}
    rounds: list[list[dict[str, Any]]] = []
    print(f"{len(records)} records of {args.files} files; {args.workers} workers each")
    for round_number in range(args.rounds):
        rounds.append([])
        for path in ("local", "dask"):
            run = run_once(records, path, args.workers, args.chunk_size)
            runs[path].append(run)
            rounds[-1].append(run)
            rate = run["articles"] / run["seconds"]
            phases = ("start_s", "extract_s", "close_s")
            extra = "".join(f"  {name} {run[name]:.1f}" for name in phases if name in run)
            print(
                f"round {round_number + 1} {path:5}: {run['articles']} articles in"
                f" {run['seconds']:.1f} s = {rate:.1f}/s, {run['cpu_s']:.0f} CPU s"
                f"  (load {run['load']:.2f}){extra}",
                flush=True,
            )
    if args.check_values:
        local, dask = (cache_values(runs[path][0]["cache"]) for path in ("local", "dask"))
        seed = os.environ.get("PYTHONHASHSEED", "unset")
        print(f"same cached values on both paths: {local == dask}")
        print(f"values digest: local {values_digest(local)}, dask {values_digest(dask)}")
        print(f"(PYTHONHASHSEED={seed}: compare the digest with a run under another)")
    rates = {
        path: statistics.median(run["articles"] / run["seconds"] for run in done)
        for path, done in runs.items()
    }
    all_in = statistics.median(run["articles"] / run["all_seconds"] for run in runs["dask"])
    figures = {
        "articles": runs["local"][0]["articles"],
        "workers": args.workers,
        "chunk_size": args.chunk_size,
        "local_per_s": round(rates["local"], 1),
        "dask_per_s": round(rates["dask"], 1),
        "dask_vs_local": round(rates["dask"] / rates["local"], 3),
        "dask_with_shutdown_vs_local": round(all_in / rates["local"], 3),
        "local_cpu_s_per_1000": round(cpu_per_thousand(runs["local"]), 1),
        "dask_cpu_s_per_1000": round(cpu_per_thousand(runs["dask"]), 1),
        "local_per_core_s": round(rates["local"] / args.workers, 1),
        "dask_per_core_s": round(rates["dask"] / args.workers, 1),
        "loads": [
            round(run["load"], 2) for pair in zip(*runs.values(), strict=False) for run in pair
        ],
    }
    print(
        f"median: local {rates['local']:.1f}/s, dask {rates['dask']:.1f}/s,"
        f" dask/local {figures['dask_vs_local']:.3f}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
