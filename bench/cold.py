"""The cold side of `make bench`: a fresh process asks every query of a set once, then again.

Run as `python bench/cold.py INDEX_DIR QUERIES.json` (bench.speed starts it), or with
`--tantivy TANTIVY_DIR` for tantivy's copy of the same articles (bench/tantivy_engine.py).
For our engine it imports only what a search server imports, so it can time any
checkout's code on any index: the time to the first answer (opening the index and
answering the set's first query), then each query once (first time), then each again
(repeated), in wall and processor time. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
FACET_SIZE = 30

Engine = tuple[Callable[[Path], Any], Callable[[Any, dict], int], Callable[[Any], None]]


def our_engine() -> Engine:
    """Open, answer (top 20, snippets, facets; the total) and close, with our code."""
    from search.backends.whoosh.live_index import SearchIndex
    from search.backends.whoosh.query import run_search
    from search.params import make_search_request

    def answer(index: SearchIndex, request: dict) -> int:
        return run_search(index, make_search_request(**request), FACET_SIZE).total

    return SearchIndex, answer, SearchIndex.close


def tantivy() -> Engine:
    """Open, answer and close with tantivy, doing the same work."""
    import tantivy_engine  # beside this file: the script's folder is on the path

    return tantivy_engine.open_index, tantivy_engine.answer, lambda index: None


def timed(engine: Engine, index: Any, request: dict, cpu: list[float]) -> tuple[float, int]:
    """Milliseconds to answer one request, and its total; its processor time goes to `cpu`."""
    started, processor = time.perf_counter(), time.process_time()
    total = engine[1](index, request)
    cpu.append((time.process_time() - processor) * 1000)
    return (time.perf_counter() - started) * 1000, total


def main() -> None:
    """Time the query set on the index: first answer, first-time and repeated per query."""
    arguments = sys.argv[1:]
    engine = tantivy() if arguments[0] == "--tantivy" else our_engine()
    target, queries_file = Path(arguments[-2]), Path(arguments[-1])
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    imported, imported_cpu = time.perf_counter(), time.process_time()
    index, cpu = engine[0](target), []
    try:
        first_ms, _ = timed(engine, index, queries[0]["request"], cpu)
        opened_ms = (time.perf_counter() - imported) * 1000
        opened_cpu = time.process_time()
        first = [timed(engine, index, spec["request"], cpu) for spec in queries[1:]]
        repeated = [timed(engine, index, spec["request"], cpu)[0] for spec in queries[1:]]
    finally:
        engine[2](index)
    figures = {"import_ms": (imported - STARTED) * 1000, "first_answer_ms": opened_ms}
    # Processor time: from the process's start, and from the end of its imports.
    figures |= {"start_cpu_ms": opened_cpu * 1000}
    figures |= {"first_answer_cpu_ms": (opened_cpu - imported_cpu) * 1000}
    figures |= {"first_query_ms": first_ms, "first_ms": [ms for ms, _ in first]}
    figures |= {"totals": [total for _, total in first], "repeated_ms": repeated}
    figures |= {"first_cpu_ms": cpu[1 : len(queries)], "repeated_cpu_ms": cpu[len(queries) :]}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
