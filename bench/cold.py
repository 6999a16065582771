"""The cold side of `make bench`: a fresh process asks every query of a set once, then again.

Run as `python bench/cold.py INDEX_DIR QUERIES.json` (bench.speed starts it). It imports
only what a search server imports, so it can time any checkout's code on any index:
the time to the first answer (opening the index and answering the set's first query),
then each query once (first time), then each again (repeated). Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()

from search.live_index import SearchIndex  # noqa: E402  (timed: part of a server's start)
from search.params import make_search_request  # noqa: E402
from search.query import run_search  # noqa: E402

FACET_SIZE = 30


CPU_MS: list[float] = []  # each timed request's processor time, beside its wall time


def timed_ms(index: SearchIndex, request: dict) -> tuple[float, int]:
    """Milliseconds to answer one request (top 20, snippets, facets), and its total."""
    started, cpu = time.perf_counter(), time.process_time()
    page = run_search(index, make_search_request(**request), FACET_SIZE)
    CPU_MS.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - started) * 1000, page.total


def main() -> None:
    """Time the query set on the index: first answer, first-time and repeated per query."""
    index_dir, queries_file = Path(sys.argv[1]), Path(sys.argv[2])
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    imported = time.perf_counter()
    index = SearchIndex(index_dir)
    try:
        first_ms, _ = timed_ms(index, queries[0]["request"])
        opened_ms = (time.perf_counter() - imported) * 1000
        first = [timed_ms(index, spec["request"]) for spec in queries[1:]]
        repeated = [timed_ms(index, spec["request"])[0] for spec in queries[1:]]
    finally:
        index.close()
    print(
        json.dumps(
            {
                "import_ms": (imported - STARTED) * 1000,
                "first_answer_ms": opened_ms,
                "first_query_ms": first_ms,
                "first_ms": [ms for ms, _ in first],
                "totals": [total for _, total in first],
                "repeated_ms": repeated,
                "first_cpu_ms": CPU_MS[1 : len(queries)],
                "repeated_cpu_ms": CPU_MS[len(queries) :],
            }
        )
    )


if __name__ == "__main__":
    main()
