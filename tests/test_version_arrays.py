"""A version's per-document arrays are written at commit time and mapped at open: what
they hold, and every answer given from them, is what reading the segments gives, after
incremental commits, deletions, a swapped-in rebuild, and for indexes written before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index

from bench.query_set import build_query_set
from search.backends.whoosh.facets import ArchiveArrays, build_arrays, read_arrays
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.matching import read_leaf
from search.backends.whoosh.query import run_search
from search.backends.whoosh.term_arrays import load_table
from search.backends.whoosh.version_arrays import load_version, version_arrays
from search.layout import current_generation
from search.params import make_search_request
from tests.indexing import index_into

ARRAYS = "_MAIN_*.arrays_*.npy"
TABLES = "*.terms_*.npy"


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")


def wire_records(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"a{n}",
            "title": f"News {n} from Oslo",
            "body": f"Officials in Oslo met on trade. Story {n}.",
            "date": f"1987-0{1 + n % 3}-1{n % 9}",
        }
        for n in range(count)
    ]


def same_arrays(mapped: ArchiveArrays, read: ArchiveArrays) -> None:
    """Every array of two ArchiveArrays holds the same values."""
    assert np.array_equal(mapped.timestamps, read.timestamps)
    assert np.array_equal(mapped.dated, read.dated)
    assert mapped.lengths.keys() == read.lengths.keys() == {"title", "body"}
    for name in mapped.lengths:
        assert np.array_equal(mapped.lengths[name], read.lengths[name])
    assert mapped.columns.keys() == read.columns.keys()
    for name, column in mapped.columns.items():
        other = read.columns[name]
        assert column.values == other.values, name
        for part in ("documents", "value_ids", "starts"):
            assert np.array_equal(getattr(column, part), getattr(other, part)), (name, part)


def assert_mapped_as_read(index_dir: Path) -> None:
    """The live version has its array files, and they hold what its segments hold."""
    ix = whoosh_index.open_dir(str(current_generation(index_dir)))
    with ix.reader() as reader:
        assert load_version(reader) is not None
        same_arrays(version_arrays(reader), build_arrays(reader))


def answers(index_dir: Path, requests: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Each request's total, hit ids in order, and facets, on a fresh SearchIndex."""
    index = SearchIndex(index_dir)
    try:
        pages = [run_search(index, make_search_request(**request)) for request in requests]
    finally:
        index.close()
    return [(page.total, [hit.id for hit in page.hits], page.facets, page.days) for page in pages]


def drop_array_files(index_dir: Path, pattern: str = ARRAYS) -> int:
    """Remove the version array files, as in an index written before them; how many."""
    found = list(current_generation(index_dir).glob(pattern))
    for path in found:
        path.unlink()
    return len(found)


def test_samples_answers_from_mapped_arrays_are_those_read_from_segments(
    samples_index: Path, tmp_path: Path
) -> None:
    assert_mapped_as_read(samples_index)
    requests = [spec["request"] for spec in build_query_set(samples_index)]
    requests += [{"query": ""}, {"query": "", "since": "2000-01-01", "until": "2030-12-31"}]
    before = tmp_path / "before"
    shutil.copytree(samples_index, before, symlinks=True)
    assert drop_array_files(before) > 0
    assert drop_array_files(before, TABLES) > 0
    assert answers(samples_index, requests) == answers(before, requests)


def assert_tables_hold_postings(index_dir: Path) -> None:
    """Every segment's term tables hold, term by term, what Whoosh's postings hold."""
    ix = whoosh_index.open_dir(str(current_generation(index_dir)))
    with ix.reader() as reader:
        for segment, _ in reader.leaf_readers():
            for field in ("title", "body"):
                table = load_table(segment, field)
                assert table is not None, (segment, field)
                texts = list(segment.lexicon(field))
                assert [table.texts[i] for i in range(len(table.texts))] == texts
                for text in texts:
                    documents, weights = read_leaf(segment.postings(field, text))
                    found = table.postings(text)
                    assert found is not None
                    kept = ~np.isin(found[0], list(segment.segment().deleted_docs()))
                    assert np.array_equal(found[0][kept], documents)
                    assert np.array_equal(found[1][kept], weights)
                assert table.postings(b"zzznowhere") is None


def test_term_tables_hold_the_postings_of_bulk_and_whoosh_written_segments(
    samples_index: Path, tmp_path: Path
) -> None:
    assert_tables_hold_postings(samples_index)
    source, index_dir = tmp_path / "wire.jsonl", tmp_path / "index"
    records = wire_records(8)
    write_jsonl(source, records)
    index_into([source], index_dir)
    records[1]["body"] = "Officials in Bergen met on fish."  # Whoosh's writer: a new segment
    write_jsonl(source, records)
    index_into([source], index_dir)
    assert_tables_hold_postings(index_dir)
    assert answers(index_dir, [{"query": "fish OR trade"}])[0][0] == 8


def test_first_answer_after_a_commit_uses_the_new_arrays(tmp_path: Path) -> None:
    source, index_dir = tmp_path / "wire.jsonl", tmp_path / "index"
    records = wire_records(12)
    write_jsonl(source, records)
    index_into([source], index_dir)
    index = SearchIndex(index_dir)  # open before the commits, as a running server is
    try:
        assert run_search(index, make_search_request("trade")).total == 12
        for round_ in range(3):  # an update and an addition, one commit each
            records[round_]["body"] = f"Officials in Bergen and Tokyo met, round {round_}."
            records.append({"id": f"new{round_}", "title": "Nairobi", "body": "Kenya grain."})
            write_jsonl(source, records)  # an update deletes the old copy of its article
            index_into([source], index_dir)
            assert_mapped_as_read(index_dir)
            page = run_search(index, make_search_request("grain"))
            assert page.total == round_ + 1
            trade = run_search(index, make_search_request("trade", since="1987-01-01"))
            assert trade.total == 12 - (round_ + 1)
            assert sum(v.count for v in trade.facets["date"]) == trade.total
    finally:
        index.close()
    generation = current_generation(index_dir)
    kept = {path.name.split(".")[0] for path in generation.glob(ARRAYS)}
    assert len(kept) <= 2  # this version's and the one before: older ones are removed


def test_a_swapped_in_rebuild_and_an_upgraded_index_get_their_arrays(tmp_path: Path) -> None:
    source, index_dir = tmp_path / "wire.jsonl", tmp_path / "index"
    records = wire_records(9)
    write_jsonl(source, records)
    index_into([source], index_dir)
    requests = [{"query": "oslo"}, {"query": "trade"}, {"query": "trade", "since": "1987-02-01"}]
    requests.append({"query": ""})
    mapped = answers(index_dir, requests)
    drop_array_files(index_dir)  # as written before them: read from the segments
    assert answers(index_dir, requests) == mapped
    index = SearchIndex(index_dir)
    try:
        expected = [run_search(index, make_search_request(**r)).total for r in requests]
        index_into([source], index_dir)  # the next run writes them
        assert_mapped_as_read(index_dir)
        assert answers(index_dir, requests) == mapped
        records[0]["body"] = "Nothing about the capital here."  # dated January
        write_jsonl(source, records)
        index_into([source], index_dir, rebuild=True)
        assert_mapped_as_read(index_dir)
        totals = [run_search(index, make_search_request(**r)).total for r in requests]
    finally:
        index.close()
    assert totals == [expected[0], expected[1] - 1, expected[2], expected[3]]


def test_arrays_written_for_other_segments_are_not_used(tmp_path: Path) -> None:
    source, index_dir = tmp_path / "wire.jsonl", tmp_path / "index"
    write_jsonl(source, wire_records(6))
    index_into([source], index_dir)
    generation = current_generation(index_dir)
    listed = next(generation.glob("_MAIN_*.arrays_segments.npy"))
    np.save(listed, np.array(["MAIN_elsewhere"]))
    ix = whoosh_index.open_dir(str(generation))
    with ix.reader() as reader:
        assert load_version(reader) is None
        same_arrays(version_arrays(reader), build_arrays(reader))
        assert set(read_arrays(reader)) >= {"timestamp", "dated", "facet_country_values"}
