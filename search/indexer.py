"""All writing to the index: read, parse, extract, then add, replace or skip each article."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search import dates
from search.entities import EXTRACTOR_VERSION, extract_entities
from search.ingest import read_paths
from search.layout import current_generation, make_current, new_generation, writer_lock
from search.models import Article, Entities, IndexReport, Locator, RawArticle, RecordError
from search.schema import article_to_document, build_schema, document_to_article

CHUNK_SIZE = 32
WRITER_MEMORY_MB = 256
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,79}")
Progress = Callable[[IndexReport], None]
Pending = tuple[Article, bool]  # an article and whether its entities are already known
Extracted = tuple[Article, bool, RecordError | None]


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
        previous = whoosh_index.open_dir(str(live)) if live else None
        known = known_hashes(previous) if previous else {}
        target = new_generation(index_dir) if rebuild or live is None else live
        ix = previous if target == live else whoosh_index.create_in(target, build_schema())
        try:
            # A rebuild copies unchanged articles, entities and all, from the live index.
            with previous.searcher() if rebuild and previous else nullcontext() as old:
                articles = prepare_articles(read_paths(paths), known, report, old)
                write_articles(ix, articles, workers, report, progress, replace=target == live)
        except BaseException:
            if target != live:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if target != live:
            make_current(index_dir, target)
    report.seconds = time.monotonic() - started
    if progress:
        progress(report)
    return report


def write_articles(
    ix: Any,
    articles: Iterable[Pending],
    workers: int,
    report: IndexReport,
    progress: Progress | None,
    *,
    replace: bool,
) -> None:
    """Extract what needs extracting and write everything in one writer, committed at the end."""
    writer = ix.writer(limitmb=WRITER_MEMORY_MB)
    try:
        for article, reused, warning in extract_in_workers(articles, workers):
            if warning:
                report.warnings.append(warning)
            document = article_to_document(
                article, dates.month_key(article.date), dates.format_date(article.date)
            )
            if replace and not reused:
                writer.update_document(**document)  # a no-op delete for new articles
            else:
                writer.add_document(**document)
            if progress:
                progress(report)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def count_records(paths: Iterable[str | Path]) -> int:
    """How many records (articles and unreadable ones) the paths hold: a progress bar's total."""
    return sum(1 for _ in read_paths(paths))


def known_hashes(ix: Any) -> dict[str, str]:
    """Map each indexed article id to its content hash, read from columns, not stored fields."""
    with ix.reader() as reader:
        ids = reader.column_reader("id")
        hashes = reader.column_reader("content_hash")
        return {ids[docnum]: hashes[docnum] for docnum in reader.all_doc_ids()}


def prepare_articles(
    records: Iterable[RawArticle | RecordError],
    known: dict[str, str],
    report: IndexReport,
    old: Any = None,
) -> Iterator[Pending]:
    """Decide each record's fate and count it; yield what must be written.

    Unchanged articles are skipped, or, in a rebuild (`old` is the live index's
    searcher), copied from the live index with their entities.
    """
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
            if old is not None:
                copied = document_to_article(old.document(id=article_id))
                copied.locator = record.locator  # the file may have moved; the text has not
                yield copied, True
            continue
        if article_id in known:
            report.updated += 1
        else:
            report.added += 1
        yield build_article(record, article_id, content_hash, report), False


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


def extract_in_workers(articles: Iterable[Pending], workers: int) -> Iterator[Extracted]:
    """Add entities to each article that needs them, in order, in `workers` processes."""
    chunks = iter(lambda: list(islice(articles, CHUNK_SIZE)), [])
    if workers <= 1:
        for chunk in chunks:
            yield from extract_chunk(chunk)
        return
    # spawn, not fork: the parent may hold threads and a loaded model that must not be copied.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for done in pool.imap(extract_chunk, chunks):
            yield from done


def extract_chunk(chunk: list[Pending]) -> list[Extracted]:
    """Extract a chunk's entities; if that fails, one by one, so the culprit is reported."""
    todo = [article for article, reused in chunk if not reused]
    try:
        found = extract_entities([(a.title, a.body) for a in todo])
    except Exception:
        return [extract_one(article) if not reused else (article, True, None)
                for article, reused in chunk]  # fmt: skip
    for article, entities in zip(todo, found, strict=True):
        article.entities = entities
    return [(article, reused, None) for article, reused in chunk]


def extract_one(article: Article) -> Extracted:
    """Extract one article's entities; on failure index it without them and say so."""
    try:
        article.entities = extract_entities([(article.title, article.body)])[0]
    except Exception as error:
        article.entities = Entities()
        reason = (
            f"entity extraction failed ({type(error).__name__}: {error}); indexed without entities"
        )
        return article, False, RecordError(article.locator, reason)
    return article, False, None
