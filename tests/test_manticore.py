"""The Manticore/Sphinx backend on a real two-shard cluster (tests/sphinx_servers.py),
compared with the Whoosh backend on the same sample articles: totals, hits and their
order, facets, histogram, filters, the article page and exports; the query syntax's
translation; rebuilds that searches never see half-built; shards that do not answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.backend import SearchBackend, open_backend
from search.cli import cli
from search.errors import BackendUnavailable, BadRequest, NotFound
from search.models import SearchRequest
from search.params import make_search_request
from search.web import create_app
from tests.conftest import SAMPLES
from tests.indexing import index_into
from tests.sphinx_servers import sphinx_cluster  # noqa: F401  (the fixture)

translate = pytest.importorskip("search.backends.manticore.query").translate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("oil AND prices", "(oil prices)"),
        ('opec OR "oil men"', '(opec | "oil men")'),
        ("tanker NOT gulf", "(tanker -gulf)"),
        ("title:oil gulf", "((@title oil) gulf)"),
        ("coff*", "coff*"),
        ("oil ANDMAYBE gulf", "(oil MAYBE gulf)"),
        ("a OR b c", "(a | (b c))"),  # Whoosh's precedence: AND before OR
        ("oil-price", "(oil price)"),
        ('(oil OR gas) NOT "gulf war"~3', '((oil | gas) -"gulf war"~3)'),
        ("at&t", "(at t)"),
        ("", ""),
    ],
)
def test_queries_translate_to_sphinx_syntax(query: str, expected: str) -> None:
    assert translate(query) == expected


def test_the_stop_words_are_whooshs() -> None:
    from whoosh.analysis import STOP_WORDS

    from search.backends.manticore.config import STOP_WORDS as DROPPED

    assert DROPPED == STOP_WORDS


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("coffee~", "coffee~"),
        ("NOT gulf", "only excludes"),
        ("actor:Reagan", "'actor'"),
        ("co?ee", "co?ee"),
        ("oil (gas", "bracket"),
    ],
)
def test_what_cannot_be_translated_is_a_400_naming_it(query: str, named: str) -> None:
    with pytest.raises(BadRequest) as raised:
        translate(query)
    assert raised.value.status == 400 and named in raised.value.message


@pytest.fixture(scope="module")
def archives(sphinx_cluster, tmp_path_factory) -> Iterator[tuple[SearchBackend, SearchBackend]]:  # noqa: F811
    """The samples in the cluster and in a Whoosh index: (manticore, whoosh)."""
    state = tmp_path_factory.mktemp("manticore-state")
    whoosh_dir = tmp_path_factory.mktemp("whoosh-reference")
    report = index_into([SAMPLES], state, sphinx_cluster.url, workers=1)
    assert report.failed == 0 and report.added > 40
    index_into([SAMPLES], whoosh_dir, workers=1)
    manticore = open_backend(sphinx_cluster.url, state)
    whoosh = open_backend(f"whoosh:{whoosh_dir}", whoosh_dir)
    yield manticore, whoosh
    manticore.close()
    whoosh.close()


REQUESTS = [
    {},
    {"query": "oil"},
    {"query": "oil OR coffee"},
    {"query": "title:oil"},
    {"query": "coff*"},
    {"query": '"central bank"'},
    {"query": "bank NOT central"},
    {"sort": "oldest"},
    {"query": "the bank", "sort": "newest"},
    {"country": ["Norway"]},
    {"not_country": ["Norway"]},
    {"since": "2021-01-01", "until": "2021-12-31"},
    {"since": "2021-03-01", "until": "2021-03-31"},
    {"language": ["en", "fr"]},
]


def as_request(spec: dict, **extra) -> SearchRequest:
    return make_search_request(**{**spec, **extra})


@pytest.mark.parametrize("spec", REQUESTS, ids=json.dumps)
def test_the_same_answer_as_whoosh(archives, spec: dict) -> None:
    manticore, whoosh = archives
    request = as_request(spec, per_page=100)
    ours, theirs = manticore.search(request), whoosh.search(request)
    assert ours.total == theirs.total
    assert ours.archive_total == theirs.archive_total
    assert ours.facets == theirs.facets
    assert ours.days == theirs.days
    assert not ours.partial
    if request.sort != "relevance" or not request.query.strip():
        assert [hit.id for hit in ours.hits] == [hit.id for hit in theirs.hits]
    else:
        assert {hit.id for hit in ours.hits} == {hit.id for hit in theirs.hits}


def test_entity_filters_all_and_any(archives) -> None:
    manticore, whoosh = archives
    top = [v.value for v in whoosh.search(SearchRequest()).facets["country"][:3]]
    assert len(top) == 3
    for operator in ("and", "or"):
        request = SearchRequest(country=top[:2], country_op=operator, per_page=100)  # type: ignore[arg-type]
        ours, theirs = manticore.search(request), whoosh.search(request)
        assert ours.total == theirs.total and ours.facets == theirs.facets
    assert manticore.search(SearchRequest(country=top[:2], country_op="or")).total > 0
    counts = manticore.counts_without_own_filter(SearchRequest(country=top[:1]), "country")
    assert counts == whoosh.counts_without_own_filter(SearchRequest(country=top[:1]), "country")


@pytest.mark.parametrize("query", ["oil", "title:kenya", "body:oil", "oil*"])
def test_snippets_mark_the_words_and_escape_the_text(archives, query: str) -> None:
    manticore, _ = archives
    page = manticore.search(SearchRequest(query=query))
    assert page.hits and all("<mark>" in hit.snippet for hit in page.hits)
    assert all("<script" not in hit.snippet for hit in page.hits)


def test_article_page_and_export_as_whoosh(archives) -> None:
    manticore, whoosh = archives
    request = SearchRequest(sort="newest")
    total, hits = manticore.export_hits(request)
    their_total, their_hits = whoosh.export_hits(request)
    ours, theirs = list(hits), list(their_hits)
    assert total == their_total == len(ours)
    assert [hit.id for hit in ours] == [hit.id for hit in theirs]
    assert ours == theirs
    for hit in ours[:5]:
        assert manticore.article(hit.id) == whoosh.article(hit.id)
    with pytest.raises(NotFound):
        manticore.article("no-such-article")


def test_stats_profile_and_latest_date(archives) -> None:
    manticore, whoosh = archives
    assert manticore.stats() == whoosh.stats()
    assert manticore.latest_date_label() == whoosh.latest_date_label()
    actor = whoosh.search(SearchRequest()).facets["actor"][0].value
    ours, theirs = manticore.profile("actor", actor), whoosh.profile("actor", actor)
    assert (ours.total, ours.first_seen, ours.last_seen, ours.months) == (
        theirs.total,
        theirs.first_seen,
        theirs.last_seen,
        theirs.months,
    )
    assert [h.id for h in ours.latest] == [h.id for h in theirs.latest]
    assert ours.related == theirs.related


def test_web_app_and_cli_with_the_manticore_backend(archives, sphinx_cluster, tmp_path) -> None:  # noqa: F811
    manticore, whoosh = archives
    expected = whoosh.search(SearchRequest(query="oil")).total
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)}, backend=manticore)
    answer = app.test_client().get("/api/search?q=oil")
    assert answer.status_code == 200 and answer.get_json()["total"] == expected
    assert "<mark>" in app.test_client().get("/search?q=oil").get_data(as_text=True)
    found = CliRunner().invoke(
        cli,
        ["search", "oil", "--json", "--backend", sphinx_cluster.url, "--index-dir", str(tmp_path)],
    )
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["total"] == expected


@pytest.mark.slow
def test_a_rebuild_is_never_seen_half_built(archives, sphinx_cluster) -> None:  # noqa: F811
    manticore, _ = archives
    whole = manticore.search(SearchRequest()).total
    seen: list[int] = []
    done = threading.Event()
    searcher = open_backend(sphinx_cluster.url, manticore.state_dir)

    def search_all_the_time() -> None:
        while not done.is_set():
            seen.append(searcher.search(SearchRequest(per_page=1)).total)

    thread = threading.Thread(target=search_all_the_time)
    thread.start()
    try:
        report = index_into([SAMPLES], manticore.state_dir, sphinx_cluster.url, rebuild=True)
    finally:
        done.set()
        thread.join()
        searcher.close()
    assert report.added + report.updated + report.unchanged == whole
    assert len(seen) > 3 and set(seen) == {whole}


@pytest.mark.slow
def test_a_shard_down_gives_a_partial_answer_naming_it(archives, sphinx_cluster) -> None:  # noqa: F811
    manticore, _ = archives
    whole = manticore.search(SearchRequest()).total
    sphinx_cluster.stop_shard(1)
    try:
        page = manticore.search(SearchRequest())
        port = sphinx_cluster.layout[1].sql_port
        assert page.partial and page.missing_shards == [f"news_s1 at 127.0.0.1:{port}"]
        assert 0 < page.total < whole
        with pytest.raises(BackendUnavailable, match="partial"):
            manticore.export_hits(SearchRequest())
        with pytest.raises(BackendUnavailable, match="news_s1|127.0.0.1"):
            index_into([SAMPLES], manticore.state_dir, sphinx_cluster.url)
    finally:
        sphinx_cluster.start_shard(1)
    assert manticore.search(SearchRequest()).total == whole


def test_a_server_not_reachable_is_one_line_naming_the_url(tmp_path: Path) -> None:
    from search.backends.manticore.servers import free_base_port

    url = f"manticore://127.0.0.1:{free_base_port(1)}/news"
    with pytest.raises(BackendUnavailable) as raised:
        open_backend(url, tmp_path)
    assert url in raised.value.message and "\n" not in raised.value.message
    found = CliRunner().invoke(cli, ["search", "oil", "--backend", url])
    assert found.exit_code != 0 and url in found.output
    assert "Traceback" not in found.output


def test_text_that_sql_and_sphinx_treat_specially_round_trips(sphinx_cluster, tmp_path) -> None:  # noqa: F811
    from datetime import UTC, datetime

    from search.models import Article, Entities, Locator, ParsedDate

    text = 'O\'Brien said \\\\ "quoted" -- DROP; <script>alert(1)</script> @title (a|b) ~x end'
    article = Article(
        id="hostile-1",
        title="It's <b>bold</b> \\ back",
        body=text,
        date=ParsedDate(datetime(1987, 3, 4, tzinfo=UTC), "day"),
        content_hash="h",
        locator=Locator("/tmp/x'y.txt"),
        source="O'Reilly \\ Press",
        entities=Entities(actors=["Pat O'Brien"], countries=["Côte d'Ivoire"]),
    )
    other = open_backend(sphinx_cluster.url, tmp_path)
    try:
        writer = other.writer(rebuild=False)  # in place, beside the samples; removed below
        writer.write([article], lambda _: None, None)
        writer.commit()
        assert other.article("hostile-1") == article
        page = other.search(SearchRequest(query="brien", actor=["Pat O'Brien"]))
        assert page.total == 1 and "<script>" not in page.hits[0].snippet
        assert page.facets["source"][0].value == "O'Reilly \\ Press"
        writer = other.writer(rebuild=False)
        writer.write([replace(article, body="a NUL\0here")], lambda _: None, None)
        writer.commit()
        assert other.article("hostile-1").body == "a NUL\ufffdhere"
    finally:
        writer = other.writer(rebuild=False)
        writer.delete(["hostile-1"])
        writer.commit()
        other.close()
