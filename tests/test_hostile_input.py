"""Hostile input: every record of a messy archive is indexed or reported, none lost.

The committed corpus in tests/hostile/ holds small broken files of every kind; the big
ones (a 50 MB article, 10,000 tiny files, a 100,000-line JSON Lines file) are generated
here. Each run goes through the real `newsarchive index` command in a subprocess.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex, get_article
from search.backends.whoosh.query import run_search
from search.ingest import read_paths
from search.models import RecordError, SearchRequest
from tests.processes import failure_lines, parse_summary, run_cli

HOSTILE = Path(__file__).resolve().parent / "hostile"
# Per file: (records indexed, records reported as failed). Together they are every record.
EXPECTED = {
    "archive.jsonl": (0, 1),  # a zip archive's bytes
    "blank.csv": (0, 1),
    "broken-array.json": (1, 1),  # the element after the break is reported, the first kept
    "broken.jsonl": (5, 10),  # cut lines, non-objects, wrong types, a duplicate id, 100k '['
    "cp1252.jsonl": (1, 0),
    "dates.jsonl": (12, 0),  # every odd date indexed, undated with a note where unreadable
    "empty.jsonl": (0, 1),
    "empty.txt": (0, 1),
    "header-only.txt": (0, 1),
    "image.txt": (0, 1),  # a PNG with a text extension
    "invalid-utf8.txt": (1, 0),
    "latin1.csv": (1, 0),
    "markup.jsonl": (3, 0),
    "not-gzip.csv.gz": (0, 1),
    "notes.md": (0, 1),
    "ragged.csv": (2, 3),  # short, long and unterminated rows; quoted newlines kept
    "truncated.sgm": (2, 3),  # no NEWID, no <TEXT>, cut off mid-record
    "utf16.txt": (1, 0),
    "utf16be.jsonl": (1, 0),
}
UNDATED_IDS = {"d2", "d3", "d4", "d8", "d9", "d11", "d12"}
ALL_ARTICLES = 100_000


def indexed_by_file(index_dir: Path) -> dict[str, list[str]]:
    """The ids of the indexed articles, grouped by the name of the file they came from."""
    index = SearchIndex(index_dir)
    try:
        page = run_search(index, SearchRequest(sort="oldest", per_page=ALL_ARTICLES))
        by_file: dict[str, list[str]] = {}
        for hit in page.hits:
            name = Path(get_article(index, hit.id).locator.path).name
            by_file.setdefault(name, []).append(hit.id)
        return by_file
    finally:
        index.close()


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    """`newsarchive index tests/hostile` once: its output and the index it built."""
    index_dir = tmp_path_factory.mktemp("hostile-index")
    result = run_cli("index", HOSTILE, "--index-dir", index_dir, "--workers", "1")
    return result, index_dir


def test_the_run_completes_and_accounts_for_every_record(hostile_run) -> None:
    result, index_dir = hostile_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    summary = parse_summary(result.stdout)
    expected_indexed = sum(indexed for indexed, _ in EXPECTED.values())
    expected_failed = sum(failed for _, failed in EXPECTED.values())
    assert (summary.indexed, summary.failed) == (expected_indexed, expected_failed)
    assert summary.seen == summary.indexed + summary.failed
    assert summary.indexed == summary.added + summary.updated + summary.unchanged


def test_each_file_is_indexed_or_reported_with_file_record_and_reason(hostile_run) -> None:
    result, index_dir = hostile_run
    failures = failure_lines(result.stderr)
    assert len(failures) == parse_summary(result.stdout).failed
    failed = Counter(Path(where.split(", ")[0]).name for where, _ in failures)
    indexed = indexed_by_file(index_dir)
    for name, (want_indexed, want_failed) in EXPECTED.items():
        assert (len(indexed.get(name, [])), failed[name]) == (want_indexed, want_failed), name
    for where, reason in failures:
        assert Path(where.split(", ")[0]).is_file() and reason.strip()
        name = Path(where.split(", ")[0]).name
        if EXPECTED[name][0] + EXPECTED[name][1] > 1:  # a file of many records names the record
            assert ", record " in where, where


def test_legacy_encodings_are_decoded_not_dropped(hostile_run) -> None:
    _, index_dir = hostile_run
    index = SearchIndex(index_dir)
    try:
        assert get_article(index, "w1").title == "“Smart quotes” – and a € sign"
        assert "señor Muñoz" in get_article(index, "l1").body
        assert "Müller met officials in Köln" in get_article(index, "u16").body
        texts = {
            name: get_article(index, ids[0]).body
            for name, ids in indexed_by_file(index_dir).items()
            if name in ("invalid-utf8.txt", "utf16.txt")
        }
        assert "Zürich" in texts["invalid-utf8.txt"]
        assert "Кремль said talks in Москва" in texts["utf16.txt"]
    finally:
        index.close()


def test_odd_dates_are_kept_undated_with_a_note_never_guessed(hostile_run) -> None:
    result, index_dir = hostile_run
    index = SearchIndex(index_dir)
    try:
        for article_id in UNDATED_IDS:
            article = get_article(index, article_id)
            assert article.date.value is None and article.date.reason, article_id
            assert f"dates.jsonl, record {article_id[1:]}," in result.stderr
        assert get_article(index, "d5").date.value.isoformat() == "2022-11-09T04:30:00+00:00"
        assert get_article(index, "d6").date.value.isoformat() == "2022-11-09T15:00:00+00:00"
        assert get_article(index, "d10").date.precision == "month"
        assert get_article(index, "900001").date.value.date().isoformat() == "1987-03-31"
    finally:
        index.close()


def test_markup_in_records_is_stored_as_text(hostile_run) -> None:
    _, index_dir = hostile_run
    index = SearchIndex(index_dir)
    try:
        article = get_article(index, "x1")
        assert article.title == "<script>alert('title')</script> Markup title"
        assert "<script>alert('body')</script>" in article.body
    finally:
        index.close()


def test_a_second_run_reports_the_same_failures_and_changes_nothing(hostile_run) -> None:
    first, index_dir = hostile_run
    again = run_cli("index", HOSTILE, "--index-dir", index_dir, "--workers", "1")
    assert again.returncode == 0, again.stderr
    summary = parse_summary(again.stdout)
    assert (summary.added, summary.updated) == (0, 0)
    assert summary.unchanged == parse_summary(first.stdout).indexed
    assert failure_lines(again.stderr) == failure_lines(first.stderr)


def write_numbered_lines(path: Path, count: int, broken_every: int) -> int:
    """A JSON Lines file of tiny records, every `broken_every`th line cut short; the bad count."""
    bad = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, count + 1):
            if number % broken_every == 0:
                out.write('{"id": "cut\n')
                bad += 1
            else:
                out.write(json.dumps({"id": f"n{number}", "title": f"Note {number}"}) + "\n")
    return bad


def test_a_100000_line_file_is_read_with_every_line_accounted_for(tmp_path: Path) -> None:
    # Reading alone: indexing 100,000 records takes minutes (see `make stress`).
    bad = write_numbered_lines(tmp_path / "wire.jsonl", ALL_ARTICLES, broken_every=997)
    records = list(read_paths([tmp_path / "wire.jsonl"]))
    errors = [r for r in records if isinstance(r, RecordError)]
    assert len(records) == ALL_ARTICLES and len(errors) == bad
    assert all(e.locator.line == e.locator.record for e in errors)
    assert errors[0].locator.line == 997


@pytest.mark.slow
def test_a_jsonl_file_with_broken_lines_is_indexed_line_for_line(tmp_path: Path) -> None:
    count = 2_000
    bad = write_numbered_lines(tmp_path / "wire.jsonl", count, broken_every=97)
    result = run_cli(
        "index", tmp_path / "wire.jsonl", "--index-dir", tmp_path / "index", "--workers", "2"
    )
    assert result.returncode == 0, result.stderr
    summary = parse_summary(result.stdout)
    assert (summary.seen, summary.added, summary.failed) == (count, count - bad, bad)
    assert len(failure_lines(result.stderr)) == bad


@pytest.mark.slow
def test_ten_thousand_tiny_files_are_all_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    for number in range(10_000):
        sub = folder / f"{number // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{number:05d}.txt").write_text(f" date 2020-01-01\n\nNote {number}.\n")
    (folder / "00" / "broken.txt").write_bytes(b"")
    result = run_cli("index", folder, "--index-dir", tmp_path / "index", "--workers", "2")
    assert result.returncode == 0, result.stderr
    summary = parse_summary(result.stdout)
    assert (summary.seen, summary.added, summary.failed) == (10_001, 10_000, 1)


@pytest.mark.slow
def test_a_50_megabyte_article_is_indexed_and_searchable(tmp_path: Path) -> None:
    paragraph = "The harbour council met the grain minister about rail and port budgets. " * 20
    with (tmp_path / "huge.txt").open("w", encoding="utf-8") as out:
        out.write(" date 2021-02-03\n\nA very long report on the harbour.\n\n")
        for _ in range(50_000_000 // len(paragraph) + 1):
            out.write(paragraph + "\n\n")
    assert (tmp_path / "huge.txt").stat().st_size > 50_000_000
    # Over the default size cap (tests/test_hostile_paths.py): allowed here by the setting.
    result = run_cli(
        "index",
        tmp_path / "huge.txt",
        "--index-dir",
        tmp_path / "index",
        settings={"NEWSARCHIVE_MAX_ARTICLE_MB": "60"},
    )
    assert result.returncode == 0, result.stderr
    assert parse_summary(result.stdout).added == 1
    found = run_cli("search", "harbour", "--index-dir", tmp_path / "index", "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] == 1
