"""Tantivy (Rust, through tantivy-py) on the same articles, for the cold side of `make bench`.

`build_tantivy` writes a tantivy index of every article of one of our indexes: the same
ids, titles and bodies, and the same facet values (actors, countries, organisations,
months and timestamps) read back from our index, so both engines hold the same data.
`python bench/cold.py --tantivy TANTIVY_DIR QUERIES.json` asks it the cold query set in a
fresh process as ours is asked, doing the same work per query: the top 20 with body
snippets, terms aggregations of actors, countries and organisations (30 values each) and
the month counts.

tantivy is a bench dependency only (pyproject's dev extra): without it, `available()` is
False and the bench says so and goes on.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import tantivy
except ImportError:  # the bench reports it and carries on without the comparison
    tantivy = None

TOP = 20
FACET_SIZE = 30
MONTHS = 10_000  # every month: the histogram is all of them
SNIPPET_CHARS = 240
FACETS = ("actor", "country", "org")
STAMP_FILE = "built-from.txt"  # the generation of our index this tantivy index was built from
WRITER_HEAP = 256 * 1024 * 1024


def available() -> bool:
    """Whether tantivy-py is installed."""
    return tantivy is not None


def build_schema() -> Any:
    """Title and body stemmed with positions (phrases); facets as raw, fast strings."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    for name in (*FACETS, "month"):
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    builder.add_integer_field("timestamp", indexed=True, fast=True)
    builder.add_boolean_field("dated", indexed=True, fast=True)
    return builder.build()


def our_documents(generation: Path) -> Any:
    """Every live article of one of our index generations, as tantivy's field values."""
    from whoosh import index as whoosh_index

    from search.backends.whoosh.facets import numeric_column

    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        reader = searcher.reader()
        size = reader.doc_count_all()
        timestamps = numeric_column(reader, "timestamp", size).tolist()
        dated = numeric_column(reader, "dated", size).tolist()
        for document in reader.all_doc_ids():
            fields = reader.stored_fields(document)
            record = fields["record"]
            yield {
                "id": fields["id"],
                "title": fields["title"],
                "body": fields["body"],
                "actor": list(record["actors"]),
                "country": list(record["countries"]),
                "org": list(record["orgs"]),
                "month": fields.get("month") or "undated",
                "timestamp": int(timestamps[document]),
                "dated": bool(dated[document]),
            }


def build_tantivy(index_dir: Path, target: Path) -> float:
    """Build (or keep, when it is of the same generation) tantivy's copy; seconds spent."""
    from search.layout import current_generation

    generation = current_generation(index_dir)
    if generation is None:
        raise SystemExit(f"no index in {index_dir}")
    stamp = target / STAMP_FILE
    if stamp.exists() and stamp.read_text(encoding="utf-8") == generation.name:
        return 0.0
    started = time.perf_counter()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    index = tantivy.Index(build_schema(), str(target))
    writer = index.writer(WRITER_HEAP)
    for values in our_documents(generation):
        writer.add_document(tantivy.Document(**values))
    writer.commit()
    writer.wait_merging_threads()
    stamp.write_text(generation.name, encoding="utf-8")
    return time.perf_counter() - started


def day_seconds(text: str, end: bool) -> int:
    """A YYYY-MM-DD day as seconds since 1970 (UTC), at its start or its last second."""
    day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    return int(day.timestamp()) + (86_399 if end else 0)


def make_query(index: Any, request: dict[str, Any]) -> Any:
    """Our request as a tantivy query: the text over title and body (title boosted as
    ours is), every word required unless OR says otherwise, dates and facet values as filters."""
    schema = index.schema
    parts = [
        (
            tantivy.Occur.Must,
            index.parse_query(
                request["query"],
                ["title", "body"],
                field_boosts={"title": 2.0},
                conjunction_by_default=True,
            ),
        )
    ]
    if request.get("since") or request.get("until"):
        low = day_seconds(request.get("since") or "1000-01-01", end=False)
        high = day_seconds(request.get("until") or "9999-12-31", end=True)
        stamps = tantivy.Query.range_query(
            schema, "timestamp", tantivy.FieldType.Integer, low, high
        )
        dated = tantivy.Query.term_query(schema, "dated", True)
        parts += [(tantivy.Occur.Must, stamps), (tantivy.Occur.Must, dated)]
    for name in FACETS:
        for value in request.get(name, []):
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, name, value)))
    return tantivy.Query.boolean_query(parts)


AGGREGATIONS = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS} | {
    "month": {"terms": {"field": "month", "size": MONTHS}}
}


def open_index(target: Path) -> Any:
    """tantivy's copy of an index, opened."""
    if tantivy is None:
        raise SystemExit("tantivy is not installed")
    return tantivy.Index.open(str(target))


def answer(index: Any, request: dict[str, Any]) -> int:
    """One request: top 20 with body snippets, the facet and month counts; the total."""
    searcher = index.searcher()
    query = make_query(index, request)
    result = searcher.search(query, TOP, count=True)
    snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "body")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    for _, address in result.hits:
        document = searcher.doc(address)
        snippets.snippet_from_doc(document).to_html()
        document.get_first("title")
    searcher.aggregate(query, AGGREGATIONS)
    return int(result.count)
