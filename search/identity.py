"""Article ids and content hashes, and which files gave which articles.

An article's id is the source's own id, else its URL, else a hash of its title, date and
text: never the path of its file, so that a moved or renamed archive keeps its ids and
is found unchanged when indexed again, while different articles in different folders
keep different ids. Identical records in one file are told apart by their order;
identical records in two files are one article.

An id made from the text changes when the text does. So that an edited file replaces
its old article instead of adding a second one, each index generation keeps the ids of
this kind that every file gave (`sources.json`): when a file is read again and no longer
gives one of them, and no other file that still exists does, that article is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Container
from pathlib import Path

from search.entities import EXTRACTOR_VERSION
from search.models import Locator, RawArticle

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,79}")
SOURCES_FILE = "sources.json"


def make_article_id(record: RawArticle) -> str:
    """A stable id: the source's own id, else the URL, else a hash of title, date and text."""
    if record.source_id and SAFE_ID.fullmatch(record.source_id):
        return record.source_id
    if record.source_id:
        return "s" + digest(record.source_id)
    if record.url:
        return "u" + digest(record.url)
    # Spacing is normalised: re-wrapping a text file does not make it another article.
    words = [" ".join(part.split()) for part in (record.title, record.date_text, record.body)]
    return "c" + digest("\n".join(words))


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
    described = {
        "author": record.author,
        "agency": record.agency,
        "language": record.language,
        "labels": record.labels,
    }
    if any(described.values()):
        # Only when present, so archives indexed before these fields keep their hashes.
        parts.append(described)
    return digest(json.dumps(parts, sort_keys=True, default=str), length=40)


def digest(text: str, length: int = 16) -> str:
    """The first `length` hex digits of the text's SHA-1."""
    # surrogatepass: a lone surrogate (from a JSON escape or a file name) hashes as its bytes.
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


class RunIds:
    """Ids for one run's records, and the ids made from text that each file gave."""

    def __init__(self) -> None:
        self.given: dict[str, list[str]] = {}  # file -> ids made from text, in record order
        self.troubled: set[str] = set()  # files with a record that could not be indexed
        self._seen: Counter[tuple[str, str]] = Counter()
        self._files: dict[str, str] = {}

    def assign(self, record: RawArticle) -> str:
        """The record's id; the n-th identical record of a file gets `-n` from the second on."""
        article_id = make_article_id(record)
        if record.source_id or record.url:
            return article_id
        path = self.file_of(record.locator.path)
        self._seen[path, article_id] += 1
        if self._seen[path, article_id] > 1:
            article_id += f"-{self._seen[path, article_id]}"
        self.given.setdefault(path, []).append(article_id)
        return article_id

    def failed(self, locator: Locator) -> None:
        """Note a record that failed: its file's old articles are then left as they are."""
        self.troubled.add(self.file_of(locator.path))

    def file_of(self, path: str) -> str:
        """The absolute path of a record's file, the key it is remembered by."""
        if path not in self._files:
            # realpath, not Path.resolve: a link loop must not raise (it is reported instead).
            self._files[path] = os.path.realpath(path)
        return self._files[path]


class SourceFiles:
    """The ids made from text that each file gave when last read, kept with a generation."""

    def __init__(self, files: dict[str, list[str]]) -> None:
        self.files = files

    @classmethod
    def load(cls, generation: Path | None) -> SourceFiles:
        """What a generation remembers; nothing for a new index."""
        saved = generation / SOURCES_FILE if generation else None
        if saved is None or not saved.exists():
            return cls({})
        return cls(json.loads(saved.read_text(encoding="utf-8")))

    def superseded(self, run: RunIds, known: Container[str]) -> dict[str, list[str]]:
        """Per file read whole in this run: the indexed ids it gave before and no file gives now."""
        now = {article_id for ids in run.given.values() for article_id in ids}
        gone = {
            path: [i for i in self.files.get(path, []) if i not in now and i in known]
            for path in run.given
            if path not in run.troubled
        }
        gone = {path: ids for path, ids in gone.items() if ids}
        if not gone:
            return {}
        # A copy of the file elsewhere that still exists still gives the old article.
        elsewhere = {
            article_id
            for path, ids in self.files.items()
            if path not in run.given and os.path.exists(path)
            for article_id in ids
        }
        kept = {path: [i for i in ids if i not in elsewhere] for path, ids in gone.items()}
        return {path: ids for path, ids in kept.items() if ids}

    def updated(self, run: RunIds, *, fresh: bool) -> SourceFiles:
        """What to remember after the run: a new generation holds only the files it read."""
        files = {} if fresh else dict(self.files)
        for path, ids in run.given.items():
            if path in run.troubled:  # its old articles stayed, so they stay remembered
                ids = list(dict.fromkeys([*ids, *files.get(path, [])]))
            files[path] = ids
        return SourceFiles(files)

    def save(self, generation: Path) -> None:
        """Write beside the generation's index, whole or not at all."""
        temporary = generation / f".{SOURCES_FILE}.{os.getpid()}"
        temporary.write_text(json.dumps(self.files), encoding="utf-8")
        os.replace(temporary, generation / SOURCES_FILE)
