"""Indexing: counts, incremental runs, rebuilds swapped in atomically, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex, get_article
from search.backends.whoosh.query import run_search
from search.errors import IndexBusy
from search.layout import current_generation, writer_lock
from search.models import SearchRequest
from tests.indexing import index_into


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


ARTICLES = [
    {
        "id": "a1",
        "title": "Harbour expansion approved in Norway",
        "body": "Oslo approved the harbour plan on Monday.",
        "date": "2021-03-04",
    },
    {
        "id": "a2",
        "title": "Rail link opens",
        "body": "The new line links two towns in Kenya.",
        "date": "March 2021",
    },
    {"id": "a3", "title": "Undated note", "body": "No date was given for this story."},
]


def search_all(index_dir: Path) -> list[str]:
    index = SearchIndex(index_dir)
    try:
        page = run_search(index, SearchRequest(sort="oldest", per_page=50))
        return [hit.id for hit in page.hits]
    finally:
        index.close()


def test_first_run_adds_and_rerun_reports_unchanged(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", ARTICLES)
    first = index_into([source], tmp_path / "index")
    assert (first.added, first.updated, first.unchanged, first.failed) == (3, 0, 0, 0)
    second = index_into([source], tmp_path / "index")
    assert (second.added, second.updated, second.unchanged, second.failed) == (0, 0, 3, 0)
    assert sorted(search_all(tmp_path / "index")) == ["a1", "a2", "a3"]


def test_changed_article_is_replaced_not_duplicated(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", ARTICLES)
    index_into([source], tmp_path / "index")
    changed = [dict(ARTICLES[0], body="Oslo approved the harbour plan on Tuesday."), *ARTICLES[1:]]
    write_jsonl(source, changed)
    report = index_into([source], tmp_path / "index")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    assert sorted(search_all(tmp_path / "index")) == ["a1", "a2", "a3"]
    index = SearchIndex(tmp_path / "index")
    assert "Tuesday" in get_article(index, "a1").body
    index.close()


def test_undated_sorts_last_and_month_precision_is_kept(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", ARTICLES)
    index_into([source], tmp_path / "index")
    index = SearchIndex(tmp_path / "index")
    newest = run_search(index, SearchRequest(sort="newest"))
    assert [hit.id for hit in newest.hits][-1] == "a3"
    dates = {v.value: v.count for v in newest.facets["date"]}
    assert dates == {"2021-03": 2, "undated": 1}
    assert get_article(index, "a2").date.precision == "month"
    index.close()


def test_bad_records_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    lines = [json.dumps(ARTICLES[0]), "{not json", json.dumps(ARTICLES[0]), json.dumps({"id": "x"})]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = index_into([source], tmp_path / "index")
    assert report.added == 1
    reasons = sorted(str(f) for f in report.failures)
    assert len(reasons) == 3
    assert any("line 2" in r for r in reasons)
    assert any("duplicate article id 'a1'" in r for r in reasons)
    assert any("no title or text" in r and "record 4" in r for r in reasons)
    assert report.seen == 4


def test_unreadable_date_is_indexed_as_undated_and_reported(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "w.jsonl", [{"id": "d", "title": "T", "body": "B", "date": "yesterday"}]
    )
    report = index_into([source], tmp_path / "index")
    assert report.added == 1
    assert len(report.warnings) == 1 and "undated" in str(report.warnings[0])


def test_rebuild_swaps_in_a_new_generation(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", ARTICLES)
    index_dir = tmp_path / "index"
    index_into([source], index_dir)
    before = current_generation(index_dir)
    reader = SearchIndex(index_dir)
    assert run_search(reader, SearchRequest()).total == 3
    write_jsonl(source, ARTICLES[:2])
    report = index_into([source], index_dir, rebuild=True)
    after = current_generation(index_dir)
    assert (report.added, report.unchanged) == (0, 2) and after != before
    # The open reader moves to the new index on its next search.
    assert run_search(reader, SearchRequest()).total == 2
    reader.close()


def test_second_indexer_is_refused_while_one_writes(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", ARTICLES)
    with writer_lock(tmp_path / "index"), pytest.raises(IndexBusy, match="another indexer"):
        index_into([source], tmp_path / "index")


def test_ids_are_stable_across_runs_for_files_without_ids(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", [{"title": "No id", "body": "Text."}])
    index_into([source], tmp_path / "one")
    index_into([source], tmp_path / "two")
    assert search_all(tmp_path / "one") == search_all(tmp_path / "two")


def test_parallel_workers_give_the_same_entities(tmp_path: Path) -> None:
    records = [
        {
            "id": f"p{n}",
            "title": f"Talks {n}",
            "body": f"Dmitry Peskov met officials in Tokyo on day {n}. Peskov said Japan agreed.",
        }
        for n in range(40)
    ]
    source = write_jsonl(tmp_path / "wire.jsonl", records)
    index_into([source], tmp_path / "one", workers=1)
    index_into([source], tmp_path / "two", workers=2)
    one, two = SearchIndex(tmp_path / "one"), SearchIndex(tmp_path / "two")
    for index in (one, two):
        article = get_article(index, "p7")
        assert article.entities.countries == ["Japan"]
        assert article.entities.actors == ["Dmitry Peskov"]
        index.close()


def test_rebuild_copies_unchanged_articles_with_their_entities(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "wire.jsonl", ARTICLES)
    index_dir = tmp_path / "index"
    index_into([source], index_dir)
    changed = [dict(ARTICLES[0], body="Talks in Tokyo ended."), *ARTICLES[1:]]
    write_jsonl(source, [*changed, {"id": "a4", "title": "New", "body": "Lima port reopens."}])
    report = index_into([source], index_dir, rebuild=True)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 2)
    index = SearchIndex(index_dir)
    assert get_article(index, "a2").entities.countries == ["Kenya"]  # copied, not lost
    assert set(get_article(index, "a1").entities.countries) == {"Norway", "Japan"}  # re-extracted
    assert get_article(index, "a4").entities.countries == ["Peru"]
    assert run_search(index, SearchRequest()).total == 4
    index.close()
