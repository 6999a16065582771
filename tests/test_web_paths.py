"""Every path through the pages keeps its promise (issue 18): state kept, dates read as meant.

Through Flask's test client on the samples index; what a page should show is derived
from the JSON API of the same index, never written down.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from search.web import create_app
from tests.conftest import STORY_WORD
from tests.indexing import index_into

REUTERS_RECORD = """<REUTERS NEWID="77">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TEXT><TITLE>COCOA TALKS RESUME IN LONDON</TITLE>
<DATELINE>    LONDON, Feb 26 - </DATELINE><BODY>Cocoa producers and consumers resumed talks
in London on Thursday, delegates said.
 Reuter
</BODY></TEXT>
</REUTERS>
"""


def html(response) -> str:
    """A page's text, entities decoded (the test client does not decompress)."""
    assert response.status_code in (200, 400, 404), response.status_code
    return unescape(response.get_data(as_text=True))


def hidden_fields(page: str, form_class: str) -> list[tuple[str, str]]:
    """The hidden (name, value) pairs of the first form with a class."""
    form = re.search(rf'<form class="{form_class}".*?</form>', page, re.S)
    assert form, form_class
    return re.findall(r'type="hidden" name="([^"]*)" value="([^"]*)"', form.group())


def test_a_result_link_carries_the_search_and_the_article_links_back_to_it(client) -> None:
    search = f"q={STORY_WORD}&sort=oldest&since=2019"
    page = html(client.get(f"/search?{search}"))
    article_url = re.search(r'<li class="hit">\s*<h2><a href="([^"]*)"', page).group(1)
    assert article_url.split("?", 1)[1] == search
    article = html(client.get(article_url))
    back = re.search(r'<a href="([^"]*)" class="back">', article).group(1)
    assert back == f"/search?{search}"


def test_a_failed_parameter_is_not_carried_into_a_new_search(client) -> None:
    response = client.get("/search?q=trade&country=Kenya&since=notadate&until=2024")
    page = html(response)
    assert response.status_code == 400
    assert ("since", "notadate") not in hidden_fields(page, "searchbox")
    assert ("country", "Kenya") in hidden_fields(page, "searchbox")
    assert ("until", "2024") in hidden_fields(page, "searchbox")
    assert 'name="since" value="notadate"' in page and 'name="until" value="2024"' in page


def test_the_400_page_offers_dates_from_the_archive(client) -> None:
    newest = client.get("/api/search?sort=newest").get_json()["hits"][0]["date"]
    page = html(client.get("/search?since=notadate"))
    assert f"try {newest}" in page
    assert f'placeholder="e.g. {newest[:7]}"' in page
    assert "2022-11-09" not in page or newest.startswith("2022-11-09")


@pytest.mark.parametrize(
    ("order", "typed", "shown"),
    [
        ("", "10/03/2020", "Since 3 Oct 2020"),
        ("day-first", "10/03/2020", "Since 10 Mar 2020"),
        ("", "March 2020", "Since Mar 2020"),
        ("", "2020", "Since 2020"),
    ],
)
def test_a_date_chip_says_how_the_date_was_read(
    client, monkeypatch, order: str, typed: str, shown: str
) -> None:
    monkeypatch.setenv("NEWSARCHIVE_DATE_ORDER", order)
    page = html(client.get("/search", query_string={"since": typed}))
    assert re.search(rf">\s*{shown} <span aria-hidden", page), shown
    expected = client.get("/api/search", query_string={"since": typed}).get_json()["total"]
    day_first = "2020-03-10" if order else "2020-10-03"
    if "/" in typed:
        iso = client.get("/api/search", query_string={"since": day_first}).get_json()["total"]
        assert expected == iso


def test_titles_name_the_search_its_filters_and_page(client) -> None:
    page = html(client.get("/search?q=trade&country=Kenya&page=1"))
    assert "<title>trade · Country: Kenya · newsarchive</title>" in page
    many = client.get("/api/search?per_page=1").get_json()
    assert many["total"] > 20
    second = html(client.get("/search?page=2"))
    assert "<title>page 2 · newsarchive</title>" in second
    assert second.count("<h1") == 1 and page.count("<h1") == 1


def test_a_csv_is_named_after_its_search(client) -> None:
    response = client.get("/export.csv?q=trade&country=Côte d'Ivoire&sort=newest")
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="newsarchive-trade-country-cote-d-ivoire.csv"'
    everything = client.get("/export.jsonl").headers["Content-Disposition"]
    assert everything == 'attachment; filename="newsarchive-all.jsonl"'


@pytest.mark.parametrize(
    ("kind", "label"),
    [("actor", "Find a person"), ("country", "Find a country"), ("org", "Find an organisation")],
)
def test_facet_pages_say_what_to_find_and_name_both_search_forms(client, kind, label) -> None:
    page = html(client.get(f"/facet/{kind}"))
    assert f'<label for="contains">{label}</label>' in page
    landmarks = re.findall(r'role="search" aria-label="([^"]+)"', page)
    assert len(landmarks) == 2 and len(set(landmarks)) == 2


def test_a_missing_article_links_to_the_search(client) -> None:
    response = client.get("/article/no-such-article")
    assert response.status_code == 404
    assert '<a href="/search">Search the archive</a>' in html(response)


def test_pages_are_gzipped_for_browsers_that_ask(client) -> None:
    plain = client.get("/search?q=trade")
    packed = client.get("/search?q=trade", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 3


def test_static_files_are_linked_by_content_hash_and_cached_for_long(client) -> None:
    page = html(client.get("/"))
    stylesheet = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{12})"', page).group(1)
    with client.get(stylesheet) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
    with client.get("/static/style.css?v=000000000000") as stale:
        assert "immutable" not in stale.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("indexed", "shown"),
    [
        ("archive/wire/reut2-900.sgm", "reut2-900.sgm"),  # a file given: its name
        ("archive", "archive/wire/reut2-900.sgm"),  # a folder given: the path under it
    ],
)
def test_the_article_page_shows_no_server_path_nor_the_datelines_dash(
    tmp_path: Path, indexed: str, shown: str
) -> None:
    source = tmp_path / "archive" / "wire" / "reut2-900.sgm"
    source.parent.mkdir(parents=True)
    source.write_text(REUTERS_RECORD, encoding="utf-8")
    index_dir = tmp_path / "index"
    index_into([(tmp_path / indexed).resolve()], index_dir, workers=1)
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        client = app.test_client()
        article_id = client.get("/api/search").get_json()["hits"][0]["id"]
        located = client.get(f"/api/article/{article_id}").get_json()["located_at"]
        assert located == f"{shown}, record 1, line 1"
        page = html(client.get(f"/article/{article_id}"))
        assert str(tmp_path) not in page and f"From {shown}, record 1, line 1" in page
        # The dateline is its place: the record's date is shown once, the wire's dash never.
        assert re.search(r"· LONDON\s*(·|</p>)", page) and "Feb 26 -" not in page
    finally:
        app.extensions["backend"].close()


def facet_rows(page: str, section_id: str) -> list[tuple[str, int]]:
    """(toggle URL, count shown) of each value in one facet list of a page."""
    start = page.index(f'id="{section_id}"')
    end = page.find("</section>", start)
    rows = re.findall(
        r'<a class="value" href="([^"]*)".*?<span class="count"[^>]*>([\d,]+)</span>',
        page[start:end],
        re.S,
    )
    return [(url, int(count.replace(",", ""))) for url, count in rows]


@pytest.mark.parametrize("path", ["/search", "/facet/country"])
def test_in_any_mode_each_count_is_what_the_click_gives(client, path: str) -> None:
    countries = client.get("/api/search").get_json()["facets"]["country"]
    selected = countries[0]["value"]
    page = html(client.get(path, query_string={"country": selected, "country_op": "or"}))
    rows = facet_rows(page, "facet-country" if path == "/search" else "facet-list")
    plain_counts = {c["value"]: c["count"] for c in countries}
    differs = checked = 0
    for url, shown in rows:
        query = url.split("?", 1)[1]
        added = [v for v in parse_qs(query).get("country", []) if v != selected]
        if not added:
            continue  # the selected value's own row: clicking removes it
        clicked = client.get(f"/api/search?{query}").get_json()["total"]
        assert shown == clicked, url
        checked += 1
        differs += plain_counts.get(added[0]) != clicked
    assert checked >= 2 and differs > 0  # "any" mode shows other numbers than the plain counts


def test_the_page_limit_is_said_with_how_to_get_the_rest(client, monkeypatch) -> None:
    everything = client.get("/api/search").get_json()["total"]
    per_page = client.get("/api/search").get_json()["per_page"]
    assert everything > per_page
    unlimited = html(client.get("/search"))
    assert 'id="page-limit"' not in unlimited
    monkeypatch.setenv("NEWSARCHIVE_MAX_PAGE", "1")
    page = html(client.get("/search"))
    note = re.search(r'<p class="note limit" id="page-limit">(.*?)</p>', page, re.S).group(1)
    assert f"the first {per_page} of {everything} articles" in note
    assert f"the other {everything - per_page}" in note
    csv_url = re.search(r'<a href="(/export\.csv[^"]*)" download>CSV</a>', note).group(1)
    rows = client.get(csv_url).get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(rows)))) == everything
    refused = client.get("/search?page=2")
    assert refused.status_code == 400 and "export it" in html(refused)
