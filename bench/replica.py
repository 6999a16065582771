"""An N-times replica of an archive as JSON Lines, each copy shifted by whole years.

Copy k of article ID is `ID-rK` dated K years later (copy 0 keeps the original's date), so
no id and no day collides between copies. Extraction reads the year, so the copies' cache
keys differ from the originals': `seed_cache` stores each original's cached entities under
its copies' keys, so that indexing the replica runs no extraction at all. A deliberate
choice: a copy dated 1990 keeps the entities extracted for 1987 (same text, same names).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from search.cache import Extraction, ExtractionCache, cache_key
from search.extraction import text_of
from search.identity import make_article_id
from search.indexer import build_article
from search.ingest import read_paths
from search.models import Article, IndexReport, RawArticle

COPY_MARK = "-r"


def replica_id(article_id: str, copy: int) -> str:
    """The id of copy `copy` of an article."""
    return f"{article_id}{COPY_MARK}{copy}"


def original_id(replica: str) -> str:
    """The original article id a replica id was made from."""
    return replica.rsplit(COPY_MARK, 1)[0]


def shifted_date(record: RawArticle, years: int) -> str:
    """The record's date as ISO text, `years` later; empty when it has no usable date."""
    article = build_article(record, "x", "", IndexReport())
    moment = article.date.value
    if moment is None:
        return ""
    return moment.replace(year=moment.year + years).isoformat()


def replica_records(records: list[RawArticle], copies: int) -> Iterator[dict[str, str]]:
    """JSON objects for `copies` copies of every record, copy by copy."""
    dates = [shifted_date(record, 0) for record in records]
    for copy in range(copies):
        for record, date in zip(records, dates, strict=True):
            moved = f"{int(date[:4]) + copy}{date[4:]}" if date else ""
            yield {
                "id": replica_id(make_article_id(record), copy),
                "title": record.title,
                "body": record.body,
                "date": moved,
                "source": record.source or "",
            }


def write_replica(records: list[RawArticle], copies: int, path: Path) -> int:
    """Write the replica as JSON Lines to `path`; the number of articles written."""
    written = 0
    temporary = path.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as handle:
        for item in replica_records(records, copies):
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
            written += 1
    temporary.replace(path)
    return written


def read_articles(paths: Iterable[Path]) -> list[RawArticle]:
    """Every readable record of the paths, in order."""
    return [record for record in read_paths(paths) if isinstance(record, RawArticle)]


def entities_by_id(records: list[RawArticle], cache: ExtractionCache) -> dict[str, Extraction]:
    """The cached entities (and detected language) of each original article, by article id."""
    keys = {make_article_id(r): cache_key(text_of(_article(r))) for r in records}
    cached = cache.get_many(list(keys.values()))
    return {article_id: cached[key] for article_id, key in keys.items() if key in cached}


def seed_cache(replica: Path, originals: dict[str, Extraction], cache: ExtractionCache) -> int:
    """Store each original's entities and language under its copies' cache keys; how many."""
    items = []
    for record in read_articles([replica]):
        extraction = originals.get(original_id(make_article_id(record)))
        if extraction is not None:
            items.append((cache_key(text_of(_article(record))), extraction))
    cache.put_many(items)
    return len(items)


def _article(record: RawArticle) -> Article:
    return build_article(record, make_article_id(record), "", IndexReport())
