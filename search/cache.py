"""Extraction results cached by content, so re-indexing never runs the model twice.

One SQLite file next to the index (outside its generations, so rebuilds keep it). The
key is a hash of everything extraction reads (title, body, dateline, year) and the
extractor's version; the value is the article's entities as extraction found them,
before the archive-wide names and the user's aliases are applied, and the language
detected in its text, so that a rebuild from the cache detects nothing again. An entry
written before languages were kept (or by another detector version) has no language:
the next run detects it in the workers and stores it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from search.entities import EXTRACTOR_VERSION, ArticleText
from search.language import DETECTOR_VERSION
from search.models import Entities, Mention

CACHE_FILE = "extraction-cache.sqlite"
LOOKUP_BATCH = 500  # SQLite's limit on parameters is 999 in old builds


def cache_key(text: ArticleText) -> str:
    """The hash of what extraction reads of an article, extractor version included."""
    parts = [EXTRACTOR_VERSION, text.title, text.body, text.dateline, text.year]
    return hashlib.sha1(json.dumps(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Extraction:
    """What the cache knows of an article: its entities, and its detected language if any."""

    entities: Entities
    language: str | None = None  # None: not detected yet (a cache from before languages)


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

    def get_many(self, keys: list[str]) -> dict[str, Extraction]:
        """What the cache holds of those keys that are in it."""
        found: dict[str, Extraction] = {}
        for start in range(0, len(keys), LOOKUP_BATCH):
            batch = keys[start : start + LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            rows = self.connection.execute(
                f"SELECT key, value FROM entities WHERE key IN ({marks})", batch
            )
            for key, value in rows:
                found[key] = decode(value)
        return found

    def put_many(self, items: Iterable[tuple[str, Extraction]]) -> None:
        """Store extractions under their keys, in one transaction."""
        rows = [(key, encode(extraction)) for key, extraction in items]
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(
                "INSERT OR REPLACE INTO entities (key, value) VALUES (?, ?)", rows
            )

    def close(self) -> None:
        self.connection.close()


def encode(extraction: Extraction) -> str:
    """An extraction as compact JSON; the language with the version of the detector."""
    entities = extraction.entities
    data: dict[str, object] = {
        "a": entities.actors,
        "c": entities.countries,
        "o": entities.orgs,
        "m": [mention.to_row() for mention in entities.mentions],
    }
    if extraction.language is not None:
        data["l"], data["lv"] = extraction.language, DETECTOR_VERSION
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(value: str) -> Extraction:
    """An extraction from its JSON; a language another detector version found is dropped."""
    data = json.loads(value)
    entities = Entities(
        actors=data["a"],
        countries=data["c"],
        orgs=data["o"],
        mentions=[Mention.from_row(row) for row in data["m"]],
    )
    language = data.get("l") if data.get("lv") == DETECTOR_VERSION else None
    return Extraction(entities, language)
