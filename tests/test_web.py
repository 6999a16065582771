"""The web front end through Flask's test client, on a real index of the samples."""

from __future__ import annotations

import json
from pathlib import Path

from search.web import create_app
from tests.conftest import STORY_DATE, STORY_WORD
from tests.indexing import index_into


def test_home_lists_the_archive_newest_first_with_facets(client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for heading in ("People", "Countries", "Organisations", "Date"):
        assert f">{heading}</h2>" in html
    data = client.get("/api/search").get_json()
    dates = [hit["date"] for hit in data["hits"] if hit["date"]]
    assert dates == sorted(dates, reverse=True)
    assert data["total"] >= 40


def test_api_search_has_the_contract_shape(client) -> None:
    data = client.get("/api/search", query_string={"q": STORY_WORD}).get_json()
    assert set(data) == {
        *("query", "total", "page", "per_page", "hits", "facets"),
        *("partial", "missing_shards"),
    }
    assert data["partial"] is False and data["missing_shards"] == []
    assert data["query"] == STORY_WORD and data["total"] == 1 and data["page"] == 1
    hit = data["hits"][0]
    assert set(hit) == {
        *("id", "title", "date", "actors", "countries", "orgs", "snippet", "url"),
        *("source", "language"),
    }
    assert hit["date"] == STORY_DATE and hit["language"] == "en"
    assert set(data["facets"]) == {"actor", "country", "org", "date", "source", "language"}
    assert {"value": "Samuel Kiprono", "count": 1} in data["facets"]["actor"]


def test_facet_link_filters_and_shows_a_removable_chip(client) -> None:
    data = client.get("/api/search").get_json()
    country = data["facets"]["country"][0]
    filtered = client.get("/api/search", query_string={"country": country["value"]}).get_json()
    assert filtered["total"] == country["count"]
    assert all(country["value"] in hit["countries"] for hit in filtered["hits"])
    html = client.get("/search", query_string={"country": country["value"]}).get_data(as_text=True)
    assert f"Country: {country['value']}" in html and "Clear all" in html


def test_exclusion_removes_matching_articles(client) -> None:
    total = client.get("/api/search").get_json()["total"]
    country = client.get("/api/search").get_json()["facets"]["country"][0]
    rest = client.get("/api/search", query_string={"not_country": country["value"]}).get_json()
    assert rest["total"] == total - country["count"]


def test_article_page_highlights_entities(client) -> None:
    hit = client.get("/api/search", query_string={"q": STORY_WORD}).get_json()["hits"][0]
    html = client.get(f"/article/{hit['id']}").get_data(as_text=True)
    assert 'class="mention actor"' in html and ">Kiprono</a>" in html
    assert '<h2 class="subheading">Fans celebrate</h2>' in html
    data = client.get(f"/api/article/{hit['id']}").get_json()
    assert data["date"] == STORY_DATE and set(data["countries"]) == {"Kenya", "Uganda"}


def test_errors_are_400_and_404_with_messages(client) -> None:
    bad = client.get('/api/search?q="unclosed')
    assert bad.status_code == 400 and "quote" in bad.get_json()["error"]
    page = client.get('/search?q="unclosed')
    assert page.status_code == 400 and "unmatched quote" in page.get_data(as_text=True)
    assert client.get("/api/search?sort=sideways").status_code == 400
    assert client.get("/api/search?since=whenever").status_code == 400
    assert client.get("/article/no-such-id").status_code == 404
    assert client.get("/api/article/no-such-id").get_json()["status"] == 404
    assert client.get("/nowhere").status_code == 404


def test_markup_in_articles_is_escaped(tmp_path: Path) -> None:
    record = {
        "id": "x1",
        "title": "<script>alert(1)</script> Tokyo talks",
        "body": "Officials <b>met</b> in Tokyo & agreed. <img src=x onerror=alert(2)>",
    }
    (tmp_path / "evil.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    index_into([tmp_path / "evil.jsonl"], tmp_path / "index")
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    client = app.test_client()
    for url in ("/", "/search?q=Tokyo", "/article/x1"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>met" not in html
    assert "&lt;script&gt;" in client.get("/article/x1").get_data(as_text=True)
    snippet = client.get("/api/search?q=Tokyo").get_json()["hits"][0]["snippet"]
    assert "<mark>Tokyo</mark>" in snippet and "<img" not in snippet
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    app.extensions["backend"].close()


def test_missing_index_says_how_to_make_one(tmp_path: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True})
    response = app.test_client().get("/api/search")
    assert response.status_code == 503 and "newsarchive index" in response.get_json()["error"]


def test_pagination_and_sort_links(client) -> None:
    first = client.get("/api/search?sort=oldest").get_json()
    second = client.get("/api/search?sort=oldest&page=2").get_json()
    assert first["hits"] and second["hits"]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    html = client.get("/search?sort=oldest").get_data(as_text=True)
    assert 'rel="next"' in html
