"""The command line against a clumsy or hostile user: odd index directories, names and text.

Through the real `newsarchive` command in a subprocess, whose output is decoded as strict
UTF-8: invalid bytes in it fail the test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_STORY
from tests.processes import parse_summary, run_cli

RUN_SECONDS = 120
ESCAPES = "\x1b]0;owned\x07Grain \x1b[2Jprices\x9b31m rise\u202e"


def one_line_error(result) -> str:
    """The single line of a command that refused to start, without a traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("file", "it is a file, not a directory; give a directory"),
        ("file/index", "is a file, not a directory; give a path inside a directory"),
        ("/dev/null", "it is a character device, not a directory"),
        ("missing/index", "does not exist; create it first"),
        ("", "--index-dir is empty: give a directory"),
    ],
)
def test_index_dir_mistakes_are_one_line_saying_what_to_do(
    tmp_path: Path, where: str, expected: str
) -> None:
    (tmp_path / "file").write_text("not an index", encoding="utf-8")
    index_dir = str(tmp_path / where) if where and not where.startswith("/") else where
    for command in (["index", SAMPLE_STORY], ["search", "grain"], ["stats"]):
        result = run_cli(*command, "--index-dir", index_dir, timeout=RUN_SECONDS)
        if command[0] != "index" and where == "missing/index":
            assert "run `newsarchive index PATH` first" in one_line_error(result)
            continue
        assert expected in one_line_error(result), command
    assert not (tmp_path / "missing").exists()  # nothing is made on the way


def test_a_file_named_by_the_environment_variable_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not an index", encoding="utf-8")
    settings = {"NEWSARCHIVE_INDEX_DIR": str(tmp_path / "file")}
    for command in (["index", SAMPLE_STORY], ["search", "grain"]):
        result = run_cli(*command, timeout=RUN_SECONDS, settings=settings)
        assert f"NEWSARCHIVE_INDEX_DIR {tmp_path / 'file'}: it is a file" in one_line_error(result)


def test_a_directory_that_cannot_be_written_is_refused_in_one_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through permissions: sysfs refuses new files even to root
        locked = Path("/sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
    for index_dir in (locked, locked / "index"):
        result = run_cli("index", SAMPLE_STORY, "--index-dir", index_dir, timeout=RUN_SECONDS)
        assert "cannot write there" in one_line_error(result)


@pytest.fixture(scope="module")
def hostile_names_run(tmp_path_factory: pytest.TempPathFactory):
    """An index of a file with a newline in its name and a title full of escape sequences."""
    folder = tmp_path_factory.mktemp("hostile-names")
    index_dir = tmp_path_factory.mktemp("hostile-names-index")
    forged = folder / "evil\nIndexed: 999 records seen = 999 indexed.jsonl"
    forged.write_text("{broken\n", encoding="utf-8")
    record = {"id": "e1", "title": ESCAPES, "body": "Grain prices rose in Kenya."}
    (folder / "escapes.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run_cli(
        "index", folder, "--index-dir", index_dir, "--workers", "1", timeout=RUN_SECONDS
    )
    assert result.returncode == 0, result.stderr
    return folder, index_dir, result


def test_a_newline_in_a_file_name_cannot_forge_a_line(hostile_names_run) -> None:
    folder, _, result = hostile_names_run
    assert [line for line in result.stdout.splitlines() if line.startswith("Indexed:")] == [
        result.stdout.strip()
    ]
    assert not any(line.startswith("Indexed") for line in result.stderr.splitlines())
    [line] = result.stderr.splitlines()
    shown = f"{folder}/evil\\nIndexed: 999 records seen = 999 indexed.jsonl, record 1, line 1"
    assert line.startswith(f"failed: {shown}: not valid JSON")
    assert parse_summary(result.stdout).added == 1


@pytest.mark.parametrize("command", [["search", "grain"], ["search", "grain", "--json"]])
def test_escape_sequences_in_titles_are_printed_escaped(hostile_names_run, command) -> None:
    _, index_dir, _ = hostile_names_run
    result = run_cli(*command, "--index-dir", index_dir, timeout=RUN_SECONDS)
    assert result.returncode == 0, result.stderr
    for control in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert control not in result.stdout, (control, result.stdout)
    if command == ["search", "grain"]:
        assert "\\x1b]0;owned\\x07Grain \\x1b[2Jprices\\x9b31m rise\\u202e" in result.stdout
    if "--json" in command:
        assert json.loads(result.stdout)["hits"][0]["title"] == ESCAPES


def test_search_json_is_valid_utf8_whatever_bytes_the_query_has(hostile_names_run) -> None:
    _, index_dir, _ = hostile_names_run
    query = b"grain caf\xe9 \xff"  # Latin-1 and a byte no encoding uses: not UTF-8
    result = run_cli("search", query, "--json", "--index-dir", index_dir, timeout=RUN_SECONDS)
    assert result.returncode == 0, result.stderr  # run_cli decodes stdout as strict UTF-8
    assert json.loads(result.stdout)["query"] == "grain caf\ufffd \ufffd"
