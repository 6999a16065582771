"""Every view that shows counts says when shards did not answer, and `missing_shards=fail`
turns such an answer into a 503; exports and articles a missing shard may hold refuse.

The archive is tests/sharded_whoosh.py's: the sample stories dealt over two real Whoosh
indexes, shard-2 switched off, so the counts really leave out shard-2's articles.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from search.backend import BACKENDS
from search.cli import cli
from search.web import create_app
from tests.conftest import SAMPLES
from tests.sharded_whoosh import ShardedWhoosh, deal

FILES = sorted((SAMPLES / "text").glob("*.txt"))
ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = 'id="partial-answer"'


def dated_word(path: Path) -> tuple[str, str]:
    """The file's date and a word of its first sentence, read without our code."""
    text = path.read_text(encoding="utf-8")
    return re.match(r"\s*date (\S+)", text)[1], re.findall(r"[A-Za-z]{6,}", text)[0]


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory):
    backend = ShardedWhoosh.build(FILES, tmp_path_factory.mktemp("sharded"))
    backend.off = {"shard-2"}
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def web(sharded: ShardedWhoosh):
    app = create_app({"TESTING": True, "INDEX_DIR": str(sharded.state_dir)}, backend=sharded)
    return app.test_client()


@pytest.fixture(scope="module")
def kenya(sharded: ShardedWhoosh) -> str:
    """A country of shard-1's articles, for the entity pages."""
    countries = [value["value"] for value in sharded.stats()["countries"]]
    assert countries, "shard-1 holds no country"
    return countries[0]


def test_the_counts_are_shard_one_s_alone(sharded: ShardedWhoosh) -> None:
    first, second = deal(FILES, 2)
    page = sharded.search_all()
    assert page.total == len(first) and page.missing_shards == ["shard-2"]
    sharded.off = {"shard-1"}  # the other half answers now, and the note names the other shard
    try:
        page = sharded.search_all()
        assert page.total == len(second) and page.missing_shards == ["shard-1"]
    finally:
        sharded.off = {"shard-2"}


def test_the_search_page_and_api_say_partial(web) -> None:
    assert NOTE in web.get("/search").get_data(as_text=True)
    body = web.get("/api/search").get_json()
    assert body["partial"] is True and body["missing_shards"] == ["shard-2"]


def test_the_facet_page_says_partial(web) -> None:
    html = web.get("/facet/country").get_data(as_text=True)
    assert NOTE in html and "shard shard-2" in html


def test_the_entity_page_and_json_say_partial(web, kenya: str) -> None:
    html = web.get(f"/country/{quote(kenya)}").get_data(as_text=True)
    assert NOTE in html and "shard-2" in html
    body = web.get(f"/api/country/{quote(kenya)}").get_json()
    assert body["partial"] is True and body["missing_shards"] == ["shard-2"]
    assert body["name"] == kenya and body["total"] >= 1


def test_the_feed_says_partial_in_its_subtitle(web) -> None:
    feed = ET.fromstring(web.get("/feed.atom").get_data())
    subtitle = feed.find(f"{ATOM}subtitle")
    assert subtitle is not None and "shard-2" in (subtitle.text or "")
    assert feed.find(f"{ATOM}title").text == "newsarchive: newest articles"  # kept


def test_stats_say_partial(sharded: ShardedWhoosh) -> None:
    numbers = sharded.stats()
    assert numbers["partial"] is True and numbers["missing_shards"] == ["shard-2"]
    assert numbers["articles"] == len(deal(FILES, 2)[0])


@pytest.mark.parametrize("export", ["/export.csv", "/export.jsonl"])
def test_an_export_refuses_with_a_503(web, export: str) -> None:
    response = web.get(export)
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "shard-2" in text and "export" in text and "Traceback" not in text


def test_an_article_a_missing_shard_may_hold_is_a_503(web) -> None:
    known = web.get("/api/search").get_json()["hits"][0]["id"]
    assert web.get(f"/api/article/{known}").status_code == 200
    unknown = web.get("/api/article/not-on-shard-1")
    assert unknown.status_code == 503 and "shard-2" in unknown.get_json()["error"]
    nowhere = web.get("/api/country/Atlantis")
    assert nowhere.status_code == 503 and "shard-2" in nowhere.get_json()["error"]


def test_missing_shards_fail_is_a_503_everywhere(web, kenya: str) -> None:
    urls = ["/search", "/api/search", "/facet/country", f"/country/{quote(kenya)}",
            f"/api/country/{quote(kenya)}", "/feed.atom", "/export.csv"]  # fmt: skip
    for url in urls:
        response = web.get(url, query_string={"missing_shards": "fail"})
        assert response.status_code == 503, url
        assert "shard-2" in response.get_data(as_text=True), url
    assert web.get("/api/search?missing_shards=fail").get_json()["status"] == 503


def test_missing_shards_takes_show_or_fail(web) -> None:
    assert web.get("/api/search?missing_shards=show").status_code == 200
    bad = web.get("/api/search?missing_shards=maybe")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "missing_shards"
    assert web.get("/search?missing_shards=maybe").status_code == 400


def test_a_whole_archive_says_nothing_and_never_fails(client) -> None:
    """The samples index in one Whoosh backend: whole, so no note, and `fail` changes nothing."""
    date, word = dated_word(FILES[0])
    for url in ("/search", "/facet/country", "/feed.atom", "/export.csv", "/api/search"):
        response = client.get(url, query_string={"q": word, "missing_shards": "fail"})
        assert response.status_code == 200, url
        assert NOTE not in response.get_data(as_text=True) and b"<subtitle>" not in response.data
    body = client.get("/api/search", query_string={"q": word}).get_json()
    assert body["partial"] is False and date in [hit["date"] for hit in body["hits"]]
    profile = client.get("/api/country/Kenya").get_json()
    assert profile["partial"] is False and profile["missing_shards"] == []


def test_the_cli_notes_partial_stats_and_refuses_a_partial_export(
    sharded: ShardedWhoosh, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sharded archive registered as an engine of its own, as the seam lets any be."""
    monkeypatch.setitem(BACKENDS, "sharded-whoosh", ("tests.sharded_whoosh", "ShardedWhoosh"))
    (sharded.state_dir / "off").write_text("shard-2")
    url = f"sharded-whoosh:{sharded.state_dir}"
    stats = CliRunner().invoke(cli, ["stats", "--backend", url])
    assert stats.exit_code == 0, stats.output
    assert "note: partial answer: shard shard-2 did not answer" in stats.output  # stderr
    as_json = CliRunner().invoke(cli, ["stats", "--json", "--backend", url])
    assert '"missing_shards": [\n    "shard-2"\n  ]' in as_json.output
    exported = CliRunner().invoke(cli, ["export", "--format", "jsonl", "--backend", url])
    assert exported.exit_code == 1 and exported.output.count("\n") == 1
    assert exported.output.startswith("Error: ") and "shard-2" in exported.output


def test_stats_of_a_whole_archive_say_not_partial(samples_index: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--index-dir", str(samples_index)])
    assert result.exit_code == 0 and "partial" not in result.output
    as_json = CliRunner().invoke(cli, ["stats", "--json", "--index-dir", str(samples_index)])
    assert '"partial": false' in as_json.output and '"missing_shards": []' in as_json.output
