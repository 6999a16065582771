"""Extraction results cached by content, so re-indexing never runs the model twice.

One SQLite file next to the index (outside its generations, so rebuilds keep it). The
key is a hash of everything extraction reads (title, body, dateline, year) and the
extractor's version; the value is the article's entities as extraction found them,
before the archive-wide names and the user's aliases are applied.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from search.entities import EXTRACTOR_VERSION, ArticleText
from search.models import Entities, Mention

CACHE_FILE = "extraction-cache.sqlite"
LOOKUP_BATCH = 500  # SQLite's limit on parameters is 999 in old builds


def cache_key(text: ArticleText) -> str:
    """The hash of what extraction reads of an article, extractor version included."""
    parts = [EXTRACTOR_VERSION, text.title, text.body, text.dateline, text.year]
    return hashlib.sha1(json.dumps(parts).encode("utf-8")).hexdigest()


class ExtractionCache:
    """A persistent map from cache keys to extracted entities."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS entities (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )

    def get_many(self, keys: list[str]) -> dict[str, Entities]:
        """The cached entities of those keys that are in the cache."""
        found: dict[str, Entities] = {}
        for start in range(0, len(keys), LOOKUP_BATCH):
            batch = keys[start : start + LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            rows = self.connection.execute(
                f"SELECT key, value FROM entities WHERE key IN ({marks})", batch
            )
            for key, value in rows:
                found[key] = decode(value)
        return found

    def put_many(self, items: Iterable[tuple[str, Entities]]) -> None:
        """Store entities under their keys, in one transaction."""
        rows = [(key, encode(entities)) for key, entities in items]
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(
                "INSERT OR REPLACE INTO entities (key, value) VALUES (?, ?)", rows
            )

    def close(self) -> None:
        self.connection.close()


def encode(entities: Entities) -> str:
    """Entities as compact JSON."""
    return json.dumps(
        {
            "a": entities.actors,
            "c": entities.countries,
            "o": entities.orgs,
            "m": [mention.to_row() for mention in entities.mentions],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(value: str) -> Entities:
    """Entities from their JSON."""
    data = json.loads(value)
    return Entities(
        actors=data["a"],
        countries=data["c"],
        orgs=data["o"],
        mentions=[Mention.from_row(row) for row in data["m"]],
    )
