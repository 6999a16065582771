"""Search, facet and build speed on Reuters-21578 and an N-times replica, against SQLite FTS5.

Run with `make bench` or `python -m bench.speed [--scale N] [--work-dir DIR] [--rebuild]`.
Indexes live under the work directory and are reused; a build's figures are saved with it.
Prints a table and ends with one JSON line of the scaled index's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from bench.cold_compare import cold_comparison
from bench.fts5 import Baseline, BaselineRequest, build_baseline
from bench.manticore import manticore_figures
from bench.replica import entities_by_id, read_articles, seed_cache, write_replica
from search.backends.whoosh import WhooshBackend
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.cache import CACHE_FILE, ExtractionCache
from search.indexer import index_paths
from search.layout import current_generation
from search.models import ENTITY_KINDS, IndexReport, SearchRequest
from search.params import make_search_request

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
QUERIES_FILE = Path(__file__).with_name("queries.json")
DEFAULT_WORK_DIR = Path.home() / ".cache" / "newsarchive-bench"
BUILD_FILE = "build.json"  # the figures of the build that wrote the index beside it
BASELINE_FILE = "fts5.sqlite"
DEFAULT_SCALE = 10
DEFAULT_REPEATS = 5
FACET_SIZE = 30
MB = 1024 * 1024


@dataclass
class Timings:
    """Median milliseconds per query, ours and the baseline's, with the totals each found."""

    names: list[str]
    ours: list[float]
    fts5: list[float]
    totals: list[tuple[int, int]]


def load_queries() -> list[dict[str, Any]]:
    """The committed query set."""
    return list(json.loads(QUERIES_FILE.read_text(encoding="utf-8")))


def source_paths() -> list[Path]:
    """The seed article and the Reuters files, or exit saying they are absent."""
    reuters = sorted((SHARED_DATA / "reuters21578").glob("reut2-*.sgm"))
    if not reuters:
        sys.exit(f"skipped: no Reuters files in {SHARED_DATA / 'reuters21578'}")
    return [SHARED_DATA / "seed", *reuters]


def build_index(paths: list[Path], index_dir: Path, workers: int) -> dict[str, Any]:
    """Rebuild an index from paths and save the build's figures beside it."""
    report = index_paths(paths, WhooshBackend(index_dir), rebuild=True, workers=workers)
    figures = build_figures(report, index_dir)
    (index_dir / BUILD_FILE).write_text(json.dumps(figures), encoding="utf-8")
    return figures


def build_figures(report: IndexReport, index_dir: Path) -> dict[str, Any]:
    """A build's figures: articles, seconds, rate, how many came from the cache, size."""
    generation = current_generation(index_dir)
    assert generation is not None
    docs = report.added + report.updated + report.unchanged
    return {
        "docs": docs,
        "build_s": round(report.seconds, 1),
        "build_docs_per_s": round(docs / report.seconds, 1),
        "all_cached": report.cached == docs,
        "index_mb": round(directory_mb(generation), 1),
    }


def directory_mb(path: Path) -> float:
    """Total size of the files under path, in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / MB


def ensure_index(index_dir: Path, build: Callable[[], dict[str, Any]], rebuild: bool) -> dict:
    """The saved figures of the index in index_dir, building it first when needed."""
    saved = index_dir / BUILD_FILE
    if rebuild or not saved.exists() or current_generation(index_dir) is None:
        return build()
    return dict(json.loads(saved.read_text(encoding="utf-8")))


def build_original(paths: list[Path], index_dir: Path, workers: int) -> dict[str, Any]:
    """Index the originals; a second rebuild when the first had to extract, so the figure
    is that of a build from cached extraction."""
    figures = build_index(paths, index_dir, workers)
    if not figures["all_cached"]:
        figures = build_index(paths, index_dir, workers)
    return figures


def build_replica(
    paths: list[Path], original_dir: Path, index_dir: Path, scale: int, workers: int
) -> dict[str, Any]:
    """Write the N-times replica, seed its extraction cache from the originals', index it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    records = read_articles(paths[1:])  # Reuters only: the seed article is not copied
    replica = index_dir / f"reuters-x{scale}.jsonl"
    if not replica.exists():
        write_replica(records, scale, replica)
    source = ExtractionCache(original_dir / CACHE_FILE)
    target = ExtractionCache(index_dir / CACHE_FILE)
    try:
        seed_cache(replica, entities_by_id(records, source), target)
    finally:
        source.close()
        target.close()
    return build_index([replica], index_dir, workers)


def ensure_baseline(index_dir: Path, rebuild: bool) -> Path:
    """The FTS5 database of an index's articles, built when absent."""
    database = index_dir / BASELINE_FILE
    if rebuild or not database.exists():
        build_baseline(index_dir, database)
    return database


def baseline_request(request: SearchRequest, match: str) -> BaselineRequest:
    """Our request as the baseline's: the same facet values and date range."""
    included = tuple((kind, value) for kind in ENTITY_KINDS for value in request.included(kind))
    return BaselineRequest(match, included, request.since, request.until, request.sort == "oldest")


def median_ms(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median milliseconds of `repeats` runs after one warm-up, and the last result."""
    result = work()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times)), result


def time_queries(index_dir: Path, database: Path, repeats: int) -> Timings:
    """Each query through run_search (all facets, histogram) and through the baseline."""
    index, baseline = SearchIndex(index_dir), Baseline(database)
    timings = Timings([], [], [], [])
    try:
        for spec in load_queries():
            request = make_search_request(**spec["request"])
            ours, page = median_ms(partial(run_search, index, request, FACET_SIZE), repeats)
            asked = baseline_request(request, spec["fts5"])
            theirs, other = median_ms(partial(baseline.search, asked), repeats)
            timings.names.append(f"{spec['name']}: {json.dumps(spec['request'])}")
            timings.ours.append(ours)
            timings.fts5.append(theirs)
            timings.totals.append((page.total, other.total))
    finally:
        index.close()
        baseline.close()
    return timings


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile of values, rounded to 0.1."""
    return round(float(np.percentile(values, q)), 1)


def summarise(timings: Timings) -> dict[str, float]:
    """p50 and p95 over the query set, ours and the baseline's, and their ratio at p95."""
    figures = {
        "p50_ms": percentile(timings.ours, 50),
        "p95_ms": percentile(timings.ours, 95),
        "p99_ms": percentile(timings.ours, 99),
        "fts5_p50_ms": percentile(timings.fts5, 50),
        "fts5_p95_ms": percentile(timings.fts5, 95),
        "fts5_p99_ms": percentile(timings.fts5, 99),
    }
    figures["p95_ratio_vs_fts5"] = round(figures["fts5_p95_ms"] / max(figures["p95_ms"], 0.1), 1)
    return figures


def serving_peak_mb(index_dir: Path) -> float:
    """Peak RSS of a fresh process that opens the index and runs the query set twice."""
    command = [sys.executable, "-m", "bench.serving", str(index_dir)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(output.strip().splitlines()[-1])


def print_table(label: str, build: dict[str, Any], timings: Timings, figures: dict) -> None:
    """One index's per-query medians and summary."""
    print(
        f"\n== {label}: {build['docs']} articles, index {build['index_mb']} MB, "
        f"build {build['build_s']} s ({build['build_docs_per_s']} articles/s, "
        f"all extraction cached: {build['all_cached']})"
    )
    print(f"{'ours ms':>9} {'fts5 ms':>9} {'total':>7} {'fts5 tot':>8}  query")
    rows = zip(timings.names, timings.ours, timings.fts5, timings.totals, strict=True)
    for name, ours, theirs, (total, other) in rows:
        print(f"{ours:9.1f} {theirs:9.1f} {total:7d} {other:8d}  {name}")
    print("   ".join(f"{key} {value}" for key, value in figures.items()))


def print_manticore(label: str, figures: dict[str, Any], timings: Timings | None) -> None:
    """Sphinx's per-query medians and totals beside Whoosh's, then its figures."""
    if "mc_medians_ms" not in figures:
        print(f"\n== {label} manticore: {figures.get('manticore')}")
        return
    print(
        f"\n== {label} manticore/sphinx, 2 shards: {figures['mc_docs']} articles, write "
        f"{figures['mc_build_s']} s ({figures['mc_build_docs_per_s']} articles/s)"
    )
    print(f"{'sphinx ms':>9} {'whoosh ms':>9} {'total':>7} {'whoosh':>7}  query")
    names = timings.names if timings else [""] * len(figures["mc_medians_ms"])
    ours = timings.ours if timings else [float("nan")] * len(names)
    totals = timings.totals if timings else [(0, 0)] * len(names)
    rows = zip(names, figures["mc_medians_ms"], ours, figures["mc_totals"], totals, strict=True)
    for name, sphinx, whoosh, total, (whoosh_total, _) in rows:
        flag = "" if total == whoosh_total else "  <- differs"
        print(f"{sphinx:9.1f} {whoosh:9.1f} {total:7d} {whoosh_total:7d}  {name}{flag}")
    print(
        "   ".join(
            f"{key} {value}"
            for key, value in figures.items()
            if "medians" not in key and key != "mc_totals"
        )
    )


def parse_arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rebuild", action="store_true", help="Rebuild every index.")
    parser.add_argument(
        "--backend",
        choices=("whoosh", "manticore"),
        default="whoosh",
        help="manticore: also write the scaled replica into two searchd shards started in "
        "the work directory and time the same queries there, beside Whoosh and FTS5.",
    )
    parser.add_argument(
        "--cold-only", action="store_true", help="Only the cold figures of the scaled index."
    )
    parser.add_argument(
        "--compare-with",
        type=Path,
        help="Another checkout (with its .venv) whose code also runs the cold query set.",
    )
    return parser.parse_args()


def main() -> None:
    """Build or reuse the indexes and baselines, time them, print the table and a JSON line."""
    args = parse_arguments()
    load = os.getloadavg()
    paths = source_paths()
    original, scaled = args.work_dir / "x1", args.work_dir / f"x{args.scale}"
    builds = {
        original: ensure_index(
            original, lambda: build_original(paths, original, args.workers), args.rebuild
        ),
    }
    builds[scaled] = ensure_index(
        scaled,
        lambda: build_replica(paths, original, scaled, args.scale, args.workers),
        args.rebuild,
    )
    summary: dict[str, Any] = {}
    timings = None
    for label, index_dir in (("1x", original), (f"{args.scale}x", scaled)):
        if args.cold_only:
            break
        database = ensure_baseline(index_dir, args.rebuild)
        timings = time_queries(index_dir, database, args.repeats)
        summary = summarise(timings)
        print_table(label, builds[index_dir], timings, summary)
    if args.backend == "manticore":
        sphinx = manticore_figures(
            scaled / f"reuters-x{args.scale}.jsonl",
            scaled,
            args.work_dir,
            load_queries(),
            args.repeats,
        )
        print_manticore(f"{args.scale}x", sphinx, timings)
        summary.update(sphinx)
    result = {key: builds[scaled][key] for key in ("docs", "build_s", "build_docs_per_s")}
    result["index_mb"] = builds[scaled]["index_mb"]
    result.update(summary)
    result.update(cold_comparison(f"{args.scale}x", scaled, args.compare_with))
    result["peak_rss_mb"] = serving_peak_mb(scaled)
    result["load_avg_before"] = [round(value, 2) for value in load]
    result["load_avg_after"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
