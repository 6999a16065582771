"""Source and language facets, and articles in other languages, through the CLI and the web."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.language import detect_language, language_code
from search.web import create_app

FRENCH = (
    "Le gouvernement français a annoncé mardi une réforme des élections municipales. "
    "Emmanuel Macron a défendu le projet devant les maires réunis à Paris, "
    "tandis que l'opposition dénonce une manœuvre avant les prochaines élections."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Regeln für die Wahlen im Herbst beschlossen. "
    "Bundeskanzler Olaf Scholz sagte in Berlin, die Reform stärke das Vertrauen der Bürger "
    "in die Demokratie."
)
SPANISH = (
    "El gobierno de España aprobó el martes una reforma de las pensiones. "
    "El presidente Pedro Sánchez dijo en Madrid que los jubilados recibirán más dinero "
    "a partir del próximo año, mientras la oposición critica el coste."
)
ENGLISH = (
    "Grain prices held steady in Kenya on Tuesday as traders in Nairobi waited for the "
    "first crop estimates of the season."
)


def write_archive(folder: Path) -> Path:
    """A small archive in four languages from two outlets, one of them a plain-text file."""
    rows = [
        {
            "id": "fr-1",
            "title": "Réforme des élections",
            "date": "2021-03-02",
            "body": FRENCH,
            "source": "Le Quotidien",
        },
        {
            "id": "de-1",
            "title": "Neue Regeln für die Wahl",
            "date": "2021-03-03",
            "body": GERMAN,
            "source": "Die Zeitung",
        },
        {
            "id": "es-1",
            "title": "Reforma de las pensiones",
            "date": "2021-03-04",
            "body": SPANISH,
            "source": "Die Zeitung",
        },
        {
            "id": "en-1",
            "title": "Grain prices steady",
            "date": "2021-03-05",
            "body": ENGLISH,
            "source": "Le Quotidien",
        },
        {
            "id": "en-2",
            "title": "Oil rises",
            "date": "2021-03-06",
            "body": "Oil rose 2%.",
            "source": "Le Quotidien",
        },
    ]
    (folder / "wire.jsonl").write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8"
    )
    (folder / "tagged.json").write_text(
        json.dumps([{"id": "tagged", "title": "Kurz", "body": "Ja.", "language": "de-AT"}]),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def languages_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the four-language archive, built by `newsarchive index`."""
    folder = tmp_path_factory.mktemp("languages")
    index_dir = folder / "index"
    (folder / "archive").mkdir()
    archive = write_archive(folder / "archive")
    result = CliRunner().invoke(
        cli, ["index", str(archive), "--index-dir", str(index_dir), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    return index_dir


@pytest.fixture
def web(languages_index: Path):
    """Flask's test client over the four-language index."""
    app = create_app({"INDEX_DIR": str(languages_index), "TESTING": True})
    yield app.test_client()
    app.extensions["backend"].close()


def facet(data: dict, name: str) -> dict[str, int]:
    """One facet of an /api/search body as {value: count}."""
    return {row["value"]: row["count"] for row in data["facets"][name]}


def test_languages_and_sources_are_counted(web) -> None:
    data = web.get("/api/search").get_json()
    assert facet(data, "language") == {"en": 2, "fr": 1, "de": 2, "es": 1}
    assert facet(data, "source") == {"Le Quotidien": 3, "Die Zeitung": 2}
    languages = {hit["id"]: hit["language"] for hit in data["hits"]}
    assert languages["tagged"] == "de"  # as the record tagged it ("de-AT"), not detected


def test_language_and_source_filters(web) -> None:
    def ids(**params: object) -> set[str]:
        data = web.get("/api/search", query_string=params).get_json()
        return {hit["id"] for hit in data["hits"]}

    assert ids(language="fr") == {"fr-1"}
    assert ids(language=["fr", "es"]) == {"fr-1", "es-1"}  # one language each: any of them
    assert ids(not_language="en") == {"fr-1", "de-1", "es-1", "tagged"}
    assert ids(source="Die Zeitung") == {"de-1", "es-1"}
    assert ids(source="Le Quotidien", not_language="fr") == {"en-1", "en-2"}
    narrowed = web.get("/api/search", query_string={"source": "Die Zeitung"}).get_json()
    assert facet(narrowed, "language") == {"de": 1, "es": 1}


def test_each_language_is_stemmed_its_own_way(web) -> None:
    def ids(query: str) -> set[str]:
        data = web.get("/api/search", query_string={"q": query}).get_json()
        return {hit["id"] for hit in data["hits"]}

    assert ids("élection") == {"fr-1"}  # French stems: élections -> élect
    assert ids("Wahlen") == {"de-1"}  # German stems: Wahlen and Wahl are one word
    assert ids("pensión") == {"es-1"}
    assert ids("price") == {"en-1"}  # English still as before
    assert ids("die") == set()  # a German stop word, not indexed in German articles
    hits = web.get("/api/search", query_string={"q": "Wahl"}).get_json()["hits"]
    assert "<mark>Wahlen</mark>" in hits[0]["snippet"]


def test_only_english_articles_get_entities(web) -> None:
    french = web.get("/api/article/fr-1").get_json()
    assert french["language"] == "fr"
    assert (french["actors"], french["countries"], french["orgs"]) == ([], [], [])
    english = web.get("/api/article/en-1").get_json()
    assert "Kenya" in english["countries"] and english["language"] == "en"
    page = web.get("/article/fr-1").get_data(as_text=True)
    assert "No entities were extracted: this article is in French" in page
    assert '<article lang="fr">' in page
    assert "No entities were extracted" not in web.get("/article/en-1").get_data(as_text=True)


def test_sidebar_facet_page_and_chips(web) -> None:
    html = web.get("/search").get_data(as_text=True)
    assert ">Languages</h2>" in html and ">Sources</h2>" in html
    assert "French (fr)" in html and "Le Quotidien" in html
    page = web.get("/facet/language").get_data(as_text=True)
    assert "German (de)" in page and "Spanish (es)" in page
    chips = web.get("/search", query_string={"language": "de"}).get_data(as_text=True)
    assert "Language: German (de)" in chips
    assert web.get("/facet/nonsense").status_code == 404


def test_exports_carry_source_and_language(web) -> None:
    text = web.get("/export.csv", query_string={"language": "es"}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["id"], row["source"], row["language"]) for row in rows] == [
        ("es-1", "Die Zeitung", "es")
    ]


def test_command_line_filters_by_source_and_language(languages_index: Path) -> None:
    runner = CliRunner()
    base = ["search", "", "--json", "--index-dir", str(languages_index)]
    result = runner.invoke(cli, [*base, "--language", "de", "--source", "Die Zeitung"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [hit["id"] for hit in data["hits"]] == ["de-1"]
    assert facet(data, "source") == {"Die Zeitung": 1}
    table = runner.invoke(cli, ["search", "", "--index-dir", str(languages_index)])
    assert "language: de (2), en (2), es (1), fr (1)" in table.output
    export = runner.invoke(
        cli,
        [
            "export",
            "",
            "--format",
            "jsonl",
            "--not-language",
            "en",
            "--not-source",
            "Die Zeitung",
            "--index-dir",
            str(languages_index),
        ],
    )
    assert [json.loads(line)["id"] for line in export.output.splitlines()] == ["fr-1", "tagged"]
    stats = json.loads(
        runner.invoke(cli, ["stats", "--json", "--index-dir", str(languages_index)]).output
    )
    assert {"value": "fr", "count": 1} in stats["languages"]


@pytest.mark.parametrize(
    "text",
    [
        "Oil prices rose.",
        "Shares up",
        "Paris talks",
        "BROWN-FORMAN INC <BFD> 4TH QTR NET\nShr one dlr vs 73 cts\nNet 12.6 mln vs 15.8 mln",
        "1,234 5,678 9.10",
    ],
)
def test_short_english_texts_stay_english(text: str) -> None:
    assert detect_language("", text) == "en"


def test_language_tags_become_codes() -> None:
    assert [language_code(tag) for tag in ("en-US", "FR", "de_DE", " pt ", "", None, "x")] == [
        "en",
        "fr",
        "de",
        "pt",
        None,
        None,
        None,
    ]


def test_an_update_of_the_live_index_keeps_languages_apart(tmp_path: Path) -> None:
    """A few articles added to a live index go through Whoosh's own writer, not the bulk one."""
    index_dir, first, second = tmp_path / "index", tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps([{"id": "en", "title": "Grain", "body": ENGLISH}]), "utf-8")
    second.write_text(json.dumps([{"id": "fr", "title": "Élections", "body": FRENCH}]), "utf-8")
    runner = CliRunner()
    for path in (first, second):
        result = runner.invoke(cli, ["index", str(path), "--index-dir", str(index_dir)])
        assert result.exit_code == 0, result.output
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        client = app.test_client()
        hits = client.get("/api/search", query_string={"q": "élection"}).get_json()["hits"]
        assert [(hit["id"], hit["language"]) for hit in hits] == [("fr", "fr")]
        assert client.get("/api/article/fr").get_json()["body"] == FRENCH
        assert (
            client.get("/api/search", query_string={"q": "gouvernement"}).get_json()["total"] == 1
        )
    finally:
        app.extensions["backend"].close()
