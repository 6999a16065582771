"""The command line through click's CliRunner, on real files and indexes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from search.cli import cli
from tests.conftest import SAMPLE_STORY, STORY_DATE, STORY_WORD


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_index_then_search_json_then_stats(tmp_path: Path) -> None:
    index_dir = str(tmp_path / "index")
    first = run("index", str(SAMPLE_STORY), "--index-dir", index_dir, "--workers", "1")
    assert first.exit_code == 0
    assert "1 added, 0 updated, 0 unchanged, 0 failed" in first.output
    again = run("index", str(SAMPLE_STORY), "--index-dir", index_dir)
    assert "0 added, 0 updated, 1 unchanged, 0 failed" in again.output
    found = run("search", STORY_WORD, "--json", "--index-dir", index_dir)
    data = json.loads(found.output)
    assert data["total"] == 1 and data["hits"][0]["date"] == STORY_DATE
    table = run("search", STORY_WORD, "--country", "Uganda", "--index-dir", index_dir)
    assert "1 articles" in table.output and STORY_DATE in table.output
    stats = json.loads(run("stats", "--json", "--index-dir", index_dir).output)
    assert stats["articles"] == 1 and stats["first_date"] == STORY_DATE


def test_environment_variable_names_the_index(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_INDEX_DIR", str(tmp_path / "env-index"))
    assert run("index", str(SAMPLE_STORY), "--workers", "1").exit_code == 0
    assert (tmp_path / "env-index" / "current").is_symlink()


def test_failed_records_are_listed_with_locators(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "ok", "title": "Fine", "body": "Text."}\n{broken\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["index", str(source), "--index-dir", str(tmp_path / "i")])
    assert result.exit_code == 0
    assert "1 added" in result.output and "1 failed" in result.output
    assert f"failed: {source}" in result.output and "line 2" in result.output


def test_a_missing_index_is_one_line_that_says_how_to_make_one(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["search", "x", "--index-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1
    assert missing.output.strip().count("\n") == 0 and "newsarchive index" in missing.output


def test_a_bad_query_is_one_line_that_says_what_to_change(tmp_path: Path) -> None:
    index_dir = str(tmp_path / "index")
    assert run("index", str(SAMPLE_STORY), "--index-dir", index_dir).exit_code == 0
    bad = CliRunner().invoke(cli, ["search", '"open', "--index-dir", index_dir])
    assert bad.exit_code == 1
    assert bad.output == (
        "Error: QUERY: the query has an unmatched quote"
        ' ("); close the phrase or remove the quote.\n'
    )
    for option in ("--since", "--until"):
        dated = CliRunner().invoke(cli, ["search", "x", option, "soon", "--index-dir", index_dir])
        assert dated.exit_code == 1
        assert dated.output.startswith(f"Error: {option}: cannot read 'soon' as a date")
        assert dated.output.count("\n") == 1
