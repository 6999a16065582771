"""All writing to the index: read, parse, extract, resolve names, then write each article."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search import dates
from search.bulkwrite import write_generation, write_segments
from search.cache import CACHE_FILE, ExtractionCache
from search.entities.aliases import ALIASES_FILE, Aliases, default_aliases, load_aliases
from search.entities.archive import ArchiveResolver, NameTable
from search.extraction import extract_pending
from search.identity import RunIds, SourceFiles, hash_content
from search.ingest import read_paths
from search.ingest.text import title_from_body
from search.language import language_code
from search.layout import current_generation, make_current, new_generation, writer_lock
from search.models import Article, IndexReport, Locator, RawArticle, RecordError
from search.schema import add_missing_fields, article_to_document, build_schema
from search.version_arrays import before_commit
from search.whoosh_internals import commit_with

WRITER_MEMORY_MB = 1024  # postings held in memory by all writers of a new generation
WRITER_PROCESSES = 2  # a new generation's writers: fixed, tuned on a 2-core machine
UPDATE_MEMORY_MB = 256  # the pool of Whoosh's writer when it updates a live index
BULK_ADDITIONS = 2000  # new articles for a live index written in bulk from this many on
NAMES_FILE = "names.json"  # the archive's name counts, in each generation
ALIASES_DIGEST = "aliases.digest"  # which alias files the generation was written with
Progress = Callable[[IndexReport], None]


def index_paths(
    paths: Iterable[str | Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
) -> IndexReport:
    """Index files and directories; report what was added, updated, skipped and failed.

    Three steps: read every record and decide its fate; extract the entities of the
    articles to write (from the extraction cache where it knows them, else in worker
    processes); then count names over the archive, resolve each article's names with
    those counts and the alias files, and write. A rebuild writes every article into a
    new generation, swapped in at the end; only text never seen before is extracted.
    """
    started = time.monotonic()
    report = IndexReport()
    with writer_lock(index_dir):
        aliases = load_aliases(index_dir)  # a broken alias file stops the run before any work
        live = current_generation(index_dir)
        previous = whoosh_index.open_dir(str(live)) if live else None
        known = known_hashes(previous) if previous else {}
        target = new_generation(index_dir) if rebuild or live is None else live
        ix = previous if target == live else whoosh_index.create_in(target, build_schema())
        if ix is previous:
            add_missing_fields(ix)
        cache = ExtractionCache(index_dir / CACHE_FILE)
        run, sources = RunIds(), SourceFiles.load(live)
        try:
            records = read_paths(paths)
            pending = list(prepare_articles(records, known, report, run, rebuild=rebuild))
            superseded = sources.superseded(run, known)
            count_replacements(report, superseded, pending, known, run)
            extract_pending(pending, cache, workers, report, progress)
            names = NameTable.load(target / NAMES_FILE) if target == live else NameTable()
            defaults = default_aliases()
            for article in pending:
                article.entities = defaults.apply(article.entities)
                names.add(article.entities)
            note_alias_change(live, target, aliases, index_dir, report)
            resolver = names.resolver(article.body for article in pending)
            write_articles(
                ix,
                pending,
                resolver,
                aliases,
                report,
                progress,
                replace=target == live,
                known=known,
                remove=[article_id for ids in superseded.values() for article_id in ids],
            )
            names.save(target / NAMES_FILE)
            sources.updated(run, fresh=target != live).save(target)
            (target / ALIASES_DIGEST).write_text(aliases.digest, encoding="utf-8")
        except BaseException:
            if target != live:
                shutil.rmtree(target, ignore_errors=True)
            raise
        finally:
            cache.close()
        if target != live:
            make_current(index_dir, target)
    report.seconds = time.monotonic() - started
    if progress:
        progress(report)
    return report


def note_alias_change(
    live: Path | None, target: Path, aliases: Aliases, index_dir: Path, report: IndexReport
) -> None:
    """Say so when the alias files changed but the articles already indexed keep old names."""
    if live is None or target != live:
        return
    digest = live / ALIASES_DIGEST
    if digest.exists() and digest.read_text(encoding="utf-8") != aliases.digest:
        where = Locator(str(index_dir / ALIASES_FILE))
        reason = "the aliases changed; run `newsarchive index --rebuild` to apply them everywhere"
        report.warnings.append(RecordError(where, reason))


def prepare_articles(
    records: Iterable[RawArticle | RecordError],
    known: dict[str, str],
    report: IndexReport,
    run: RunIds,
    *,
    rebuild: bool = False,
) -> Iterator[Article]:
    """Decide each record's fate and count it; yield the articles to write.

    An article whose content hash the live index already holds is unchanged: skipped,
    or in a rebuild written again (its entities then come from the extraction cache).
    """
    first_seen: dict[str, Locator] = {}  # locators only: the records themselves move on
    for record in records:
        if isinstance(record, RecordError):
            report.failures.append(record)
            run.failed(record.locator)
            continue
        if not (record.title.strip() or record.body.strip()):
            report.failures.append(RecordError(record.locator, "record has neither title nor text"))
            run.failed(record.locator)
            continue
        report.merged += record.merged
        article_id = run.assign(record)
        if article_id in first_seen:
            reason = duplicate_reason(record, article_id, first_seen[article_id])
            report.failures.append(RecordError(record.locator, reason))
            continue
        first_seen[article_id] = record.locator
        content_hash = hash_content(record)
        if known.get(article_id) == content_hash:
            report.unchanged += 1
            if rebuild:
                yield build_article(record, article_id, content_hash, report)
            continue
        if article_id in known:
            report.updated += 1
        else:
            report.added += 1
        yield build_article(record, article_id, content_hash, report)


def duplicate_reason(record: RawArticle, article_id: str, other: Locator) -> str:
    """Why a record with the id of an earlier record of the run is not indexed again."""
    if record.source_id or record.url:
        return f"duplicate article id {article_id!r} (also at {other}); give records unique ids"
    return f"the same title, date and text as {other}: indexed once, from there"


def count_replacements(
    report: IndexReport,
    superseded: dict[str, list[str]],
    pending: list[Article],
    known: Container[str],
    run: RunIds,
) -> None:
    """Count an edited file's new articles as updates of the old ones they replace."""
    added = Counter(run.file_of(a.locator.path) for a in pending if a.id not in known)
    for path, old in superseded.items():
        replaced = min(len(old), added[path])
        report.added -= replaced
        report.updated += replaced
        report.removed += len(old) - replaced


def write_articles(
    ix: Any,
    articles: list[Article],
    resolver: ArchiveResolver,
    aliases: Aliases,
    report: IndexReport,
    progress: Progress | None,
    *,
    replace: bool,
    known: Container[str] = (),
    remove: Iterable[str] = (),
) -> None:
    """Resolve each article's names and write it.

    A new generation is written in bulk, in parallel processes (search/bulkwrite.py).
    An update of the live index replaces changed articles with Whoosh's writer, which
    can delete (and removes the ids in `remove`); many new articles are written beside
    it in bulk, and both are committed together.
    """
    report.stage, report.done = "writing", 0

    def to_document(article: Article) -> dict[str, Any]:
        resolved = resolver.resolve(article.entities, article.title, article.body)
        article.entities = aliases.apply(resolved)
        return article_to_document(
            article, dates.month_key(article.date), dates.format_date(article.date)
        )

    def written(count: int, before: int = 0) -> None:
        report.done = before + count
        if progress:
            progress(report)

    options = {"processes": WRITER_PROCESSES, "memory_mb": WRITER_MEMORY_MB}
    if not replace:
        write_generation(ix, articles, to_document, progress=written, **options)
        return
    updates = [article for article in articles if article.id in known]
    additions = [article for article in articles if article.id not in known]
    if len(additions) < BULK_ADDITIONS:
        updates, additions = articles, []
    writer = ix.writer(limitmb=UPDATE_MEMORY_MB, compound=False)
    try:
        for article_id in remove:
            writer.delete_by_term("id", article_id)
        for done, article in enumerate(updates, 1):
            writer.update_document(**to_document(article))  # a no-op delete for new articles
            written(done)
        segments = []
        if additions:
            after = partial(written, before=len(updates))
            segments = write_segments(ix, additions, to_document, progress=after, **options)
    except BaseException:
        writer.cancel()
        raise
    commit_with(writer, segments, before_commit(ix))


def known_hashes(ix: Any) -> dict[str, str]:
    """Map each indexed article id to its content hash, read from columns, not stored fields."""
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return {}  # an empty index has no columns to read
        pairs = zip(reader.column_reader("id"), reader.column_reader("content_hash"), strict=True)
        if not reader.has_deletions():
            return dict(pairs)
        alive = set(reader.all_doc_ids())
        return {id_: hash_ for docnum, (id_, hash_) in enumerate(pairs) if docnum in alive}


def build_article(
    record: RawArticle, article_id: str, content_hash: str, report: IndexReport
) -> Article:
    """An Article with its date parsed; its entities, and its language unless its format
    tagged one, come later: from the extraction cache or a worker (search/extraction.py)."""
    parsed = dates.parse_date(record.date_text)
    if parsed.reason and record.date_text.strip():
        # A dated reason already says what was kept; an undated one needs saying.
        note = parsed.reason if parsed.is_dated else f"{parsed.reason}; indexed as undated"
        report.warnings.append(RecordError(record.locator, note))
    return Article(
        id=article_id,
        title=record.title.strip() or title_from_body(record.body),
        body=record.body,
        date=parsed,
        content_hash=content_hash,
        locator=record.locator,
        url=record.url,
        source=record.source,
        dateline=record.dateline,
        date_text=record.date_text,
        author=record.author,
        agency=record.agency,
        language=language_code(record.language),  # else detected with the entities
        labels=record.labels,
        extra=record.extra,
    )
