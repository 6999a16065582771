"""A query set the warm benchmark never asks, built from an index's own vocabulary.

Words are drawn with a fixed seed from the bodies of randomly chosen articles and sorted
into three bands by how many articles hold them; queries are single terms of each band,
AND, OR, phrases (words that stand together in an article), `title:` words, date ranges
and facet filters. The same seed on the same index gives the same queries.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index

from search.layout import current_generation

SEED = 14
SAMPLED_ARTICLES = 400
WORD = re.compile(r"[a-z]{3,}")
OPERATORS = {"and", "or", "not", "to"}
BANDS = ("common", "middle", "rare")  # in 1% or more of articles; 0.1-1%; fewer, but 3+
SHAPES = {  # how many queries of each shape: 200 in all
    "common": 25,
    "middle": 25,
    "rare": 25,
    "and": 25,
    "or": 20,
    "phrase": 35,
    "title": 15,
    "date range": 15,
    "facet": 15,
}
FACETS = {"country": "country", "actor": "actor", "org": "org"}


class Vocabulary:
    """Words and adjacent word pairs of sampled articles, each word with its band."""

    def __init__(self, searcher: Any, rng: random.Random) -> None:
        reader, size = searcher.reader(), searcher.doc_count_all()
        analyzer = searcher.schema["body"].analyzer
        self.bands: dict[str, list[str]] = {band: [] for band in BANDS}
        self.pairs: list[str] = []
        self.common_pairs: list[str] = []  # both words in the common band: many hits
        self.months: list[str] = sorted(text for text in _texts(reader, "month") if text[:1] != "u")
        self.facets = {kind: _common_values(reader, field) for kind, field in FACETS.items()}
        seen: set[str] = set()
        for document in rng.sample(range(size), min(SAMPLED_ARTICLES, size)):
            body = searcher.stored_fields(document).get("body", "")
            tokens = body.lower().split()
            self._add_pairs(tokens, analyzer)
            words = [w for w in tokens if WORD.fullmatch(w) and w not in OPERATORS]
            for word in words:
                if word not in seen:
                    seen.add(word)
                    band = _band(reader, analyzer, word, size)
                    if band:
                        self.bands[band].append(word)
        common = set(self.bands["common"])
        self.common_pairs = [p for p in self.pairs if set(p.split()) <= common]

    def band(self, band: str) -> list[str]:
        """The band's words; every word when a small archive leaves the band empty."""
        return self.bands[band] or [word for words in self.bands.values() for word in words]

    def _add_pairs(self, tokens: list[str], analyzer: Any) -> None:
        """Two words that stand next to each other in the text, neither a stop word."""
        for first, second in zip(tokens, tokens[1:], strict=False):
            if not all(WORD.fullmatch(w) and w not in OPERATORS for w in (first, second)):
                continue
            if _stems(analyzer, first) and _stems(analyzer, second):
                self.pairs.append(f"{first} {second}")


def _texts(reader: Any, field: str) -> list[str]:
    return [
        text.decode("utf-8") if isinstance(text, bytes) else text for text in reader.lexicon(field)
    ]


def _common_values(reader: Any, field: str) -> list[str]:
    counted = [(reader.doc_frequency(field, text), text) for text in _texts(reader, field)]
    return [text for _, text in sorted(counted, reverse=True)[:50]]


def _stems(analyzer: Any, word: str) -> list[str]:
    return [token.text for token in analyzer(word)]


def _band(reader: Any, analyzer: Any, word: str, size: int) -> str | None:
    stems = _stems(analyzer, word)
    if len(stems) != 1:
        return None  # a stop word
    share = reader.doc_frequency("body", stems[0]) / size
    if share >= 0.01:
        return "common"
    if share >= 0.001:
        return "middle"
    return "rare" if reader.doc_frequency("body", stems[0]) >= min(3, size) else None


def _month_range(rng: random.Random, months: list[str]) -> dict[str, str]:
    month = rng.choice(months)
    return {"since": f"{month}-01", "until": f"{month}-28"}


def make_query(shape: str, words: Vocabulary, rng: random.Random) -> dict[str, Any]:
    """One request of a shape, as make_search_request takes it."""
    pick: Callable[[str], str] = lambda band: rng.choice(words.band(band))  # noqa: E731
    if shape in BANDS:
        return {"query": pick(shape)}
    if shape == "and":
        return {"query": f"{pick('common')} AND {pick(rng.choice(('middle', 'rare')))}"}
    if shape == "or":
        return {"query": f"{pick('middle')} OR {pick(rng.choice(BANDS))}"}
    if shape == "phrase":
        pairs = words.common_pairs if rng.random() < 0.5 and words.common_pairs else words.pairs
        return {"query": f'"{rng.choice(pairs)}"'}
    if shape == "title":
        return {"query": f"title:{pick(rng.choice(('common', 'middle')))}"}
    if shape == "date range":
        return {"query": pick(rng.choice(BANDS[:2]))} | _month_range(rng, words.months)
    kind = rng.choice(list(FACETS))
    return {"query": pick("common"), kind: [rng.choice(words.facets[kind][:20])]}


def build_query_set(index_dir: Path, seed: int = SEED) -> list[dict[str, Any]]:
    """About 200 requests (name and request) drawn from the index's vocabulary."""
    rng = random.Random(seed)
    generation = current_generation(index_dir)
    if generation is None:
        raise SystemExit(f"no index in {index_dir}")
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        words = Vocabulary(searcher, rng)
    queries = []
    for shape, count in SHAPES.items():
        queries.extend(
            {"name": shape, "request": make_query(shape, words, rng)} for _ in range(count)
        )
    rng.shuffle(queries)
    return queries


COLD_RUNNER = Path(__file__).with_name("cold.py")
QUERY_SET_FILE = "cold-queries.json"  # beside the index: the set its cold figures used


def run_cold(index_dir: Path, python: str = sys.executable) -> dict[str, Any]:
    """Ask the index's query set (built once, kept beside it) in a fresh process."""
    return run_fresh([python, str(COLD_RUNNER), str(index_dir)], query_set_file(index_dir))


def query_set_file(index_dir: Path) -> Path:
    """The index's cold query set, built and kept beside it the first time it is asked."""
    queries_file = index_dir / QUERY_SET_FILE
    if not queries_file.exists():
        queries_file.write_text(json.dumps(build_query_set(index_dir)), encoding="utf-8")
    return queries_file


def run_fresh(
    command: list[str], queries_file: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run a cold runner (ours, or another engine's) on a query set; its figures, with
    each query's name and request."""
    output = subprocess.run(
        [*command, str(queries_file)], check=True, capture_output=True, text=True, env=env
    ).stdout
    figures = dict(json.loads(output.strip().splitlines()[-1]))
    specs = json.loads(queries_file.read_text(encoding="utf-8"))[1:]
    figures["names"] = [spec["name"] for spec in specs]
    figures["requests"] = [spec["request"] for spec in specs]
    return figures


def cold_summary(cold: dict[str, Any]) -> dict[str, float]:
    """First-time and repeated percentiles, the time to the first answer, phrases apart."""
    first, repeated = np.array(cold["first_ms"]), np.array(cold["repeated_ms"])
    phrases = first[[name == "phrase" for name in cold["names"]]]
    summary = {"first_answer_ms": round(cold["first_answer_ms"], 1)}
    # A fresh process's start: importing the engine, opening the index, the first answer.
    summary["start_ms"] = round(cold["import_ms"] + cold["first_answer_ms"], 1)
    for label, values in (("cold", first), ("repeated", repeated)):
        for q in (50, 95, 99, 100):
            key = f"{label}_{'max' if q == 100 else f'p{q}'}_ms"
            summary[key] = round(float(np.percentile(values, q)), 1)
    if "first_cpu_ms" in cold:  # processor time: what a loaded machine's waits leave out
        summary["start_cpu_ms"] = round(cold["start_cpu_ms"], 1)
        summary["first_answer_cpu_ms"] = round(cold["first_answer_cpu_ms"], 1)
        cpu = np.array(cold["first_cpu_ms"])
        for q in (50, 95, 99, 100):
            summary[f"cold_cpu_{'max' if q == 100 else f'p{q}'}_ms"] = round(
                float(np.percentile(cpu, q)), 1
            )
    summary["cold_phrase_p50_ms"] = round(float(np.median(phrases)), 1) if len(phrases) else 0.0
    summary["cold_over_100ms"] = int((first > 100).sum())
    return summary


def print_cold(label: str, cold: dict[str, Any], summary: dict[str, float]) -> None:
    """The cold figures and the slowest first-time queries."""
    print(f"\n== {label}, cold: {len(cold['first_ms']) + 1} queries, each once on a fresh process")
    order = np.argsort(cold["first_ms"])[::-1][:10]
    for position in order:
        ms, total = cold["first_ms"][position], cold["totals"][position]
        print(f"{ms:9.1f} ms {total:8d}  {cold['names'][position]}: {cold['requests'][position]}")
    print("   ".join(f"{key} {value}" for key, value in summary.items()))
