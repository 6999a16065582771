"""How fast single stages are: reading files, finding countries, answering costly queries.

Run with `python -m bench.stages [--data DIR] [--index-dir DIR] [--repeats N]`. The tests
check that these stages are right; how fast they are is measured here, never asserted.

- reading: records per second through `read_paths` (the Reuters files by default);
- countries: articles per second through the gazetteer matcher, on the same records
  (the target is 2,000 Reuters articles a second);
- costly queries: the slowest of the query shapes a hostile user might send, each answered
  or refused, on an index (by default the Reuters index `make bench` keeps).

Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search.backends.whoosh.query import SearchIndex, run_search
from search.entities.countries import find_countries
from search.errors import BadRequest
from search.ingest import read_paths
from search.models import RawArticle
from search.params import make_search_request

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_INDEX = Path.home() / ".cache" / "newsarchive-bench" / "x1"  # bench.speed's 1x index
COSTLY_QUERIES = (
    "*", "?", "*a*", "**", "a*", "title:*", "[a TO z]", "{a TO}", "[TO b]", "harbour~9",
    "(" * 400 + "a" + ")" * 400, " OR ".join(f"w{n}*" for n in range(40)),
    " ".join(f"word{n}" for n in range(150)), "x" * 5000, "record:*", "content_hash:[a TO z]",
    "NOT NOT NOT a", '"' * 7, "\\", "title:", "::", "\x00\x01", "a" * 999 + "*",
)  # fmt: skip


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds one call of `work` takes, and what it returned."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def reading_figures(paths: list[Path]) -> tuple[list[RawArticle], dict[str, float]]:
    """The articles of the paths, and records per second reading them."""
    seconds, records = timed(lambda: list(read_paths(paths)))
    articles = [record for record in records if isinstance(record, RawArticle)]
    return articles, {"records": len(records), "read_records_per_s": len(records) / seconds}


def country_figures(articles: list[RawArticle], repeats: int) -> dict[str, float]:
    """Articles per second through the gazetteer matcher, the best of `repeats` passes."""
    texts = [f"{article.title}\n{article.body}" for article in articles]
    best = min(timed(lambda: [find_countries(text) for text in texts])[0] for _ in range(repeats))
    return {"country_articles_per_s": len(texts) / best}


def answer(index: SearchIndex, query: str) -> str:
    """Run one query as the API would: the number of hits, or the refusal."""
    try:
        return f"{run_search(index, make_search_request(query)).total} hits"
    except BadRequest:
        return "refused"


def costly_query_figures(index_dir: Path) -> dict[str, Any]:
    """The slowest costly query on the index: its milliseconds, text and outcome."""
    index = SearchIndex(index_dir)
    try:
        answer(index, "warm")  # the first search opens the searcher and reads the arrays
        times = []
        for query in COSTLY_QUERIES:
            seconds, outcome = timed(lambda q=query: answer(index, q))
            times.append((seconds, query))
            print(f"{seconds * 1000:9.1f} ms  {outcome:<10} {query[:50]!r}")
    finally:
        index.close()
    seconds, query = max(times)
    return {"slowest_costly_query_ms": seconds * 1000, "slowest_costly_query": query[:50]}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "reuters21578")
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--repeats", type=int, default=3)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Measure each stage that has its input at hand; print them and a JSON line."""
    args = parse_arguments(argv)
    figures: dict[str, Any] = {"load_avg_before": [round(v, 2) for v in os.getloadavg()]}
    if args.data.exists():
        articles, reading = reading_figures([args.data])
        figures |= reading | country_figures(articles, args.repeats)
    else:
        print(f"skipped reading and countries: {args.data} is absent")
    if (args.index_dir / "current").exists():
        figures |= costly_query_figures(args.index_dir)
    else:
        print(f"skipped costly queries: no index in {args.index_dir} (run `make bench` first)")
    for name, value in figures.items():
        print(f"{name:<28} {value:,.1f}" if isinstance(value, float) else f"{name:<28} {value}")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
