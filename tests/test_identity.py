"""Article ids: a moved or renamed archive is found unchanged; an edit replaces its article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from search.backends.whoosh.query import SearchIndex, run_search
from search.ingest import read_paths
from search.models import IndexReport
from search.params import make_search_request
from tests.conftest import SAMPLE_STORY, SAMPLES, STORY_WORD
from tests.indexing import index_into

SAMPLE_RECORDS = len(list(read_paths([SAMPLES])))


def total(index_dir: Path, query: str = "") -> int:
    """How many articles of the index match the query."""
    index = SearchIndex(index_dir)
    try:
        return run_search(index, make_search_request(query, per_page=1)).total
    finally:
        index.close()


def counts(report: IndexReport) -> tuple[int, int, int, int, int]:
    return report.added, report.updated, report.unchanged, report.removed, report.failed


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_copy_of_the_samples_elsewhere_is_found_unchanged(tmp_path: Path) -> None:
    index_into([SAMPLES], tmp_path / "index")
    copy = shutil.copytree(SAMPLES, tmp_path / "elsewhere" / "archive")
    again = index_into([copy], tmp_path / "index")
    assert counts(again) == (0, 0, SAMPLE_RECORDS, 0, 0)
    assert total(tmp_path / "index") == SAMPLE_RECORDS


def test_a_moved_archive_with_a_renamed_file_adds_nothing(tmp_path: Path) -> None:
    archive = shutil.copytree(SAMPLES, tmp_path / "archive")
    index_into([archive], tmp_path / "index")
    moved = archive.rename(tmp_path / "moved")
    (moved / "text" / SAMPLE_STORY.name).rename(moved / "text" / "renamed.txt")
    again = index_into([moved], tmp_path / "index")
    assert counts(again) == (0, 0, SAMPLE_RECORDS, 0, 0)
    assert total(tmp_path / "index") == SAMPLE_RECORDS


def test_different_folders_keep_their_different_articles(tmp_path: Path) -> None:
    for folder, place in (("one", "Lima"), ("two", "Quito")):
        (tmp_path / folder).mkdir()
        text = f" date 2021-05-0{len(place)} Port workers in {place} ended their strike."
        (tmp_path / folder / "001.txt").write_text(text, encoding="utf-8")
        write_jsonl(tmp_path / folder / "notes.jsonl", [{"title": f"Note on {place}", "body": "."}])
    index_into([tmp_path / "one"], tmp_path / "index")
    index_into([tmp_path / "two"], tmp_path / "index")
    assert total(tmp_path / "index") == 4
    assert total(tmp_path / "index", "Lima") == total(tmp_path / "index", "Quito") == 2


def test_an_edited_text_replaces_its_old_article(tmp_path: Path) -> None:
    story = tmp_path / "archive" / "story.txt"
    story.parent.mkdir()
    shutil.copy(SAMPLE_STORY, story)
    index_into([story.parent], tmp_path / "index")
    story.write_text(story.read_text(encoding="utf-8").replace("ugly", "pretty"), "utf-8")
    again = index_into([story.parent], tmp_path / "index")
    assert counts(again) == (0, 1, 0, 0, 0)
    assert total(tmp_path / "index") == 1
    assert total(tmp_path / "index", STORY_WORD) == 0 and total(tmp_path / "index", "pretty") == 1
    story.write_text(story.read_text(encoding="utf-8").replace("pretty", "plain"), "utf-8")
    rebuilt = index_into([story.parent], tmp_path / "index", rebuild=True)
    assert counts(rebuilt) == (0, 1, 0, 0, 0)
    assert total(tmp_path / "index") == total(tmp_path / "index", "plain") == 1


def test_an_edit_of_one_copy_leaves_the_other_copy_indexed(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLE_STORY, tmp_path / folder / "story.txt")
        index_into([tmp_path / folder], tmp_path / "index")
    edited = tmp_path / "b" / "story.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("ugly", "pretty"), "utf-8")
    again = index_into([tmp_path / "b"], tmp_path / "index")
    assert counts(again) == (1, 0, 0, 0, 0)  # a/story.txt still holds the old text
    assert total(tmp_path / "index", STORY_WORD) == total(tmp_path / "index", "pretty") == 1


def test_identical_records_in_one_file_are_two_articles(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "twice.jsonl", [{"title": "Same", "body": "Same text."}] * 2)
    first = index_into([source], tmp_path / "index")
    assert counts(first) == (2, 0, 0, 0, 0)
    assert counts(index_into([source], tmp_path / "index")) == (0, 0, 2, 0, 0)
    assert total(tmp_path / "index") == 2


def test_the_same_text_in_two_files_of_one_run_is_one_article(tmp_path: Path) -> None:
    shutil.copy(SAMPLE_STORY, tmp_path / "first.txt")
    shutil.copy(SAMPLE_STORY, tmp_path / "second.txt")
    report = index_into([tmp_path / "first.txt", tmp_path / "second.txt"], tmp_path / "index")
    assert counts(report) == (1, 0, 0, 0, 1)
    assert str(report.failures[0]) == (
        f"{tmp_path / 'second.txt'}: the same title, date and text as {tmp_path / 'first.txt'}:"
        " indexed once, from there"
    )


def test_a_record_gone_from_its_file_is_removed(tmp_path: Path) -> None:
    rows = [{"title": f"Ferry {n}", "body": f"Ferry {n} sails."} for n in range(3)]
    source = write_jsonl(tmp_path / "ferries.jsonl", rows)
    index_into([source], tmp_path / "index")
    write_jsonl(source, [rows[0], {"title": "Ferry 1", "body": "Ferry 1 is late."}])
    again = index_into([source], tmp_path / "index")
    assert counts(again) == (0, 1, 1, 1, 0)
    assert total(tmp_path / "index") == 2 and total(tmp_path / "index", "late") == 1


def test_a_file_with_a_failed_record_keeps_its_old_articles(tmp_path: Path) -> None:
    rows = [{"title": f"Ferry {n}", "body": f"Ferry {n} sails."} for n in range(2)]
    source = write_jsonl(tmp_path / "ferries.jsonl", rows)
    index_into([source], tmp_path / "index")
    source.write_text(json.dumps(rows[0]) + "\n{broken\n", encoding="utf-8")
    again = index_into([source], tmp_path / "index")
    assert counts(again) == (0, 0, 1, 0, 1)
    assert total(tmp_path / "index") == 2  # nothing is removed on the word of a broken file
