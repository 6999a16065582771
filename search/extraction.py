"""The extraction stage of an index run: each article's language and entities.

Both come from the extraction cache where it knows the article's text; the rest are
found in worker processes, which detect the language (py3langid, ~0.4 ms an article)
and extract the entities of English articles (the model, far slower). Nothing per
article runs in the indexer's own process, so a rebuild from the cache starts no
worker and detects nothing; a cache written before it kept languages is brought up to
date by one run whose workers only detect.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, Protocol, TypeVar

from search.cache import Extraction, ExtractionCache, cache_key
from search.children import die_with_parent
from search.entities import ArticleText, extract_entities, extraction_input
from search.language import DEFAULT_LANGUAGE, detect_language
from search.models import Article, Entities, IndexReport, RecordError

CHUNK_SIZE = 32
Progress = Callable[[IndexReport], None]
Extracted = tuple[Entities, str | None]  # entities, or none and why
Item = TypeVar("Item")
Answer = TypeVar("Answer")


class Job(NamedTuple):
    """One article's work for a worker: detect its language unless known, extract if asked."""

    text: ArticleText
    language: str | None  # its format's tag or the cache's; None: detect it
    extract: bool  # False when the cache already holds its entities


class Found(NamedTuple):
    """A worker's answer for one job."""

    language: str  # the job's known language, else the detected one
    detected: str  # what detection says, kept in the cache even when a tag overrules it
    entities: Entities | None  # None: not asked for (the cache has them)
    problem: str | None  # why extraction failed; the entities are then empty


class Extractor(Protocol):
    """Where `work_chunk` runs: local processes, or a Dask cluster (search/distributed.py).

    Called with every job of a run, it yields each chunk it finished, in any order: the
    chunk's positions in the jobs and `work_chunk`'s answers for them, one per position.
    """

    def __call__(self, jobs: list[Job]) -> Iterator[tuple[list[int], list[Found]]]: ...


def local_extractor(workers: int) -> Extractor:
    """`work_chunk` in `workers` local processes (in this one if 1), chunk by chunk in order."""

    def run(jobs: list[Job]) -> Iterator[tuple[list[int], list[Found]]]:
        chunks = chunk_positions(len(jobs), CHUNK_SIZE)
        answers = in_workers(work_chunk, ([jobs[i] for i in chunk] for chunk in chunks), workers)
        yield from zip(chunks, answers, strict=True)

    return run


def chunk_positions(count: int, size: int) -> list[list[int]]:
    """The positions 0 to count - 1 in chunks of `size` (the last one shorter)."""
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


def extract_pending(
    articles: list[Article],
    cache: ExtractionCache,
    workers: int,
    report: IndexReport,
    progress: Progress | None,
    extractor: Extractor | None = None,
) -> None:
    """Give every article its language and, if English, its entities: cached, else found
    by `extractor` (else in `workers` local processes).

    The name and country rules, the model and the gazetteer read English: an article in
    another language keeps no entities rather than wrong ones.
    """
    texts = [text_of(article) for article in articles]
    keys = [cache_key(text) for text in texts]
    cached = cache.get_many(keys)
    jobs: dict[int, Job] = {}
    skipped = 0
    for index, article in enumerate(articles):
        known = cached.get(keys[index])
        if article.language is None and known is not None:
            article.language = known.language
        wants_entities = article.language in (None, DEFAULT_LANGUAGE)
        if article.language is None or (wants_entities and known is None):
            jobs[index] = Job(texts[index], article.language, known is None)
        elif not wants_entities:
            article.entities = Entities()
            skipped += 1
        else:
            article.entities = known.entities  # type: ignore[union-attr]
    report.cached = len(articles) - len(jobs) - skipped
    report.stage, report.todo, report.done = "extracting", len(articles), len(articles) - len(jobs)
    if not jobs:
        return  # no worker processes to start: a rebuild from the cache
    todo = list(jobs)
    run = extractor or local_extractor(workers)
    for positions, found in run([jobs[i] for i in todo]):
        chunk = [todo[position] for position in positions]
        stored = []
        for index, answer in zip(chunk, found, strict=True):
            article, known = articles[index], cached.get(keys[index])
            article.language = answer.language
            article.entities = answer.entities or (known.entities if known else Entities())
            if answer.problem:
                report.warnings.append(RecordError(article.locator, answer.problem))
                continue
            stored.append((keys[index], Extraction(article.entities, answer.detected)))
        cache.put_many(stored)
        report.done += len(chunk)
        if progress:
            progress(report)


def in_workers(
    work: Callable[[list[Item]], list[Answer]], chunks: Iterable[list[Item]], workers: int
) -> Iterator[list[Answer]]:
    """`work` on each chunk, chunk by chunk in order, in `workers` processes."""
    if workers <= 1:
        yield from map(work, chunks)
        return
    with worker_pool(workers) as pool:
        yield from pool.imap(work, chunks)


def work_chunk(jobs: list[Job]) -> list[Found]:
    """Detect a chunk's languages (for the cache, even where a tag says which), then extract
    the entities of its English articles that need them (together: the model reads fastest
    in batches)."""
    detected = [detect_language(job.text.title, job.text.body) for job in jobs]
    languages = [job.language or found for job, found in zip(jobs, detected, strict=True)]
    wanted = [
        index
        for index, job in enumerate(jobs)
        if job.extract and languages[index] == DEFAULT_LANGUAGE
    ]
    extracted = dict(zip(wanted, extract_chunk([jobs[i].text for i in wanted]), strict=True))
    found = []
    for index, language in enumerate(languages):
        entities, problem = extracted.get(index, (None, None))
        if entities is None and language != DEFAULT_LANGUAGE:
            entities = Entities()  # kept in the cache with the language: nothing to extract
        found.append(Found(language, detected[index], entities, problem))
    return found


def failed_job(job: Job, error: BaseException) -> Found:
    """The answer for a job whose worker failed on it even alone: no entities, and why.

    Its language is its tag's, else English (undetected): the article is still indexed.
    """
    language = job.language or DEFAULT_LANGUAGE
    reason = f"entity extraction failed in a worker ({type(error).__name__}: {error})"
    return Found(language, language, None, f"{reason}; indexed without entities")


def extract_chunk(texts: list[ArticleText]) -> list[Extracted]:
    """Extract a chunk's entities; if that fails, one by one, so the culprit is reported."""
    if not texts:
        return []
    try:
        return [(entities, None) for entities in extract_entities(texts)]
    except Exception:
        return [extract_one(text) for text in texts]


def extract_one(text: ArticleText) -> Extracted:
    """Extract one article's entities; on failure, none, and the reason why."""
    try:
        return extract_entities([text])[0], None
    except Exception as error:
        reason = (
            f"entity extraction failed ({type(error).__name__}: {error}); indexed without entities"
        )
        return Entities(), reason


def text_of(article: Article) -> ArticleText:
    """What extraction reads of an article (and language detection, of its title and body)."""
    return extraction_input(article.title, article.body, article.dateline, article.date)


def extract_all(texts: list[ArticleText], workers: int) -> list[Entities]:
    """The entities of many articles, in order, without the cache (for benchmarks)."""
    chunks = [texts[i : i + CHUNK_SIZE] for i in range(0, len(texts), CHUNK_SIZE)]
    return [entities for done in in_workers(extract_chunk, chunks, workers) for entities, _ in done]


def worker_pool(workers: int) -> Any:
    """A pool of extraction processes, one model each, one BLAS thread each."""
    # Threads per process would only fight over the cores the processes already share.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    # spawn, not fork: the parent may hold threads and a loaded model that must not be copied.
    # Like the writers, they die with the indexer: a killed run's idle workers waited forever.
    context = multiprocessing.get_context("spawn")
    return context.Pool(workers, initializer=die_with_parent, initargs=(os.getpid(),))
