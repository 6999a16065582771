"""The Manticore/Sphinx figures of `bench.speed --backend manticore`, on the same articles.

The bench starts its own head and two shard `searchd` servers in the work directory,
bulk-writes the scaled replica into them from the extraction cache the Whoosh build
filled (a rebuild: every article into the idle slot, then the flip), and times the same
query set through the backend with every facet: first answer, p50/p95/p99, queries per
second from one client, the write rate, and each server's disk, RSS and CPU seconds.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from search.backend import open_backend
from search.backends.manticore.servers import Cluster, searchd_path
from search.indexer import index_paths
from search.models import IndexReport
from search.params import make_search_request

FACET_SIZE = 30
MB = 1024 * 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (100/s)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / MB


def size_mb(path: Path) -> float:
    return directory_mb(path) if path.is_dir() else path.stat().st_size / MB


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 1)


def median_ms(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    result = work()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times)), result


def manticore_figures(
    replica: Path, state_dir: Path, work_dir: Path, queries: list[dict[str, Any]], repeats: int
) -> dict[str, Any]:
    """Write the replica into a fresh two-shard cluster and time the query set on it."""
    if searchd_path() is None:
        return {"manticore": "skipped: searchd is not installed"}
    servers = work_dir / "manticore-servers"
    shutil.rmtree(servers, ignore_errors=True)  # a fresh cluster: the disk figure is this run's
    cluster = Cluster(servers, shards=2)
    cluster.start()
    try:
        backend = open_backend(cluster.url, state_dir)
        pids = cluster.server_pids()
        cpu_before = {tag: cpu_seconds(pid) for tag, pid in pids.items()}
        stages: dict[str, float] = {}

        def progress(report: IndexReport) -> None:
            stages.setdefault(report.stage, time.perf_counter())

        report = index_paths([replica], backend, rebuild=True, progress=progress)
        ended = time.perf_counter()
        cpu_after = {tag: cpu_seconds(pid) for tag, pid in pids.items()}
        docs = report.added + report.updated + report.unchanged
        server_cpu = sum(cpu_after[tag] - cpu_before[tag] for tag in pids)
        backend.close()
        backend = open_backend(cluster.url, state_dir)
        requests = [make_search_request(**spec["request"]) for spec in queries]
        started = time.perf_counter()
        backend.search(requests[0], FACET_SIZE)
        first_ms = (time.perf_counter() - started) * 1000
        medians, totals, facets_differ = [], [], []
        reference = open_backend(f"whoosh:{state_dir}", state_dir)
        for number, request in enumerate(requests):
            taken, page = median_ms(partial(backend.search, request, FACET_SIZE), repeats)
            medians.append(taken)
            totals.append(page.total)
            expected = reference.search(request, FACET_SIZE)
            if (page.facets, page.days) != (expected.facets, expected.days):
                facets_differ.append(number)
        reference.close()
        started = time.perf_counter()
        rounds = 3
        for _ in range(rounds):
            for request in requests:
                backend.search(request, FACET_SIZE)
        per_second = rounds * len(requests) / (time.perf_counter() - started)
        backend.close()
        data = cluster.directory / "data"
        patterns = {"head": ("news_meta*", "news_values*", "news_snip*")}
        patterns.update({f"shard{i}": (f"news_s{i}_*",) for i in range(cluster.shards)})
        disk = {
            tag: round(sum(size_mb(p) for pattern in globs for p in data.glob(pattern)), 1)
            for tag, globs in patterns.items()
        }
        disk_total = round(directory_mb(data), 1)
        return {
            "mc_docs": docs,
            "mc_build_s": round(report.seconds, 1),
            "mc_build_docs_per_s": round(docs / report.seconds, 1),
            "mc_all_cached": report.cached == docs,
            # The writing stage alone (rows built, sent, the slot flipped), without reading
            # and preparing the articles, which every backend shares.
            "mc_write_stage_docs_per_s": round(docs / (ended - stages["writing"]), 1)
            if "writing" in stages
            else None,
            "mc_server_cpu_s": round(server_cpu, 1),
            "mc_docs_per_server_cpu_s": round(docs / max(server_cpu, 0.01), 1),
            "mc_first_answer_ms": round(first_ms, 1),
            "mc_p50_ms": percentile(medians, 50),
            "mc_p95_ms": percentile(medians, 95),
            "mc_p99_ms": percentile(medians, 99),
            "mc_queries_per_s": round(per_second, 1),
            "mc_disk_mb": disk_total,
            "mc_disk_mb_by_server": disk,
            "mc_disk_mb_per_million": round(disk_total * 1_000_000 / max(docs, 1), 1),
            "mc_rss_mb": {tag: rss_mb(pid) for tag, pid in pids.items()},
            "mc_medians_ms": [round(m, 1) for m in medians],
            "mc_totals": totals,
            "mc_queries_whose_facets_differ_from_whoosh": facets_differ,
        }
    finally:
        cluster.stop()


def dumps(figures: dict[str, Any]) -> str:
    return json.dumps(figures)
