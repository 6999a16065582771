"""The backend seam as the front ends use it: backends opened by URL, `--backend` and
NEWSARCHIVE_BACKEND on every command, worker processes opening their own, and a partial
answer (shards that did not answer) rendered wherever a search is shown."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import render_template, request

from search.backend import open_backend
from search.cli import cli
from search.errors import SettingError
from search.layout import writer_lock
from search.models import SearchRequest
from search.render import page_to_json
from search.terminal import print_page
from search.web import create_app, open_worker_backend
from search.web.context import search_context
from tests.conftest import SAMPLE_STORY, STORY_WORD
from tests.indexing import index_into
from tests.processes import running_server

COMMANDS = ("index", "search", "export", "serve", "stats")
SHARDS = ["shard-2", "<b>shard-3</b>"]  # a name with markup: shown escaped


def run(*args: str, **environment: str):
    return CliRunner(env=environment or None).invoke(cli, list(args))


def test_a_whoosh_url_names_the_index_directory(tmp_path: Path) -> None:
    named = open_backend(f"whoosh:{tmp_path / 'named'}", tmp_path / "state")
    default = open_backend("whoosh:", tmp_path / "state")
    try:
        assert named.state_dir == tmp_path / "named" and named.url.endswith("named")
        assert default.state_dir == tmp_path / "state"
    finally:
        named.close()
        default.close()


@pytest.mark.parametrize("url", ["", "index_data", "elastic://localhost:9200/news", "whoosh"])
def test_an_unknown_url_is_a_setting_error_naming_it(url: str, tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="whoosh:PATH or manticore://HOST:PORT/INDEX"):
        open_backend(url, tmp_path)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_backend(command: str) -> None:
    assert "--backend URL" in run(command, "--help").output


def test_index_search_export_and_stats_through_a_whoosh_url(tmp_path: Path) -> None:
    url = f"whoosh:{tmp_path / 'archive'}"
    indexed = run("index", str(SAMPLE_STORY), "--backend", url, "--workers", "1")
    assert indexed.exit_code == 0, indexed.output
    assert (tmp_path / "archive" / "current").is_symlink()
    found = json.loads(run("search", STORY_WORD, "--json", "--backend", url).output)
    assert found["total"] == 1 and found["partial"] is False and found["missing_shards"] == []
    exported = run("export", STORY_WORD, "--format", "jsonl", "--backend", url)
    assert json.loads(exported.output)["id"] == found["hits"][0]["id"]
    stats = json.loads(run("stats", "--json", "--backend", url).output)
    assert stats["articles"] == 1
    # The index directory was neither used nor made: the URL's path holds everything.
    assert not (tmp_path / "index_data").exists()


def test_the_environment_variable_names_the_backend(tmp_path: Path) -> None:
    url = f"whoosh:{tmp_path / 'from-env'}"
    indexed = run("index", str(SAMPLE_STORY), "--workers", "1", NEWSARCHIVE_BACKEND=url)
    assert indexed.exit_code == 0, indexed.output
    found = run("search", STORY_WORD, "--json", NEWSARCHIVE_BACKEND=url)
    assert json.loads(found.output)["total"] == 1
    # --backend wins over the variable.
    other = f"whoosh:{tmp_path / 'other'}"
    missing = run("search", STORY_WORD, "--backend", other, NEWSARCHIVE_BACKEND=url)
    assert missing.exit_code == 1 and "no index in" in missing.output


@pytest.mark.parametrize(
    ("arguments", "environment", "named"),
    [
        (["--backend", "elastic://localhost:9200/news"], {}, "'elastic://localhost:9200/news'"),
        (["--backend", ""], {}, "--backend is empty"),
        ([], {"NEWSARCHIVE_BACKEND": "solr:x"}, "NEWSARCHIVE_BACKEND"),
        (["--backend", "whoosh:/dev/null/index"], {}, "--backend /dev/null/index"),
    ],
)
def test_a_bad_backend_is_one_line_naming_it(
    arguments: list[str], environment: dict[str, str], named: str
) -> None:
    for command in (["search", "x"], ["stats"], ["index", str(SAMPLE_STORY)], ["serve"]):
        result = run(*command, *arguments, **environment)
        assert result.exit_code == 1, (command, result.output)
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
        assert named in result.output and "Traceback" not in result.output


def test_the_app_serves_the_backend_it_is_given(samples_index: Path) -> None:
    backend = open_backend(f"whoosh:{samples_index}", samples_index)
    try:
        app = create_app({"TESTING": True, "INDEX_DIR": "/nonexistent"}, backend=backend)
        assert app.extensions["backend"] is backend
        body = app.test_client().get("/api/search", query_string={"q": STORY_WORD}).get_json()
        assert body["total"] == 1
        open_worker_backend(app)  # a backend the caller gave is the caller's: kept
        assert app.extensions["backend"] is backend
    finally:
        backend.close()


def test_the_app_opens_the_backend_its_settings_name(samples_index: Path, tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none"),
                      "BACKEND": f"whoosh:{samples_index}"})  # fmt: skip
    parent = app.extensions["backend"]
    try:
        assert app.test_client().get("/api/search").get_json()["total"] > 0
        open_worker_backend(app)  # as each `serve --workers` process does after the fork
        worker = app.extensions["backend"]
        assert worker is not parent and worker.url == parent.url
        assert app.test_client().get("/api/search").get_json()["total"] > 0
        worker.close()
    finally:
        parent.close()


@pytest.fixture
def partial_page(samples_index: Path):
    """A real page of the samples, as a sharded backend answers when two shards are down."""
    backend = open_backend(f"whoosh:{samples_index}", samples_index)
    try:
        page = backend.search(SearchRequest(query=STORY_WORD))
    finally:
        backend.close()
    assert page.partial is False
    return replace(page, missing_shards=list(SHARDS))


def test_a_partial_page_says_so_in_json(partial_page) -> None:
    body = page_to_json(partial_page)
    assert body["partial"] is True and body["missing_shards"] == SHARDS
    assert body["total"] == 1


def test_a_partial_page_says_so_on_the_search_page(partial_page, samples_index: Path) -> None:
    app = create_app({"TESTING": True, "INDEX_DIR": str(samples_index)})
    whole_page = replace(partial_page, missing_shards=[])
    try:
        with app.test_request_context("/search", query_string={"q": STORY_WORD}):
            html = render_template("search.html", **search_context(partial_page, request.args))
            whole = render_template("search.html", **search_context(whole_page, request.args))
    finally:
        app.extensions["backend"].close()
    assert 'id="partial-answer"' in html and "shards shard-2, &lt;b&gt;shard-3&lt;/b&gt;" in html
    assert "<b>shard-3</b>" not in html
    assert 'id="partial-answer"' not in whole


def test_a_partial_page_is_a_note_on_stderr_in_the_terminal(partial_page, capsys) -> None:
    print_page(partial_page)
    printed = capsys.readouterr()
    assert "shard-2" not in printed.out
    note = [line for line in printed.err.splitlines() if "partial" in line]
    assert note == [
        "note: partial answer: shards shard-2, <b>shard-3</b> did not answer; "
        "the total and counts leave out their articles"
    ]
    print_page(replace(partial_page, missing_shards=[]))
    assert "partial" not in capsys.readouterr().err


def test_a_whoosh_writer_commits_all_or_nothing(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_into([SAMPLE_STORY], index_dir, workers=1)
    backend = open_backend(f"whoosh:{index_dir}", index_dir)
    try:
        with writer_lock(index_dir):
            rebuild = backend.writer(rebuild=True)
            assert rebuild.live_dir and rebuild.target_dir != rebuild.live_dir
            rebuild.abort()  # a half-written generation is removed
            assert not rebuild.target_dir.exists()
            in_place = backend.writer(rebuild=False)
            assert in_place.target_dir == in_place.live_dir
            known = list(in_place.known_hashes())
            assert len(known) == 1
            in_place.delete(known)
            in_place.abort()
            assert backend.search(SearchRequest()).total == 1
            deleting = backend.writer(rebuild=False)
            deleting.delete(known)
            deleting.commit()
        assert backend.search(SearchRequest()).total == 0
    finally:
        backend.close()


def test_serve_workers_answer_from_the_backend_url(samples_index: Path, tmp_path: Path) -> None:
    url = f"whoosh:{samples_index}"
    with running_server(tmp_path / "unused", "--workers", "2", "--backend", url) as server:
        for _ in range(4):  # connections spread over both workers
            status, page = server.get_json(f"/api/search?q={STORY_WORD}")
            assert status == 200 and page["total"] == 1 and page["partial"] is False
    assert not (tmp_path / "unused").exists()
