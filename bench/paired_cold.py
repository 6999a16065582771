"""Two checkouts' cold figures on one index and query set, their runs alternating.

Run as `python -m bench.paired_cold INDEX_DIR QUERIES.json ROUNDS BASE BRANCH`, where BASE
and BRANCH are checkouts with their own .venv (e.g. main in a second worktree). Each
round starts bench/cold.py of both on a fresh process, in alternating order, so that
load on a shared machine falls on both alike. Prints the medians over rounds of each
figure, their ratio (branch / base), the per-round ratios, and the median per-query
ratio for phrases and for the other queries, first time and repeated.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

LABELS = ("base", "branch")


def cold_run(checkout: Path, index_dir: str, queries: str) -> dict[str, Any]:
    """One fresh process of a checkout's bench/cold.py on the index and query set."""
    command = [str(checkout / ".venv/bin/python"), str(checkout / "bench/cold.py")]
    output = subprocess.run(
        [*command, index_dir, queries], check=True, capture_output=True, text=True, cwd=checkout
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def figures(run: dict[str, Any], phrase: np.ndarray) -> dict[str, float]:
    """One run's percentiles, first time and repeated, and the phrases' own."""
    first, repeated = np.array(run["first_ms"]), np.array(run["repeated_ms"])
    found = {"first_answer_ms": float(run["first_answer_ms"])}
    for q in (50, 95, 99, 100):
        found[f"cold_p{q}_ms"] = float(np.percentile(first, q))
        found[f"warm_p{q}_ms"] = float(np.percentile(repeated, q))
    for label, part in (("phrase", first[phrase]), ("other", first[~phrase])):
        for q in (50, 95, 100):
            found[f"cold_{label}_p{q}_ms"] = float(np.percentile(part, q)) if len(part) else 0.0
    found["cold_over_100ms"] = float((first > 100).sum())
    return found


def print_comparison(runs: dict[str, list[dict[str, Any]]], phrase: np.ndarray) -> None:
    """Medians over rounds, ratios, and per-query ratios."""
    table = {label: [figures(run, phrase) for run in runs[label]] for label in LABELS}
    same = all(
        run["totals"] == runs["base"][0]["totals"] for label in LABELS for run in runs[label]
    )
    print(f"{len(runs['base'])} rounds; every run found the same totals: {same}")
    print(f"{'figure':>22} {'base':>9} {'branch':>9} {'ratio':>6}  per round")
    for key in table["base"][0]:
        base = float(np.median([f[key] for f in table["base"]]))
        branch = float(np.median([f[key] for f in table["branch"]]))
        pairs = zip(table["base"], table["branch"], strict=True)
        rounds = [round(b[key] / a[key], 2) if a[key] else 0 for a, b in pairs]
        ratio = branch / base if base else 0.0
        print(f"{key:>22} {base:9.1f} {branch:9.1f} {ratio:6.2f}  {rounds}")
    for kind in ("first_ms", "repeated_ms"):
        base, branch = (np.median([run[kind] for run in runs[label]], axis=0) for label in LABELS)
        ratios = branch / base
        parts = [
            f"{name} {np.median(ratios[mask]):.2f}"
            for name, mask in (("phrases", phrase), ("other queries", ~phrase))
            if mask.any()
        ]
        print(f"median per-query ratio, {kind[:-3]}: " + ", ".join(parts))


def main() -> None:
    """Run the rounds and print the comparison."""
    index_dir, queries, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    checkouts = dict(zip(LABELS, (Path(sys.argv[4]), Path(sys.argv[5])), strict=True))
    names = [spec["name"] for spec in json.loads(Path(queries).read_text())[1:]]
    phrase = np.array([name == "phrase" for name in names])
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in LABELS}
    for round_ in range(rounds):
        for label in LABELS if round_ % 2 == 0 else LABELS[::-1]:
            runs[label].append(cold_run(checkouts[label], index_dir, queries))
    print_comparison(runs, phrase)


if __name__ == "__main__":
    main()
