"""What a version needs before its first answer is written beside each segment and mapped,
and positions are read as arrays: both agree with what Whoosh reads, after updates,
deletions and merges, and for indexes written before (Whoosh's own position pickles)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.formats import Positions

from search.backends.whoosh.bulkwrite import write_generation
from search.backends.whoosh.facets import build_arrays
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.matching import PostingsReader, evaluate, read_postings
from search.backends.whoosh.parser import parse_query
from search.backends.whoosh.position_files import read_positions
from search.backends.whoosh.schema import FACET_FIELDS, build_schema
from search.backends.whoosh.segment_arrays import has_column, load_column, read_column
from search.backends.whoosh.whoosh_internals import segment_location
from search.layout import current_generation
from tests.indexing import index_into


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")


def whoosh_positions(reader: Any, field: str, text: bytes) -> tuple[list[int], list[int]]:
    """A term's occurrences as Whoosh decodes them, posting by posting."""
    documents, positions = [], []
    matcher = reader.postings(field, text)
    while matcher.is_active():
        found = matcher.value_as("positions")
        documents.extend([matcher.id()] * len(found))
        positions.extend(found)
        matcher.next()
    return documents, positions


def assert_arrays_equal_postings(reader: Any) -> None:
    """Every segment's mapped facet columns hold exactly what its postings hold."""
    for segment, _ in reader.leaf_readers():
        folder, segment_id = segment_location(segment)
        for field in FACET_FIELDS.values():
            mapped, read = load_column(folder, segment_id, field), read_column(segment, field)
            assert mapped is not None, f"{segment_id} has no {field} column"
            for ours, theirs in zip(mapped, read, strict=True):
                assert np.array_equal(np.asarray(ours), theirs)


def facet_counts(arrays: Any) -> dict[str, dict[str, int]]:
    everything = np.ones(len(arrays.timestamps), dtype=bool)
    return {name: column.count(everything) for name, column in arrays.columns.items()}


def test_every_segment_has_its_facet_columns_beside_it(samples_index: Path) -> None:
    ix = whoosh_index.open_dir(str(current_generation(samples_index)))
    with ix.reader() as reader:
        assert_arrays_equal_postings(reader)


def test_mapped_columns_stay_right_through_updates_deletions_and_merges(tmp_path: Path) -> None:
    source, index_dir = tmp_path / "wire.jsonl", tmp_path / "index"
    records = [
        {"id": f"a{n}", "title": f"News {n}", "body": f"Officials in Oslo met. Story {n}."}
        for n in range(12)
    ]
    write_jsonl(source, records)
    index_into([source], index_dir)
    for round_ in range(4):  # each update commits a segment; Whoosh merges small ones
        records[round_]["body"] = f"Officials in Bergen and Tokyo met again, round {round_}."
        write_jsonl(source, records[: 12 - round_])  # the last articles are removed
        index_into([source], index_dir)
    ix = whoosh_index.open_dir(str(current_generation(index_dir)))
    with ix.reader() as reader:
        assert reader.has_deletions() or len(list(reader.leaf_readers())) == 1
        assert_arrays_equal_postings(reader)
        mapped = facet_counts(build_arrays(reader))
    for path in current_generation(index_dir).glob("*.npy"):  # as an index written before
        path.unlink()
    ix = whoosh_index.open_dir(str(current_generation(index_dir)))
    with ix.reader() as reader:
        segment = next(iter(reader.leaf_readers()))[0]
        assert not has_column(*segment_location(segment), "country")
        assert facet_counts(build_arrays(reader)) == mapped
        assert sum(mapped["country"].values()) > 0 and "Norway" in mapped["country"]


@pytest.mark.parametrize("word", [b"grain", b"market", b"said", b"price", b"kenya"])
def test_positions_read_as_arrays_are_whoosh_positions(samples_search: SearchIndex, word) -> None:
    searcher, _ = samples_search.snapshot()
    reader = searcher.reader()
    documents, positions = read_positions(reader, "body", word)
    assert (documents.tolist(), positions.tolist()) == whoosh_positions(reader, "body", word)


def test_phrases_on_an_index_with_whoosh_position_pickles(tmp_path: Path) -> None:
    schema = build_schema()
    for name in ("title", "body"):  # as indexes were written before ArrayPositions
        schema[name].format = Positions(field_boost=schema[name].format.field_boost)
    ix = whoosh_index.create_in(tmp_path, schema)
    texts = ["the grain exchange said no panic", "no grain, no exchange", "grain exchange grain"]
    docs = [
        {"id": str(n), "title": text, "body": text, "dated": 0, "timestamp": 0}
        for n, text in enumerate(texts * 3)
    ]
    write_generation(ix, docs, dict, processes=1, memory_mb=1)
    with ix.searcher() as searcher:
        assert type(searcher.schema["body"].format) is Positions
        postings = PostingsReader(searcher)
        for text in ['"grain exchange"', '"no panic"', '"exchange grain"', "grain"]:
            text_query = parse_query(text, searcher.schema)
            expected = np.zeros(searcher.doc_count_all(), dtype=bool)
            expected[list(searcher.docs_for_query(text_query))] = True
            assert (evaluate(postings, text_query).mask == expected).all(), text


@pytest.mark.parametrize("word", ["grain", "market", "said"])
def test_postings_derived_from_positions_are_the_postings_read(
    samples_search: SearchIndex, word: str
) -> None:
    searcher, _ = samples_search.snapshot()
    postings = PostingsReader(searcher)  # its own cache: nothing read yet
    postings.positions("body", word)
    derived = postings.postings("body", word)
    read = read_postings(searcher.reader(), "body", word)
    assert np.array_equal(derived[0], read[0]) and np.allclose(derived[1], read[1])
    assert len(read[0]) > 0
