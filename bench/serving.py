"""The serving process of `make bench`: open an index, run the query set twice, print peak RSS.

Kept apart from bench.speed so that it imports only what a search server imports, not the
indexer and its extraction models.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.params import make_search_request

QUERIES_FILE = Path(__file__).with_name("queries.json")
FACET_SIZE = 30
ROUNDS = 2


def main() -> None:
    """Run the committed queries on the index named on the command line; print MB."""
    index = SearchIndex(Path(sys.argv[1]))
    queries = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    for _ in range(ROUNDS):
        for spec in queries:
            run_search(index, make_search_request(**spec["request"]), FACET_SIZE)
    index.close()
    print(round(peak_rss_kb() / 1024, 1))


def peak_rss_kb() -> int:
    """This process's peak resident memory in kB.

    VmHWM, not getrusage: Linux carries ru_maxrss over an exec, so a child of a big
    benchmark process would report its parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
