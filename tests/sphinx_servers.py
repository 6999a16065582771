"""A throwaway Sphinx/Manticore cluster for tests: a head and two shard `searchd` servers
on free loopback ports, in a temporary directory, stopped after the tests (also when one
fails). Skips with a message when `searchd` is not installed (.ci/run installs it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.backends.manticore.servers import Cluster, searchd_path

SHARDS = 2


@pytest.fixture(scope="module")
def sphinx_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A running cluster: `.url` (manticore://127.0.0.1:PORT/news), `.stop_shard(i)`,
    `.start_shard(i)`. Module-scoped: each test module gets an empty one."""
    if searchd_path() is None:
        pytest.skip("searchd is not installed: apt-get install sphinxsearch (or manticore)")
    cluster = Cluster(tmp_path_factory.mktemp("sphinx"), shards=SHARDS)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
