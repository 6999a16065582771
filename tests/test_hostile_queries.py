"""Hostile queries: any parameter gives 200 or a 400 that says what to change; nothing leaks.

Property-based (hypothesis) over every parameter of the search routes and article ids,
on a real index of the samples plus records full of markup (tests/hostile/markup.jsonl).
"""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.stages import COSTLY_QUERIES
from search.web import create_app
from tests.conftest import SAMPLES
from tests.indexing import index_into

MARKUP = Path(__file__).resolve().parent / "hostile" / "markup.jsonl"
SEARCH_ROUTES = ("/search", "/api/search", "/export.csv", "/feed.atom", "/facet/country")
PARAMETERS = (
    "actor", "country", "org", "not_actor", "not_country", "not_org",
    "since", "until", "sort", "page", "actor_op", "country_op", "org_op",
)  # fmt: skip
# Every refusal says what to change: "…; use at most 40.", "…; close the phrase…".
ADVICE = re.compile(r";.*\b(use|add|remove|close|shorten|try|swap|widen|leave|narrow)\b")
ALERT = re.compile(r'<p class="error" role="alert"[^>]*>(.*?)</p>', re.S)
# Query syntax pieces, so generated queries reach the parser's corners, not only plain words.
QUERY_PIECES = st.sampled_from(
    [
        "oil", "Peskov", "harbour", "AND", "OR", "NOT", "ANDNOT", "(", ")", '"', "*", "?",
        "~", "~3", "^2", ":", "title:", "body:", "actor:", "record:", "[", "]", "{", "}",
        " TO ", "-", "+", "\\", "'", "<script>", "&amp;", "\u202e", "é", "\x00", " ", "  ",
    ]
)  # fmt: skip
QUERIES = st.one_of(st.text(max_size=200), st.lists(QUERY_PIECES, max_size=30).map("".join))
PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SCRIPT = "<script>alert"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory):
    """The app over a real index of the samples and the markup records."""
    index_dir = tmp_path_factory.mktemp("hostile-queries")
    index_into([SAMPLES, MARKUP], index_dir, workers=1)
    app = create_app({"INDEX_DIR": str(index_dir)})
    yield app
    app.extensions["backend"].close()


@pytest.fixture(scope="module")
def web(hostile_app):
    """A test client of the hostile app."""
    return hostile_app.test_client()


def error_message(response) -> str:
    """A 400's message: the JSON body's `error`, or the text of the page's alert."""
    if response.is_json:
        return response.get_json()["error"]
    alert = ALERT.search(response.get_data(as_text=True))
    assert alert, response.get_data(as_text=True)[:3000]
    return html.unescape(alert.group(1)).strip()


def assert_answered(web, route: str, query_string) -> None:
    """200, or a 400 saying what to change, the API's words on every route; never a 500."""
    response = web.get(route, query_string=query_string)
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400), (response.status_code, body[:300])
    assert "Traceback" not in body
    if response.status_code == 400:
        message = error_message(response)
        assert ADVICE.search(message), message
        api = web.get("/api/search", query_string=query_string)
        assert api.status_code == 400 and error_message(api) == message, (route, message)


@PROPERTY_SETTINGS
@given(query=QUERIES)
def test_any_query_is_answered_or_refused_with_a_message(web, query: str) -> None:
    for route in ("/api/search", "/search"):
        assert_answered(web, route, {"q": query})


@PROPERTY_SETTINGS
@given(name=st.sampled_from(PARAMETERS), values=st.lists(st.text(max_size=80), max_size=3))
def test_any_parameter_value_is_answered_or_refused(web, name: str, values: list[str]) -> None:
    for route in SEARCH_ROUTES:
        assert_answered(web, route, [(name, value) for value in values])


@PROPERTY_SETTINGS
@given(kind=st.sampled_from(["actor", "country", "org"]), name=st.text(min_size=1, max_size=80))
def test_any_entity_name_is_found_or_not_found(web, kind: str, name: str) -> None:
    response = web.get(f"/{kind}/" + quote(name, safe=""))
    assert response.status_code in (200, 308, 404), response.status_code
    assert "Traceback" not in response.get_data(as_text=True)


@PROPERTY_SETTINGS
@given(article_id=st.text(min_size=1, max_size=120))
def test_any_article_id_is_found_or_not_found(web, article_id: str) -> None:
    for route in ("/article/", "/api/article/"):
        response = web.get(route + quote(article_id, safe=""))
        # An id holding "/" may be redirected to its canonical URL; never an error.
        assert response.status_code in (200, 308, 404), response.status_code
        assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("query", COSTLY_QUERIES)
def test_costly_queries_are_answered_or_refused(web, query: str) -> None:
    # How long they take is measured by `python -m bench.stages`, not asserted here.
    assert_answered(web, "/api/search", {"q": query})


@pytest.mark.parametrize(
    ("query", "advice"),
    [
        ("*", "leave the query empty"),
        ("*ing", "letters before"),
        ("[a TO z]", "since and until"),
        ("harbour~5", "at most ~2"),
        ("(" * 11 + "oil" + ")" * 11, "at most 10 levels"),
        (" ".join(["oil"] * 41), "at most 40"),
        ("content_hash:abc", "cannot be searched"),
    ],
)
def test_costly_query_shapes_are_refused_with_advice(web, query: str, advice: str) -> None:
    response = web.get("/api/search", query_string={"q": query})
    assert response.status_code == 400 and advice in response.get_json()["error"]


@pytest.mark.parametrize("query", ["coff*", "title:market", '"oil prices"~3', "harbour~1"])
def test_ordinary_query_syntax_still_works(web, query: str) -> None:
    assert web.get("/api/search", query_string={"q": query}).status_code == 200


def test_markup_in_titles_and_bodies_is_escaped_on_every_page(web) -> None:
    pages = [web.get("/search?q=markup"), web.get("/search"), web.get("/search?q=alert")]
    for article_id in ("x1", "x2", "x3"):
        pages.append(web.get(f"/article/{article_id}"))
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert SCRIPT not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "<iframe" not in html and 'onmouseover="alert' not in html
    assert "&lt;script&gt;alert(" in web.get("/article/x1").get_data(as_text=True)


def test_query_and_filter_echoes_are_escaped(web) -> None:
    evil = '"><script>alert(1)</script>'
    for route in ("/search", "/facet/actor"):
        for key in ("q", "actor", "not_country", "since", "sort", "page", "org_op"):
            html = web.get(route, query_string={key: evil}).get_data(as_text=True)
            assert "<script>alert(1)" not in html, (route, key)
    entity = web.get("/actor/" + quote(evil, safe="")).get_data(as_text=True)
    assert "<script>alert(1)" not in entity


def test_unsafe_source_urls_are_never_links(web) -> None:
    for page in (web.get("/search?q=markup"), web.get("/article/x1"), web.get("/feed.atom")):
        assert not re.search(r"""href=["']?\s*javascript:""", page.get_data(as_text=True), re.I)
    assert web.get("/api/article/x1").get_json()["url"] is None


def test_atom_feed_is_well_formed_and_keeps_markup_as_text(web) -> None:
    feed = web.get("/feed.atom", query_string={"q": "markup <script>"})
    assert feed.status_code == 200
    root = ElementTree.fromstring(feed.get_data())
    titles = [element.text for element in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "<script>alert('title')</script> Markup title" in titles


def test_csv_export_keeps_markup_as_text_and_defuses_formulas(web) -> None:
    text = web.get("/export.csv", query_string={"q": "markup"}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "<script>alert('title')</script> Markup title" in {row["title"] for row in rows}
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


@pytest.mark.parametrize(
    "path",
    ["/search", "/api/search", "/article/x1", "/api/article/x1", "/nope", "/api/search?q=*",
     "/export.csv", "/feed.atom", "/static/style.css"],
)  # fmt: skip
def test_security_headers_on_every_response(web, path: str) -> None:
    with web.get(path) as response:
        headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in directives.get("script-src", directives["default-src"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_no_inline_script_or_event_handlers(web) -> None:
    for path in ("/", "/search?q=oil", "/article/x1", "/nope", "/search?q=*"):
        html = web.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml",
        "/static/..%2fpyproject.toml", "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/article/..%2f..%2f..%2fetc%2fpasswd", "/api/article/%2e%2e%2fpyproject.toml",
        "/actor/..%2f..%2fetc%2fpasswd", "/country/../../etc/passwd",
        "/facet/..%2f..%2fetc%2fpasswd", "/..%2f..%2fetc%2fpasswd", "//etc/passwd",
    ],
)  # fmt: skip
def test_no_path_traversal_through_any_route(web, path: str) -> None:
    response = web.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "[build-system]" not in body and "root:x:" not in body


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("query", COSTLY_QUERIES[:12])
def test_costly_queries_are_answered_or_refused_on_the_reuters_index(
    reuters_index: Path, query: str
) -> None:
    app = create_app({"INDEX_DIR": str(reuters_index)})
    try:
        assert_answered(app.test_client(), "/api/search", {"q": query})
    finally:
        app.extensions["backend"].close()


@pytest.mark.parametrize(
    ("query", "advice"),
    [
        ("NOT NOT harbour", "remove both or keep one"),
        ("harbour AND OR grain", "put a word between them"),
        ("harbour OR AND grain", "put a word between them"),
    ],
)
def test_operators_in_a_row_are_refused_saying_what_to_change(web, query: str, advice: str) -> None:
    response = web.get("/api/search", query_string={"q": query})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "q"
    assert advice in response.get_json()["error"]


@pytest.mark.parametrize("query", ["harbour AND NOT grain", "harbour OR NOT grain"])
def test_and_not_and_or_not_still_search(web, query: str) -> None:
    assert web.get("/api/search", query_string={"q": query}).status_code == 200
