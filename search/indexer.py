"""All writing to the index: read, parse, extract, then add, replace or skip each article."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search import dates
from search.entities import EXTRACTOR_VERSION, extract_entities
from search.ingest import read_paths
from search.layout import current_generation, make_current, new_generation, writer_lock
from search.models import Article, Entities, IndexReport, Locator, RawArticle, RecordError
from search.schema import article_to_document, build_schema

CHUNK_SIZE = 32
WRITER_MEMORY_MB = 256
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,79}")
Progress = Callable[[IndexReport], None]


def index_paths(
    paths: Iterable[str | Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
) -> IndexReport:
    """Index files and directories; report what was added, updated, skipped and failed."""
    started = time.monotonic()
    report = IndexReport()
    with writer_lock(index_dir):
        live = current_generation(index_dir)
        fresh = rebuild or live is None
        target = new_generation(index_dir) if fresh else live
        assert target is not None
        ix = (
            whoosh_index.create_in(target, build_schema())
            if fresh
            else whoosh_index.open_dir(target)
        )
        known = {} if fresh else known_hashes(ix)
        writer = ix.writer(limitmb=WRITER_MEMORY_MB)
        try:
            articles = prepare_articles(read_paths(paths), known, report)
            for article, warning in extract_in_workers(articles, workers):
                if warning:
                    report.warnings.append(warning)
                write_article(writer, article, replace=article.id in known, report=report)
                if progress:
                    progress(report)
            writer.commit()
        except BaseException:
            writer.cancel()
            if fresh:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if fresh:
            make_current(index_dir, target)
    report.seconds = time.monotonic() - started
    if progress:
        progress(report)
    return report


def known_hashes(ix: Any) -> dict[str, str]:
    """Map each indexed article id to its content hash, read from columns, not stored fields."""
    with ix.reader() as reader:
        ids = reader.column_reader("id")
        hashes = reader.column_reader("content_hash")
        return {ids[docnum]: hashes[docnum] for docnum in reader.all_doc_ids()}


def prepare_articles(
    records: Iterable[RawArticle | RecordError], known: dict[str, str], report: IndexReport
) -> Iterator[Article]:
    """Turn raw records into dated articles that need indexing; count and report the rest."""
    first_seen: dict[str, Locator] = {}  # locators only: the records themselves move on
    for record in records:
        if isinstance(record, RecordError):
            report.failures.append(record)
            continue
        article_id = make_article_id(record)
        if article_id in first_seen:
            other = first_seen[article_id]
            reason = (
                f"duplicate article id {article_id!r} (also at {other}); give records unique ids"
            )
            report.failures.append(RecordError(record.locator, reason))
            continue
        first_seen[article_id] = record.locator
        if not (record.title.strip() or record.body.strip()):
            report.failures.append(RecordError(record.locator, "record has neither title nor text"))
            continue
        content_hash = hash_content(record)
        if known.get(article_id) == content_hash:
            report.unchanged += 1
            continue
        yield build_article(record, article_id, content_hash, report)


def build_article(
    record: RawArticle, article_id: str, content_hash: str, report: IndexReport
) -> Article:
    """An Article with its date parsed; entities come later, in a worker."""
    parsed = dates.parse_date(record.date_text)
    if parsed.reason and record.date_text.strip():
        # A dated reason already says what was kept; an undated one needs saying.
        note = parsed.reason if parsed.is_dated else f"{parsed.reason}; indexed as undated"
        report.warnings.append(RecordError(record.locator, note))
    return Article(
        id=article_id,
        title=record.title.strip() or make_title(record.body),
        body=record.body,
        date=parsed,
        content_hash=content_hash,
        locator=record.locator,
        url=record.url,
        source=record.source,
        dateline=record.dateline,
        date_text=record.date_text,
        extra=record.extra,
    )


def make_article_id(record: RawArticle) -> str:
    """A stable id: the source's own id, else the URL, else the file path and record number."""
    if record.source_id and SAFE_ID.fullmatch(record.source_id):
        return record.source_id
    if record.source_id:
        return "s" + _digest(record.source_id)
    if record.url:
        return "u" + _digest(record.url)
    where = f"{Path(record.locator.path).resolve()}#{record.locator.record}"
    return "f" + _digest(where)


def hash_content(record: RawArticle) -> str:
    """A hash of everything that shapes the indexed article, extractor version included."""
    parts = [
        record.title,
        record.body,
        record.date_text,
        record.url,
        record.source,
        record.dateline,
        record.extra,
        EXTRACTOR_VERSION,
    ]
    return _digest(json.dumps(parts, sort_keys=True, default=str), length=40)


def make_title(body: str) -> str:
    """A title for an untitled article: its first line, cut at a word near 120 characters."""
    line = body.strip().split("\n", 1)[0]
    if len(line) <= 120:
        return line
    return line[:120].rsplit(" ", 1)[0] + "…"


def _digest(text: str, length: int = 16) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def extract_in_workers(
    articles: Iterable[Article], workers: int
) -> Iterator[tuple[Article, RecordError | None]]:
    """Add entities to each article, in order, using `workers` processes when more than one."""
    chunks = iter(lambda: list(islice(articles, CHUNK_SIZE)), [])
    if workers <= 1:
        for chunk in chunks:
            yield from extract_chunk(chunk)
        return
    # spawn, not fork: the parent may hold threads and a loaded model that must not be copied.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for done in pool.imap(extract_chunk, chunks):
            yield from done


def extract_chunk(chunk: list[Article]) -> list[tuple[Article, RecordError | None]]:
    """Extract entities for a chunk; if the chunk fails, retry one by one and report the culprit."""
    try:
        found = extract_entities([(a.title, a.body) for a in chunk])
    except Exception:
        return [extract_one(article) for article in chunk]
    for article, entities in zip(chunk, found, strict=True):
        article.entities = entities
    return [(article, None) for article in chunk]


def extract_one(article: Article) -> tuple[Article, RecordError | None]:
    """Extract one article's entities; on failure index it without them and say so."""
    try:
        article.entities = extract_entities([(article.title, article.body)])[0]
    except Exception as error:
        article.entities = Entities()
        reason = (
            f"entity extraction failed ({type(error).__name__}: {error}); indexed without entities"
        )
        return article, RecordError(article.locator, reason)
    return article, None


def write_article(writer: Any, article: Article, *, replace: bool, report: IndexReport) -> None:
    """Add a new article or replace the stored version of a changed one."""
    document = article_to_document(
        article, dates.month_key(article.date), dates.format_date(article.date)
    )
    if replace:
        writer.update_document(**document)
        report.updated += 1
    else:
        writer.add_document(**document)
        report.added += 1
