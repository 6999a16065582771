"""Hostile paths: link loops, FIFOs, devices, dangling links, names not in UTF-8, huge records.

Each case is a real file system object in a temporary directory, indexed through the real
`newsarchive index` command in a subprocess with a timeout, so that a regression that
hangs (a FIFO opened for reading waits for a writer forever) fails instead of blocking.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from search.ingest import read_paths
from search.models import RawArticle, RecordError
from search.web import create_app
from tests.processes import failure_lines, parse_summary, run_cli

RUN_SECONDS = 120  # far more than these small runs need, far less than forever
GOOD = {"id": "good1", "title": "Harbour reopens", "body": "The harbour reopened on Monday."}


def write_good(folder: Path, name: str = "good.jsonl") -> Path:
    """A file holding one readable article, so that a run is seen to go on past the bad paths."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    return path


def index(tmp_path: Path, *paths: str | bytes | Path, **settings: str):
    """`newsarchive index PATHS` into tmp_path/index; fails the test on a crash or a hang."""
    result = run_cli(
        "index",
        *paths,
        "--index-dir",
        tmp_path / "index",
        "--workers",
        "1",
        timeout=RUN_SECONDS,
        settings=settings,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    return result


def reasons(result) -> dict[str, str]:
    """Each failed path's name and its reason."""
    return {
        Path(where.split(", ")[0]).name: reason for where, reason in failure_lines(result.stderr)
    }


def test_symlink_loops_are_skipped_with_their_reason_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    write_good(folder)
    (folder / "ping.jsonl").symlink_to("pong.jsonl")
    (folder / "pong.jsonl").symlink_to("ping.jsonl")
    (folder / "up").symlink_to("..")  # a folder linking back up the tree
    result = index(tmp_path, folder, folder / "ping.jsonl")
    assert parse_summary(result.stdout).added == 1
    found = failure_lines(result.stderr)
    loops = [where for where, reason in found if "symbolic link loop" in reason]
    assert sorted(Path(where).name for where in loops) == ["ping.jsonl", "ping.jsonl", "pong.jsonl"]
    assert "not followed" in reasons(result)["up"]


DEPTH = 1_500  # deeper than Python's recursion limit


def test_a_tree_thousands_of_levels_deep_is_walked(tmp_path: Path) -> None:
    here = os.getcwd()
    try:
        # Made and removed level by level from inside: os.makedirs and shutil.rmtree recurse.
        os.chdir(tmp_path)
        for _ in range(DEPTH):
            os.mkdir("d")
            os.chdir("d")
        write_good(Path("."))
        os.chdir(tmp_path)
        [article] = read_paths([tmp_path / "d"])
        assert isinstance(article, RawArticle) and article.source_id == "good1"
    finally:
        remove_deep_tree(tmp_path)
        os.chdir(here)


def remove_deep_tree(top: Path) -> None:
    """Remove the chain of directories named d under top, and the file at its bottom."""
    os.chdir(top)
    depth = 0
    while os.path.isdir("d"):
        os.chdir("d")
        depth += 1
    for name in os.listdir("."):
        os.unlink(name)
    for _ in range(depth):
        os.chdir("..")
        os.rmdir("d")


def test_fifos_devices_and_dangling_links_are_reported_never_opened(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    write_good(folder)
    os.mkfifo(folder / "pipe.jsonl")
    os.mkfifo(tmp_path / "given-pipe.txt")
    (folder / "zeros.txt").symlink_to("/dev/zero")
    (folder / "gone.txt").symlink_to("deleted.txt")
    result = index(tmp_path, folder, tmp_path / "given-pipe.txt", "/dev/zero", "/dev/null")
    assert parse_summary(result.stdout).added == 1
    found = reasons(result)
    assert "named pipe (FIFO)" in found["pipe.jsonl"]
    assert "named pipe (FIFO)" in found["given-pipe.txt"]
    assert "character device" in found["zeros.txt"] and "character device" in found["zero"]
    assert "character device" in found["null"]
    assert "dangling symbolic link to 'deleted.txt'" in found["gone.txt"]
    assert parse_summary(result.stdout).failed == 6


def test_names_that_are_not_utf8_are_indexed_shown_and_served(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    latin1 = os.fsencode(folder) + b"/caf\xe9.jsonl"  # "café" in Latin-1: not UTF-8
    with open(latin1, "w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "c1", "title": "Coffee", "body": "Coffee prices rose."}) + "\n")
        out.write(json.dumps({"title": "Tea", "body": "Tea prices fell."}) + "\n")
        out.write("{broken\n")
    no_ids = os.fsencode(folder) + b"/th\xe9.txt"
    with open(no_ids, "w", encoding="utf-8") as out:
        out.write(" date 2020-01-02\n\nCocoa prices held.\n")
    result = index(tmp_path, latin1, no_ids)  # given as the bytes the OS has
    assert parse_summary(result.stdout).added == 3
    assert f"failed: {folder}/caf\ufffd.jsonl, record 3, line 3: not valid JSON" in result.stderr
    again = index(tmp_path, folder)  # found in a folder: the same files, the same articles
    assert (parse_summary(again.stdout).added, parse_summary(again.stdout).unchanged) == (0, 3)
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    try:
        page = app.test_client().get("/article/c1")
        assert page.status_code == 200
        assert "caf\ufffd.jsonl" in page.get_data(as_text=True)
        located = app.test_client().get("/api/article/c1").get_json()["located_at"]
        assert located.endswith("caf\ufffd.jsonl, record 1, line 1")
    finally:
        app.extensions["backend"].close()


def test_lone_surrogates_in_records_are_replaced_not_fatal(tmp_path: Path) -> None:
    source = tmp_path / "escapes.jsonl"
    source.write_text(
        '{"title": "Bad \\ud800 title", "body": "Grain prices rose."}\n'
        '{"id": "s2", "title": "Two", "body": "Oil \\udce9 fell.", "note": "\\udfff"}\n',
        encoding="utf-8",
    )
    result = index(tmp_path, source)
    assert parse_summary(result.stdout).added == 2
    found = run_cli("search", "oil", "--json", "--index-dir", tmp_path / "index", timeout=60)
    assert found.returncode == 0, found.stderr
    [hit] = json.loads(found.stdout)["hits"]
    assert hit["title"] == "Two" and "</mark> \ufffd fell." in hit["snippet"]


def test_articles_over_the_size_cap_are_failed_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    write_good(folder)
    words = "grain " * 200_000  # 1.2 MB: over a cap of 1 MB
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as out:
        for record in (
            {"id": "w1", "title": "Small"},
            {"id": "w2", "body": words},
            {"id": "w3", "title": "After"},
        ):
            out.write(json.dumps(record) + "\n")
    (folder / "long.txt").write_text(" date 2020-01-02\n\n" + words, encoding="utf-8")
    (folder / "rows.csv").write_text(
        f"id,title,body\nr1,Row,{words}\nr2,Fine,Short.\n", encoding="utf-8"
    )
    result = index(tmp_path, folder, NEWSARCHIVE_MAX_ARTICLE_MB="1")
    summary = parse_summary(result.stdout)
    assert (summary.added, summary.failed) == (4, 3)
    found = failure_lines(result.stderr)
    assert all("article too large" in reason and "1 MB limit" in reason for _, reason in found)
    assert sorted(where.split("/")[-1] for where, _ in found) == [
        "long.txt",
        "rows.csv, record 1, line 2",
        "wire.jsonl, record 2, line 2",
    ]


def test_a_huge_json_line_is_skipped_while_streaming_even_gzipped(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "title": "Before"}),
        json.dumps({"id": "b", "body": "x" * 3_000_000}),
    ]
    lines += [json.dumps({"id": "c", "title": "After"}), "{broken"]
    path = tmp_path / "wire.jsonl.gz"
    path.write_bytes(gzip.compress(("\r\n".join(lines) + "\n").encode()))
    records = list(read_paths([path], max_article_mb=2))
    assert [r.source_id for r in records if isinstance(r, RawArticle)] == ["a", "c"]
    errors = [r for r in records if isinstance(r, RecordError)]
    assert [(e.locator.record, e.locator.line) for e in errors] == [(2, 2), (4, 4)]
    assert "article too large" in errors[0].reason and "not valid JSON" in errors[1].reason


def test_a_huge_csv_row_is_skipped_while_streaming_and_quoted_lines_still_join(
    tmp_path: Path,
) -> None:
    rows = [
        "id,title,body",
        'a,Before,"Two lines\nof body"',
        "b,Huge," + "x" * 3_000_000,
        "c,After,Short.",
    ]
    path = tmp_path / "rows.csv.gz"
    path.write_bytes(gzip.compress(("\r\n".join(rows) + "\r\n").encode()))
    records = list(read_paths([path], max_article_mb=2))
    articles = [r for r in records if isinstance(r, RawArticle)]
    assert [a.source_id for a in articles] == ["a", "c"]
    assert articles[0].body == "Two lines\nof body"
    [error] = [r for r in records if isinstance(r, RecordError)]
    assert (error.locator.record, error.locator.line) == (2, 4)
    assert "article too large: this line is over the 2 MB limit" in error.reason


@pytest.mark.parametrize("value", ["0", "many"])
def test_a_bad_size_cap_stops_the_run_naming_the_variable(tmp_path: Path, value: str) -> None:
    result = run_cli(
        "index",
        write_good(tmp_path),
        "--index-dir",
        tmp_path / "index",
        timeout=RUN_SECONDS,
        settings={"NEWSARCHIVE_MAX_ARTICLE_MB": value},
    )
    assert result.returncode == 1
    assert "NEWSARCHIVE_MAX_ARTICLE_MB must be a whole number" in result.stderr
