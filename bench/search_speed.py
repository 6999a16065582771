"""Index the seed article and Reuters-21578, then time a fixed set of searches with facets.

Run with `make bench` or `python -m bench.search_speed [--index-dir DIR] [--reuse]`.
Prints a table and ends with one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search.indexer import index_paths
from search.layout import current_generation
from search.params import make_search_request
from search.query import SearchIndex, run_search

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
QUERIES = [
    {"query": ""},
    {"query": "oil"},
    {"query": "oil AND prices"},
    {"query": "coffee OR cocoa"},
    {"query": '"trade deficit"'},
    {"query": "title:bank"},
    {"query": "gold", "country": ["Japan"]},
    {"query": "", "country": ["United States"], "sort": "oldest"},
    {"query": "Peskov"},
    {"query": "grain", "since": "1987-03-01", "until": "1987-03-31"},
]


def directory_size_mb(path: Path) -> float:
    """Total size of the files under path, in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def time_searches(index: SearchIndex, repeats: int) -> list[tuple[str, float]]:
    """Median milliseconds of each query (facets and histogram included), after a warm-up."""
    rows = []
    for spec in QUERIES:
        request = make_search_request(**spec)
        run_search(index, request)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            run_search(index, request)
            times.append((time.perf_counter() - started) * 1000)
        rows.append((json.dumps(spec), statistics.median(times)))
    return rows


def main() -> None:
    """Build (or reuse) the index, time the searches, print the table and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="Reuse an existing index.")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    reuters = sorted((SHARED_DATA / "reuters21578").glob("reut2-*.sgm"))
    if not reuters:
        sys.exit(f"skipped: no Reuters files in {SHARED_DATA / 'reuters21578'}")
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    paths = [SHARED_DATA / "seed", *reuters]
    figures: dict[str, float | int | None] = {"build_s": None, "rerun_s": None}
    if not (args.reuse and current_generation(index_dir)):
        report = index_paths(paths, index_dir, rebuild=True, workers=os.cpu_count() or 1)
        figures["build_s"] = round(report.seconds, 1)
        figures["docs"] = report.added
        figures["build_docs_per_s"] = round(report.added / report.seconds, 1)
        rerun = index_paths(paths, index_dir, workers=os.cpu_count() or 1)
        figures["rerun_s"] = round(rerun.seconds, 2)
    generation = current_generation(index_dir)
    assert generation is not None
    figures["index_mb"] = round(directory_size_mb(generation), 1)
    index = SearchIndex(index_dir)
    rows = time_searches(index, args.repeats)
    index.close()
    for spec, ms in rows:
        print(f"{ms:9.1f} ms  {spec}")
    medians = sorted(ms for _, ms in rows)
    figures["p50_ms"] = round(statistics.median(medians), 1)
    figures["max_ms"] = round(medians[-1], 1)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["load_avg_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
