"""Phrases (exact or with a slop) read word positions from the tables written beside each
segment, and match exactly what Whoosh's own phrase query matches: on the sample archive,
across several segments (some written by Whoosh's writer, without tables), with deleted
articles, with the tables removed (an index written before them) and with Whoosh's
position pickles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.formats import Positions

from search.backends.whoosh.bulkwrite import write_generation
from search.backends.whoosh.matching import PostingsReader, evaluate
from search.backends.whoosh.parser import parse_query
from search.backends.whoosh.position_files import PositionTables, segment_positions
from search.backends.whoosh.schema import build_schema
from search.backends.whoosh.version_arrays import before_commit
from search.backends.whoosh.whoosh_internals import segment_location
from search.layout import current_generation
from tests.test_segment_arrays import whoosh_positions

TEXTS = [  # repeated words, stop words inside, a phrase's words in the wrong order
    "the grain exchange said there was no panic in the grain market",
    "grain grain exchange exchange",
    "exchange grain exchange grain exchange",
    "no grain, no exchange",
    "the price of oil rose; the oil price fell",
    "oil oil oil price",
    "price oil price oil",
]
TITLES = ["Grain prices", "Oil exchange", "Market panic"]
PHRASES = [
    '"grain exchange"',
    '"grain grain"',
    '"exchange grain exchange"',
    '"grain exchange grain exchange"',
    '"oil price"',
    '"price of oil"',
    '"price oil price"',
    '"oil oil oil"',
    '"no panic"',
    '"panic grain"',
    '"prices oil"',
    '"prices exchange"',  # the end of a title and the start of a body: never one phrase
    '"grain nowhereword"',
    'title:"oil exchange"',
    '"grain exchange"~3',  # with a slop: each word within 3 positions of the span before
    '"grain market"~5',
    '"market grain"~5',  # in order only
    '"oil price"~2',
    '"grain grain"~2',
    '"exchange grain exchange"~3',
    '"price oil price oil"~4',
    '"said panic market"~6',
    '"no exchange"~3',
    '"price fell"~40',  # wider than MAX_SLOP: Whoosh's own matcher
    '"market panic" OR "oil price"',
    '"grain exchange" AND NOT "no panic"',
]
ARTICLES = 1200  # enough for two writer processes, hence two bulk-written segments


def articles(count: int, start: int = 0) -> list[dict[str, Any]]:
    """Short articles cycling through the texts and titles, numbered so that each differs."""
    return [
        {
            "id": str(n),
            "title": TITLES[n % len(TITLES)],
            "body": f"{TEXTS[n % len(TEXTS)]} number{n % 11}",
            "dated": 0,
            "timestamp": 0,
        }
        for n in range(start, start + count)
    ]


def build_index(folder: Path, pickled: bool) -> Any:
    """Bulk-written segments, one written by Whoosh's writer, and deleted articles."""
    schema = build_schema()
    if pickled:  # as indexes were written before ArrayPositions
        for name in ("title", "body"):
            schema[name].format = Positions(field_boost=schema[name].format.field_boost)
    ix = whoosh_index.create_in(folder, schema)
    write_generation(ix, articles(ARTICLES), dict, processes=2, memory_mb=8)
    writer = ix.writer(compound=False)  # as the indexer's writer: the segment's own files
    for document in articles(40, start=ARTICLES):
        writer.add_document(**document)
    for n in (0, 1, 2, 7, 600, 601, ARTICLES + 3):
        writer.delete_by_term("id", str(n))
    writer.commit(merge=False)
    return ix


def whoosh_mask(searcher: Any, text_query: Any) -> np.ndarray:
    """Whoosh's own matches of a query, as a boolean array."""
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    mask[list(searcher.docs_for_query(text_query))] = True
    return mask


def assert_phrases_match_whoosh(ix: Any) -> None:
    with ix.searcher() as searcher:
        postings = PostingsReader(searcher)
        for text in PHRASES:
            text_query = parse_query(text, searcher.schema)
            assert np.array_equal(
                evaluate(postings, text_query).mask, whoosh_mask(searcher, text_query)
            ), text


@pytest.mark.parametrize("pickled", [False, True], ids=["array positions", "position pickles"])
@pytest.mark.parametrize("tables", [True, False], ids=["with tables", "written before tables"])
def test_phrases_match_whoosh(tmp_path: Path, pickled: bool, tables: bool) -> None:
    ix = build_index(tmp_path, pickled)
    written = [*tmp_path.glob("*.positions_body_*"), *tmp_path.glob("*.positions_title_*")]
    assert len(written) == 2 * 2 * 3  # two bulk segments, title and body, three files each
    if not tables:
        for path in written:
            path.unlink()
    with ix.reader() as reader:
        assert len(list(reader.leaf_readers())) == 3 and reader.has_deletions()
    assert_phrases_match_whoosh(ix)


def assert_tables_hold_whoosh_positions(reader: Any, fields: tuple[str, ...]) -> int:
    """Every term's occurrences in every table equal Whoosh's; how many tables there were."""
    tables, found = PositionTables(), 0
    for segment, _ in reader.leaf_readers():
        for field in fields:
            table = tables.of(segment, field)
            if table is None:
                continue
            found += 1
            for term in segment.lexicon(field):
                ours = segment_positions(segment, field, term, table)
                assert ours is not None
                expected = whoosh_positions(segment, field, term)
                assert (ours[0].tolist(), ours[1].tolist()) == expected, (field, term)
            assert table.lookup(b"nowhereword") is None
    return found


def test_tables_hold_whoosh_positions_of_every_term(tmp_path: Path) -> None:
    ix = build_index(tmp_path, pickled=False)
    with ix.reader() as reader:
        assert assert_tables_hold_whoosh_positions(reader, ("title", "body")) == 4


def test_sample_archive_tables_hold_whoosh_positions(samples_index: Path) -> None:
    ix = whoosh_index.open_dir(str(current_generation(samples_index)))
    with ix.reader() as reader:
        fields = tuple(name for name in reader.schema.names() if name.startswith(("title", "body")))
        assert assert_tables_hold_whoosh_positions(reader, fields) >= 2
        segment = next(iter(reader.leaf_readers()))[0]
        assert segment_location(segment)[0] is not None


@pytest.mark.parametrize("pickled", [False, True], ids=["array positions", "position pickles"])
def test_segments_without_tables_get_them_at_the_next_commit(tmp_path: Path, pickled: bool) -> None:
    ix = build_index(tmp_path, pickled)
    for path in tmp_path.glob("*.positions_*"):  # as an index written before the tables
        path.unlink()
    with ix.reader() as reader:
        segments = [segment.segment() for segment, _ in reader.leaf_readers()]
    before_commit(ix)(segments, ix.latest_generation() + 1)  # what the next commit calls
    with ix.reader() as reader:
        assert assert_tables_hold_whoosh_positions(reader, ("title", "body")) == 6
    assert_phrases_match_whoosh(ix)
