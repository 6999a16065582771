"""An archive where dates and scores tie, for the paging and export tests.

samples/ plus, written as real files, many articles of one day, of one month and of no
date, all holding one identical sentence (so relevance scores tie too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.indexing import index_into

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_ARTICLES = 55
SAME_DAY, SAME_MONTH, UNDATED, TEXT_FILES = 80, 30, 20, 12
SENTENCE = "The harbour board met again and agreed the tide tables for the season."


def write_tied_articles(folder: Path) -> int:
    """Articles whose dates and scores tie, as JSON Lines and plain-text files; how many."""
    folder.mkdir()
    rows = []
    for number in range(SAME_DAY + SAME_MONTH + UNDATED):
        date = "2021-05-04" if number < SAME_DAY else "2021-05"
        row: dict[str, Any] = {"id": f"tie-{number:03d}", "title": f"Notice {number:03d}"}
        row["body"] = SENTENCE
        if number < SAME_DAY + SAME_MONTH:
            row["date"] = date
        rows.append(row)
    lines = "\n".join(json.dumps(row) for row in rows) + "\n"
    (folder / "notices.jsonl").write_text(lines, encoding="utf-8")
    for number in range(TEXT_FILES):
        text = f" date 2021-05-04\n\nTide notice {number:03d}. {SENTENCE}\n"
        (folder / f"notice-{number:03d}.txt").write_text(text, encoding="utf-8")
    return len(rows) + TEXT_FILES


def build_tied_index(root: Path) -> Path:
    """samples/ and the tied articles, indexed under `root`; the index directory."""
    written = write_tied_articles(root / "ties")
    report = index_into([SAMPLES, root / "ties"], root / "index", workers=1)
    assert report.failed == 0 and report.added == written + SAMPLE_ARTICLES, report.failures
    return root / "index"
