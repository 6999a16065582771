"""The cold side of `make bench`, engine beside engine on one index, in one run.

Each engine asks the index's cold query set in its own fresh process: this checkout's
code, optionally another checkout's (`--compare-with DIR`, e.g. main's, run with that
checkout's own .venv on the same index), and tantivy on a copy of the same articles
(bench/tantivy_engine.py) when tantivy-py is installed. Prints each engine's slowest
queries, then one table of first answer, first-time and repeated percentiles, and
the ratios of ours to tantivy's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from bench import tantivy_engine
from bench.query_set import COLD_RUNNER, cold_summary, print_cold, query_set_file, run_fresh

TANTIVY_DIR = "tantivy"  # tantivy's copy of an index's articles, kept beside it
COLUMNS = ("start_ms", "first_answer_ms", "cold_p50_ms", "cold_p95_ms", "cold_p99_ms")
COLUMNS += ("cold_max_ms", "repeated_p50_ms", "repeated_p95_ms", "cold_over_100ms")
COLUMNS += ("start_cpu_ms", "first_answer_cpu_ms")
COLUMNS += ("cold_cpu_p50_ms", "cold_cpu_p95_ms", "cold_cpu_p99_ms", "cold_cpu_max_ms")
RATIOS = ("start_ms", "first_answer_ms", "cold_p95_ms", "cold_p99_ms", "cold_max_ms")
RATIOS += ("repeated_p95_ms", "start_cpu_ms", "first_answer_cpu_ms")
RATIOS += ("cold_cpu_p95_ms", "cold_cpu_p99_ms")


def checkout_runner(checkout: Path) -> list[str]:
    """The command that runs this cold runner with another checkout's Python, whose
    `search` package is that checkout's code: both are timed the same way."""
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{checkout} has no .venv: run `make install` there first")
    return [str(python), str(COLD_RUNNER)]


def checkout_environment() -> dict[str, str]:
    """This process's environment without PYTHONPATH, which would put this checkout's
    `search` before the other checkout's."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


def tantivy_figures(index_dir: Path) -> dict[str, Any] | None:
    """tantivy's cold figures on a copy of the index's articles; None without tantivy."""
    if not tantivy_engine.available():
        print("\ntantivy is not installed (pip install tantivy==0.25.1): no comparison")
        return None
    target = index_dir / TANTIVY_DIR
    seconds = tantivy_engine.build_tantivy(index_dir, target)
    if seconds:
        print(f"\ntantivy's copy of {index_dir.name} built in {seconds:.1f} s")
    command = [sys.executable, str(COLD_RUNNER), "--tantivy", str(target)]
    return run_fresh(command, query_set_file(index_dir))


def engines(index_dir: Path, compare_with: Path | None) -> dict[str, dict[str, Any]]:
    """Each engine's cold figures on the index: ours, the other checkout's, tantivy's."""
    queries = query_set_file(index_dir)
    figures = {"ours": run_fresh([sys.executable, str(COLD_RUNNER), str(index_dir)], queries)}
    if compare_with is not None:
        command = [*checkout_runner(compare_with), str(index_dir)]
        figures["compared"] = run_fresh(command, queries, checkout_environment())
    tantivy = tantivy_figures(index_dir)
    if tantivy is not None:
        figures["tantivy"] = tantivy
    return figures


def print_table(summaries: dict[str, dict[str, float]]) -> None:
    """One row per engine, and ours over tantivy's where tantivy ran."""
    print(f"\n{'engine':>10} " + " ".join(f"{c.removesuffix('_ms'):>15}" for c in COLUMNS))
    for name, summary in summaries.items():
        print(f"{name:>10} " + " ".join(f"{summary.get(c, '-'):>15}" for c in COLUMNS))
    if "tantivy" in summaries:
        theirs = summaries["tantivy"]
        for name in (n for n in summaries if n != "tantivy"):
            ratios = [
                f"{c} {summaries[name][c] / max(theirs[c], 0.1):.1f}x"
                for c in RATIOS
                if c in summaries[name]
            ]
            print(f"{name} / tantivy: " + "   ".join(ratios))


def cold_comparison(label: str, index_dir: Path, compare_with: Path | None) -> dict[str, Any]:
    """Run and print every engine's cold figures; ours flat, the others' under their name."""
    figures = engines(index_dir, compare_with)
    summaries = {name: cold_summary(cold) for name, cold in figures.items()}
    for name, cold in figures.items():
        print_cold(f"{label} {name}", cold, summaries[name])
    print_table(summaries)
    result: dict[str, Any] = dict(summaries["ours"])
    for name in ("compared", "tantivy"):
        if name in summaries:
            result[name] = summaries[name]
    return result
