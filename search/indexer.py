"""All writing to the archive: read, parse, extract, resolve names, then write each article
through a backend's writer (search/backend.py); no engine is imported here."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path

from search import dates
from search.backend import BackendWriter, SearchBackend
from search.cache import CACHE_FILE, ExtractionCache
from search.entities.aliases import ALIASES_FILE, Aliases, default_aliases, load_aliases
from search.entities.archive import ArchiveResolver, NameTable
from search.extraction import Extractor, extract_pending
from search.identity import RunIds, SourceFiles, hash_content
from search.ingest import read_paths
from search.ingest.text import title_from_body
from search.language import language_code
from search.layout import writer_lock
from search.models import Article, IndexReport, Locator, RawArticle, RecordError

NAMES_FILE = "names.json"  # the archive's name counts, in each version's state directory
ALIASES_DIGEST = "aliases.digest"  # which alias files the version was written with
Progress = Callable[[IndexReport], None]


def index_paths(
    paths: Iterable[str | Path],
    backend: SearchBackend,
    *,
    rebuild: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
    extractor: Extractor | None = None,
) -> IndexReport:
    """Index files and directories into a backend; report what was added, updated, skipped
    and failed.

    Three steps: read every record and decide its fate; extract the entities of the
    articles to write (from the extraction cache where it knows them, else in `workers`
    local processes, or by `extractor`: a Dask cluster's workers); then count names over
    the archive, resolve each article's names with those counts and the alias files, and
    write. A rebuild writes every article into a
    new version, switched to at the end; only text never seen before is extracted. The
    writer's lock, the extraction cache and the alias files live in `backend.state_dir`.
    """
    started = time.monotonic()
    report = IndexReport()
    state_dir = backend.state_dir
    with writer_lock(state_dir):
        aliases = load_aliases(state_dir)  # a broken alias file stops the run before any work
        writer = backend.writer(rebuild=rebuild)
        live, target = writer.live_dir, writer.target_dir
        cache = None
        try:
            known = writer.known_hashes()
            cache = ExtractionCache(state_dir / CACHE_FILE)
            run, sources = RunIds(), SourceFiles.load(live)
            records = read_paths(paths)
            pending = list(prepare_articles(records, known, report, run, rebuild=rebuild))
            superseded = sources.superseded(run, known)
            count_replacements(report, superseded, pending, known, run)
            extract_pending(pending, cache, workers, report, progress, extractor)
            names = NameTable.load(target / NAMES_FILE) if target == live else NameTable()
            defaults = default_aliases()
            for article in pending:
                article.entities = defaults.apply(article.entities)
                names.add(article.entities)
            note_alias_change(live, target, aliases, state_dir, report)
            resolver = names.resolver(article.body for article in pending)
            remove = [article_id for ids in superseded.values() for article_id in ids]
            write_articles(writer, pending, resolver, aliases, report, progress, remove=remove)

            def save_state() -> None:
                names.save(target / NAMES_FILE)
                sources.updated(run, fresh=target != live).save(target)
                (target / ALIASES_DIGEST).write_text(aliases.digest, encoding="utf-8")

            if target == live:  # in place: the state follows what the commit made live
                writer.commit()
                save_state()
            else:  # a new version carries its state files when it is switched to
                save_state()
                writer.commit()
        except BaseException:
            writer.abort()
            raise
        finally:
            if cache is not None:
                cache.close()
    report.seconds = time.monotonic() - started
    if progress:
        progress(report)
    return report


def note_alias_change(
    live: Path | None, target: Path, aliases: Aliases, state_dir: Path, report: IndexReport
) -> None:
    """Say so when the alias files changed but the articles already indexed keep old names."""
    if live is None or target != live:
        return
    digest = live / ALIASES_DIGEST
    if digest.exists() and digest.read_text(encoding="utf-8") != aliases.digest:
        where = Locator(str(state_dir / ALIASES_FILE))
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
    writer: BackendWriter,
    articles: list[Article],
    resolver: ArchiveResolver,
    aliases: Aliases,
    report: IndexReport,
    progress: Progress | None,
    *,
    remove: Iterable[str] = (),
) -> None:
    """Remove the articles of `remove` and write each article, its names resolved over the
    archive and the alias files applied just before it is written (in the writer's
    processes, for a backend that writes in several)."""
    report.stage, report.done = "writing", 0

    def finish(article: Article) -> None:
        resolved = resolver.resolve(article.entities, article.title, article.body)
        article.entities = aliases.apply(resolved)

    def written(count: int) -> None:
        report.done = count
        if progress:
            progress(report)

    removed = list(remove)
    if removed:
        writer.delete(removed)
    writer.write(articles, finish, written)


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
