"""A SQLite FTS5 baseline for the speed benchmark: the same articles, the same facets.

Built from the stored fields of one of our indexes (so the texts, dates and entity
values are exactly those we search), queried with FTS5 MATCH, GROUP BY over an entity
table and a monthly histogram. For comparison only; the product never imports it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search.models import ENTITY_KINDS

INSERT_BATCH = 2_000
PAGE_SIZE = 20
FACET_SIZE = 30
SCHEMA = """
CREATE TABLE docs (doc INTEGER PRIMARY KEY, title TEXT, month TEXT, timestamp INTEGER);
CREATE TABLE entities (doc INTEGER, kind TEXT, value TEXT);
CREATE VIRTUAL TABLE texts USING fts5(title, body, tokenize='porter', content='');
"""
INDEXES = """
CREATE INDEX entities_value ON entities (kind, value, doc);
CREATE INDEX entities_doc ON entities (doc, kind, value);
CREATE INDEX docs_time ON docs (timestamp);
"""


@dataclass
class BaselineRequest:
    """One query for the baseline: FTS5 match text, facet values required, date range."""

    match: str = ""
    included: tuple[tuple[str, str], ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    oldest_first: bool = False


@dataclass
class BaselinePage:
    """What the baseline answers: total, the page's titles, facet counts, months."""

    total: int
    titles: list[str]
    facets: dict[str, list[tuple[str, int]]]
    months: list[tuple[str, int]]


def stored_rows(index_dir: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every article's stored fields in our index, numbered from 1."""
    generation = (index_dir / "current").resolve()
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        yield from enumerate(searcher.all_stored_fields(), start=1)


def build_baseline(index_dir: Path, database: Path) -> int:
    """Write the FTS5 database from the index's articles; the number of articles."""
    partial = database.with_suffix(".partial")  # renamed when complete: a killed build
    partial.unlink(missing_ok=True)  # never leaves a half-filled baseline to be reused
    connection = sqlite3.connect(partial)
    connection.executescript(SCHEMA)
    count = 0
    for batch in _batches(stored_rows(index_dir), INSERT_BATCH):
        insert_batch(connection, batch)
        count += len(batch)
    connection.executescript(INDEXES)
    connection.commit()
    connection.close()
    partial.replace(database)
    return count


def insert_batch(connection: sqlite3.Connection, batch: list[tuple[int, dict[str, Any]]]) -> None:
    """Insert one batch of articles into the three tables."""
    docs, texts, entities = [], [], []
    for doc, fields in batch:
        record = fields["record"]
        moment = datetime.fromisoformat(record["date_iso"]) if record["date_iso"] else None
        stamp = int(moment.timestamp()) if moment else None
        docs.append((doc, fields["title"], fields.get("month", "undated"), stamp))
        texts.append((doc, fields["title"], fields["body"]))
        for kind, key in zip(ENTITY_KINDS, ("actors", "countries", "orgs"), strict=True):
            entities.extend((doc, kind, value) for value in record[key])
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", docs)
    connection.executemany("INSERT INTO texts (rowid, title, body) VALUES (?, ?, ?)", texts)
    connection.executemany("INSERT INTO entities VALUES (?, ?, ?)", entities)


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Baseline:
    """An open FTS5 database answering BaselineRequests."""

    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(database)

    def search(self, request: BaselineRequest) -> BaselinePage:
        """Total, first page, facet counts and the monthly histogram of one request."""
        connection = self.connection
        connection.execute("DROP TABLE IF EXISTS temp.matched")
        where, parameters = matching_sql(request)
        # A rowid table, so that every join below is a lookup, not a scan.
        connection.execute("CREATE TEMP TABLE matched (doc INTEGER PRIMARY KEY)")
        connection.execute(
            f"INSERT INTO matched SELECT docs.doc FROM docs WHERE {where}", parameters
        )
        total = connection.execute("SELECT count(*) FROM matched").fetchone()[0]
        return BaselinePage(total, self.page(request), self.facets(), self.months())

    def page(self, request: BaselineRequest) -> list[str]:
        """The titles of the first page: by rank for a text query, else by date."""
        if request.match:
            sql = (
                "SELECT docs.title FROM texts JOIN docs ON docs.doc = texts.rowid "
                "WHERE texts MATCH ? AND docs.doc IN (SELECT doc FROM matched) "
                "ORDER BY rank LIMIT ?"
            )
            rows = self.connection.execute(sql, (request.match, PAGE_SIZE))
        else:
            order = "ASC" if request.oldest_first else "DESC"
            sql = (
                "SELECT docs.title FROM docs JOIN matched USING (doc) "
                f"ORDER BY docs.timestamp {order} LIMIT ?"
            )
            rows = self.connection.execute(sql, (PAGE_SIZE,))
        return [title for (title,) in rows]

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """The top values of each entity kind among the matches."""
        sql = (
            "SELECT value, count(*) AS n FROM matched JOIN entities USING (doc) "
            "WHERE kind = ? GROUP BY value ORDER BY n DESC, value LIMIT ?"
        )
        return {
            kind: list(self.connection.execute(sql, (kind, FACET_SIZE))) for kind in ENTITY_KINDS
        }

    def months(self) -> list[tuple[str, int]]:
        """Matches per month, in time order."""
        sql = "SELECT month, count(*) FROM matched JOIN docs USING (doc) GROUP BY month ORDER BY 1"
        return list(self.connection.execute(sql))

    def close(self) -> None:
        self.connection.close()


def matching_sql(request: BaselineRequest) -> tuple[str, list[Any]]:
    """The WHERE clause over `docs` selecting the request's matches, and its parameters."""
    clauses, parameters = ["1"], []
    if request.match:
        clauses.append("docs.doc IN (SELECT rowid FROM texts WHERE texts MATCH ?)")
        parameters.append(request.match)
    for kind, value in request.included:
        clauses.append("docs.doc IN (SELECT doc FROM entities WHERE kind = ? AND value = ?)")
        parameters.extend([kind, value])
    if request.since is not None:
        clauses.append("docs.timestamp >= ?")
        parameters.append(int(request.since.timestamp()))
    if request.until is not None:
        clauses.append("docs.timestamp <= ?")
        parameters.append(int(request.until.timestamp()))
    return " AND ".join(clauses), parameters
