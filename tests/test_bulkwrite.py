"""The bulk writer writes what Whoosh's own writer writes, only faster.

Every comparison is between two real indexes of the same real articles: one written by
Whoosh's SegmentWriter, one by search/backends/whoosh/bulkwrite.py. The core comparisons
use samples/ alone, so any clone catches an upgrade of the Whoosh pin that changes what
either writes; the same comparisons on Reuters-21578 run where ../shared/data is present.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search import dates
from search.backends.whoosh.bulkwrite import BulkSegmentWriter, write_generation
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.postings import FastText, simple_index
from search.backends.whoosh.query import run_search
from search.backends.whoosh.schema import article_to_document, build_schema
from search.backends.whoosh.whoosh_internals import commit_with
from search.backends.whoosh.writer import BULK_ADDITIONS
from search.identity import make_article_id
from search.indexer import build_article
from search.ingest import read_paths
from search.models import IndexReport, RawArticle
from search.params import make_search_request
from tests.conftest import SAMPLES, count_reuters_records, reuters_files
from tests.indexing import index_into

BLOCK_LIMIT = 128  # postings per block in Whoosh 3 posting lists


def documents(paths: list[Path], limit: int) -> list[dict[str, Any]]:
    """The Whoosh documents of the first `limit` articles of the paths."""
    found = []
    for record in read_paths(paths):
        if isinstance(record, RawArticle):
            article = build_article(record, make_article_id(record), "hash", IndexReport())
            month, label = dates.month_key(article.date), dates.format_date(article.date)
            found.append(article_to_document(article, month, label))
        if len(found) == limit:
            break
    return found


def copies_of(docs: list[dict[str, Any]], copies: int) -> list[dict[str, Any]]:
    """Each document `copies` times under new ids: enough postings per term for many blocks."""
    return [{**doc, "id": f"{doc['id']}-c{copy}"} for copy in range(copies) for doc in docs]


@pytest.fixture(scope="module")
def sample_documents() -> list[dict[str, Any]]:
    """The documents of every article in samples/."""
    return documents([SAMPLES], 10_000)


@pytest.fixture(scope="module")
def reuters_documents() -> list[dict[str, Any]]:
    return documents(reuters_files()[:3], 2500)


def whoosh_written(directory: Path, docs: list[dict[str, Any]]) -> Any:
    directory.mkdir()
    ix = whoosh_index.create_in(directory, build_schema())
    writer = SegmentWriter(ix, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return whoosh_index.open_dir(directory)


def bulk_written(directory: Path, docs: list[dict[str, Any]], **options: Any) -> Any:
    directory.mkdir()
    ix = whoosh_index.create_in(directory, build_schema())
    settings = {"processes": 1, "memory_mb": 1024} | options
    write_generation(ix, docs, lambda doc: doc, **settings)
    return whoosh_index.open_dir(directory)


def postings_of(ix: Any) -> dict[tuple[str, bytes], Any]:
    """Every term's statistics and postings (document ids made index-wide)."""
    found = {}
    with ix.reader() as reader:
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            matcher = reader.postings(field, text)
            items = list(matcher.all_items())
            found[(field, text)] = (stats, round(info.max_weight(), 4), items)
    return found


def stored_of(ix: Any) -> list[dict[str, Any]]:
    with ix.searcher() as searcher:
        return [searcher.stored_fields(docnum) for docnum in range(searcher.doc_count_all())]


def lengths_of(ix: Any) -> dict[str, list[int]]:
    with ix.reader() as reader:
        size = reader.doc_count_all()
        return {
            field: [reader.doc_field_length(docnum, field) for docnum in range(size)]
            for field in ("title", "body", "actor", "country", "org")
        }


def assert_same_analysis(docs: list[dict[str, Any]]) -> None:
    schema = build_schema()
    for name in ("title", "body"):
        field = schema[name]
        fast = FastText.for_field(field)
        assert fast is not None
        for doc in docs:
            assert sorted(fast.index(doc[name])) == sorted(field.index(doc[name])), doc["id"]


def test_text_analysis_is_the_analyzer_chains(sample_documents: list[dict[str, Any]]) -> None:
    assert_same_analysis(sample_documents)


@pytest.mark.integration
def test_text_analysis_is_the_analyzer_chains_on_reuters(
    reuters_documents: list[dict[str, Any]],
) -> None:
    assert_same_analysis(reuters_documents)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab Zé.*'-_1\n\tÆßİ") + ["the", " of ", "running", "U.S.", "a"]),
        max_size=60,
    ).map("".join)
    | st.text(max_size=60)
)
def test_text_analysis_agrees_on_any_text(text: str) -> None:
    field = build_schema()["title"]  # boosted: weights must carry the boost
    fast = FastText.for_field(field)
    assert fast is not None
    assert sorted(fast.index(text)) == sorted(field.index(text))


def test_text_analysis_is_only_for_text_fields() -> None:
    schema = build_schema()
    for name in ("id", "actor", "country", "org", "month", "content_hash"):
        assert FastText.for_field(schema[name]) is None
    for name in ("title", "body"):
        assert simple_index(schema[name]) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Joe Biden", " Putin ", ",", " ", "", "É", "a,b"]), max_size=8))
def test_identifiers_and_keywords_are_indexed_as_whoosh_does(pieces: list[str]) -> None:
    value = ",".join(pieces)
    schema = build_schema()
    for name in ("id", "actor", "country", "org", "month", "content_hash"):
        fast = simple_index(schema[name])
        assert fast is not None, name
        assert sorted(fast(value)) == sorted(schema[name].index(value)), name


def assert_same_index(ours: Any, theirs: Any) -> None:
    """Two indexes hold the same postings, stored fields, lengths and columns."""
    assert postings_of(ours) == postings_of(theirs)
    assert stored_of(ours) == stored_of(theirs)
    assert lengths_of(ours) == lengths_of(theirs)
    with ours.reader() as mine, theirs.reader() as reference:
        for column in ("id", "content_hash", "dated", "timestamp"):
            assert list(mine.column_reader(column)) == list(reference.column_reader(column))


def test_an_index_written_in_bulk_holds_what_whoosh_writes(
    tmp_path: Path, sample_documents: list[dict[str, Any]]
) -> None:
    docs = copies_of(sample_documents, 8)
    ours = bulk_written(tmp_path / "bulk", docs)
    theirs = whoosh_written(tmp_path / "whoosh", docs)
    with theirs.reader() as reader:  # so that block boundaries are compared too
        assert max(reader.doc_frequency(f, t) for f, t in reader.all_terms()) > 2 * BLOCK_LIMIT
    assert_same_index(ours, theirs)


@pytest.mark.integration
def test_an_index_written_in_bulk_holds_what_whoosh_writes_on_reuters(
    tmp_path: Path, reuters_documents: list[dict[str, Any]], sample_documents: list[dict[str, Any]]
) -> None:
    docs = reuters_documents[:1500] + sample_documents
    assert_same_index(
        bulk_written(tmp_path / "bulk", docs), whoosh_written(tmp_path / "whoosh", docs)
    )


def test_parallel_writers_and_small_budgets_give_segments_with_the_same_content(
    tmp_path: Path, sample_documents: list[dict[str, Any]]
) -> None:
    docs = copies_of(sample_documents, 25)  # two writer processes from 1,000 documents on
    ours = bulk_written(tmp_path / "bulk", docs, processes=2, memory_mb=1)
    theirs = whoosh_written(tmp_path / "whoosh", docs)
    with ours.reader() as reader:
        assert len(list(reader.leaf_readers())) > 2  # two processes, several flushes each
    assert_same_index(ours, theirs)


@pytest.mark.integration
def test_parallel_writers_on_reuters_give_the_same_postings(
    tmp_path: Path, reuters_documents: list[dict[str, Any]]
) -> None:
    ours = bulk_written(tmp_path / "bulk", reuters_documents, processes=2, memory_mb=4)
    theirs = whoosh_written(tmp_path / "whoosh", reuters_documents)
    with ours.reader() as reader:
        assert len(list(reader.leaf_readers())) > 2
    with ours.searcher() as mine, theirs.searcher() as reference:
        for field, word in [("body", "oil"), ("body", "bank"), ("title", "trade"), ("actor", "")]:
            terms = [word] if word else list(islice(reference.lexicon(field), 20))
            for term in terms:
                got = [mine.stored_fields(d)["id"] for d in mine.postings(field, term).all_ids()]
                want = [
                    reference.stored_fields(d)["id"]
                    for d in reference.postings(field, term).all_ids()
                ]
                assert got == want, (field, term)
    assert [d["id"] for d in stored_of(ours)] == [d["id"] for d in reuters_documents]


def test_a_failing_writer_process_fails_the_write_and_commits_nothing(
    tmp_path: Path, sample_documents: list[dict[str, Any]]
) -> None:
    docs = copies_of(sample_documents, 25)

    def to_document(doc: dict[str, Any]) -> dict[str, Any]:
        if doc is docs[-1]:
            raise ValueError("a record the writer cannot take")
        return doc

    ix = whoosh_index.create_in(tmp_path, build_schema())
    with pytest.raises(RuntimeError, match="ValueError: a record the writer cannot take"):
        write_generation(ix, docs, to_document, processes=2, memory_mb=64)
    assert whoosh_index.open_dir(tmp_path).doc_count() == 0


def test_bulk_writer_takes_documents_one_by_one_like_whoosh(tmp_path: Path) -> None:
    docs = documents([SAMPLES], 20)
    ix = whoosh_index.create_in(tmp_path, build_schema())
    writer = BulkSegmentWriter(ix)
    for doc in docs:
        writer.add_document(**doc)
    commit_with(SegmentWriter(ix), [writer.finish()])
    with whoosh_index.open_dir(tmp_path).searcher() as searcher:
        assert searcher.doc_count() == len(docs)
        assert [searcher.stored_fields(d)["id"] for d in range(len(docs))] == [
            doc["id"] for doc in docs
        ]


@pytest.mark.integration
def test_many_new_articles_join_a_live_index_in_bulk_beside_replaced_ones(tmp_path: Path) -> None:
    files = reuters_files()
    notes = tmp_path / "notes.jsonl"
    rows = [
        {"id": f"note{n}", "title": f"Note {n}", "body": f"Quixbarl note {n}."} for n in range(3)
    ]
    notes.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    index_into([files[0], notes], index_dir, workers=2)
    first = count_reuters_records(files[:1])
    rows[0]["body"] = "Zyxquor note, rewritten."
    notes.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")

    report = index_into([*files[1:4], notes], index_dir, workers=2)

    added = count_reuters_records(files[1:4])
    assert added >= BULK_ADDITIONS  # so the new articles went the bulk way
    assert (report.added, report.updated, report.unchanged) == (added, 1, 2)
    index = SearchIndex(index_dir)
    try:
        everything = run_search(index, make_search_request(per_page=1), 1)
        assert everything.total == first + added + 3
        assert [hit.id for hit in run_search(index, make_search_request("zyxquor"), 1).hits] == [
            "note0"
        ]
        assert run_search(index, make_search_request("quixbarl"), 1).total == 2
        ids = [fields["id"] for fields in index.searcher().all_stored_fields()]
        assert len(ids) == len(set(ids)) == everything.total
    finally:
        index.close()
