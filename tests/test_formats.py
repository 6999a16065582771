"""Feeds, saved pages, crawls and newsroom XML: what each reader takes from a real file."""

from __future__ import annotations

import gzip
import json
import socket
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.entities import main as main_entities
from bench.ingest import main as main_ingest
from bench.webarchive import Capture, warc_bytes
from search.cli import cli
from search.ingest import read_paths
from search.models import RawArticle, RecordError
from tests.conftest import SAMPLES

FEEDS, PAGES, CRAWLS, NEWSROOM = (
    SAMPLES / name for name in ("feeds", "pages", "crawls", "newsroom")
)


def articles_of(*paths: Path) -> list[RawArticle]:
    """The articles read from paths; any error fails the test with its message."""
    records = list(read_paths(paths))
    errors = [str(record) for record in records if isinstance(record, RecordError)]
    assert errors == []
    return [record for record in records if isinstance(record, RawArticle)]


def page_html(title: str, paragraphs: list[str], head: str = "", charset: str = "utf-8") -> str:
    """A saved article page with navigation, related links, comments and a footer around it."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>{head}'
        '</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        '<aside class="related"><h2>Related</h2><ul><li><a href="/x">Older story</a></li></ul>'
        "</aside><footer>Footer text of the site</footer></body></html>"
    )


# Feeds -----------------------------------------------------------------------------------------


def test_rss_items_have_link_date_author_source_and_content_as_text() -> None:
    first, second, _ = articles_of(FEEDS / "quayside-desk.rss")
    assert first.title == "Rotterdam opens a shore-power berth for cruise ships"
    assert first.url == "https://example.org/quayside/2021/06/rotterdam-shore-power"
    assert first.source_id is None  # the link is the id
    assert first.date_text == "2021-06-08T07:30:00Z"  # +0200 as UTC
    assert (first.author, first.source) == ("Pieter de Vries", "Quayside Desk")
    # content:encoded, not the one-line description, with its paragraphs and no markup
    assert first.body.startswith("Cruise ships docking in Rotterdam can now switch off")
    assert first.body.count("\n\n") == 2 and "<" not in first.body
    assert first.extra == {"categories": ["ports"]}
    # No content:encoded: the HTML description is the body, its link text kept as words.
    assert second.body.startswith("The backlog of containers at Mombasa has cleared")
    assert "<" not in second.body and "href" not in second.body


def test_atom_entries_prefer_the_published_date_and_take_text_content() -> None:
    copper, iceland, gobi = articles_of(FEEDS / "field-notes.atom")
    assert copper.date_text == "2022-09-14T20:20:00Z"  # published, not updated
    assert copper.body.endswith("through the rest of the year.")
    assert "&lt;" not in copper.body and "<p>" not in copper.body
    assert iceland.body.startswith("Greenhouse farms in Iceland")
    assert (iceland.author, iceland.source) == ("Sigrun Olafsdottir", "Field Notes")
    assert gobi.date_text == "2022-09-08T03:00:00Z"  # updated, as it has no published date
    assert gobi.body.count("\n\n") == 1 and "&lt;" not in gobi.body


def test_rss_1_in_an_xml_file_is_sniffed_and_a_guid_is_the_id_without_a_link(
    tmp_path: Path,
) -> None:
    rdf = tmp_path / "wire.xml"
    rdf.write_text(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>Wire One</title></channel>'
        '<item rdf:about="https://example.org/one"><title>Quota talks resume</title>'
        "<link>https://example.org/one</link><description>Talks resumed.</description></item>"
        "</rdf:RDF>",
        encoding="utf-8",
    )
    guid_only = tmp_path / "guids"  # no extension: sniffed
    guid_only.write_text(
        '<rss version="2.0"><channel><title>Desk</title><item><title>Only a guid</title>'
        '<guid isPermaLink="false">desk-77</guid><description>Text.</description></item>'
        "</channel></rss>",
        encoding="utf-8",
    )
    [one] = articles_of(rdf)
    assert (one.title, one.url, one.source) == (
        "Quota talks resume",
        "https://example.org/one",
        "Wire One",
    )
    [guid] = articles_of(guid_only)
    assert (guid.url, guid.source_id) == (None, "desk-77")


# Saved pages -----------------------------------------------------------------------------------


def test_saved_page_keeps_the_article_and_none_of_the_furniture() -> None:
    [page] = articles_of(PAGES / "salt-flats-lithium.html")
    assert page.title == "Bolivia signs lithium deal for Uyuni salt flats"
    assert page.body.startswith("Bolivia signed an agreement on Tuesday")
    assert page.body.endswith("would watch the water tables closely.")
    assert page.body.count("\n\n") == 2
    furniture = [
        "cookie",
        "Subscribe",
        "Related stories",
        "Copper protests",
        "reader_4412",
        "Who will check",
        "All rights reserved",
        "Privacy policy",
        "Published 7 February",
    ]
    assert [text for text in furniture if text in page.body] == []
    assert page.date_text == "2023-02-07"  # published, not the update of 9 February
    assert (page.author, page.source) == ("Lucia Mamani", "The Andean Ledger")
    assert page.url == "https://example.org/ledger/2023/02/bolivia-lithium-uyuni"


def test_page_in_a_declared_legacy_charset_is_decoded_by_it(tmp_path: Path) -> None:
    words = ["Москва объявила новые правила для портов страны в понедельник утром."] * 3
    saved = tmp_path / "moscow.htm"
    saved.write_bytes(page_html("Порты", words, charset="windows-1251").encode("windows-1251"))
    [page] = articles_of(saved)
    assert page.body.startswith("Москва объявила новые правила")


# Crawls ----------------------------------------------------------------------------------------


def test_crawl_gives_one_article_per_url_the_newest_capture_and_counts_merges() -> None:
    wind, cable = articles_of(CRAWLS / "nordic-energy.warc")
    assert wind.url == wind.source_id == "https://example.org/energy/2020/11/bergen-floating-wind"
    assert "Fishermen's groups in Norway" in wind.body  # only in the later capture
    assert wind.merged == 1 and cable.merged == 0
    assert wind.date_text == "2020-11-16"  # the page's own date, not the capture's
    assert "Most read" not in wind.body and "newsletter" not in wind.body
    assert (cable.author, cable.source) == ("Mette Kjaer", "Nordic Energy Review")


def test_capture_date_is_the_fallback_and_gzipped_records_and_wacz_are_read(
    tmp_path: Path,
) -> None:
    undated = page_html("Undated page", ["A page that carries no date of its own at all."] * 2)
    captures = [Capture("https://example.org/u", "2019-05-04T03:02:01Z", undated.encode())]
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(warc_bytes(captures, compress=True))
    [article] = articles_of(crawl)
    assert article.date_text == "2019-05-04T03:02:01Z"
    package = tmp_path / "crawl.wacz"
    with zipfile.ZipFile(package, "w") as wacz:
        wacz.writestr("datapackage.json", "{}")
        wacz.writestr("archive/data.warc.gz", warc_bytes(captures, compress=True))
    [packaged] = articles_of(package)
    assert (packaged.url, packaged.body) == (article.url, article.body)


def test_index_run_says_how_many_captures_were_merged(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["index", str(CRAWLS), "--index-dir", str(tmp_path / "index"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "2 records seen = 2 indexed + 0 failed" in result.stdout
    assert "1 older captures of the same pages merged" in result.stdout


# Newsroom XML ----------------------------------------------------------------------------------


def test_nitf_headline_byline_dateline_date_and_tagged_entities() -> None:
    [story] = articles_of(NEWSROOM / "ferry-strike.nitf.xml")
    assert story.title == "Greek ferry crews end strike after pay deal"
    assert (story.author, story.dateline, story.agency) == (
        "Eleni Georgiou",
        "PIRAEUS",
        "Aegean Wire Service",
    )
    assert story.date_text == "2021-07-15T17:30:00Z"
    assert story.source_id == "nitf-sample-0001"
    assert story.body.count("\n\n") == 2 and story.body.startswith("Ferry crews in Greece ended")
    assert story.labels == {
        "people": ["Nikos Papadakis"],
        "orgs": ["Panhellenic Seamen's Federation"],
        "places": ["Piraeus", "Greece"],
    }


def test_newsml_item_metadata_subjects_and_inline_text() -> None:
    [item] = articles_of(NEWSROOM / "reef-survey.newsml.xml")
    assert item.title == "Survey finds coral recovering on northern Great Barrier Reef"
    assert item.source_id == "urn:newsml:example.org:20220303:reef-survey"
    assert item.date_text == "2022-03-03T05:30:00+10:00"  # firstCreated
    assert (item.author, item.dateline, item.source, item.language) == (
        "Grace Whitfield",
        "TOWNSVILLE",
        "Pacific Desk",
        "en",
    )
    assert item.body.startswith("Coral cover on the northern Great Barrier Reef")
    assert item.labels == {
        "people": ["Anna Morrow"],
        "orgs": ["Australian Institute of Marine Science"],
        "places": ["Australia"],
    }


def test_reading_never_reaches_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both trafilatura/htmldate and feedparser fetch strings that look like URLs."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network used while reading files")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    (tmp_path / "link.html").write_text("https://example.org/elsewhere", encoding="utf-8")
    (tmp_path / "link.rss").write_text("https://example.org/feed.rss", encoding="utf-8")
    records = list(read_paths([SAMPLES, tmp_path]))
    assert attempts == []
    assert sum(isinstance(record, RawArticle) for record in records) >= 9


def test_gzipped_feed_reads_like_the_plain_one(tmp_path: Path) -> None:
    copy = tmp_path / "desk.rss.gz"
    copy.write_bytes(gzip.compress((FEEDS / "quayside-desk.rss").read_bytes()))
    plain = articles_of(FEEDS / "quayside-desk.rss")
    assert [(a.title, a.body) for a in articles_of(copy)] == [(a.title, a.body) for a in plain]


# Publisher labels ------------------------------------------------------------------------------


def test_article_page_shows_the_publisher_labels_escaped(client) -> None:
    html = client.get("/article/nitf-sample-0001").get_data(as_text=True)
    assert "Tagged by the publisher" in html
    assert "Organisations: Panhellenic Seamen&#39;s Federation" in html
    assert "Places: Piraeus; Greece" in html
    untagged = client.get("/api/search?q=Mombasa").get_json()["hits"][0]["id"]
    assert "Tagged by the publisher" not in client.get(f"/article/{untagged}").get_data(
        as_text=True
    )


def test_entity_bench_scores_the_labels_of_files_of_any_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "tagged.nitf"
    story.write_text(
        "<nitf><head><docdata><identified-content><person>Ricardo Solar</person>"
        "<person>Nobody Mentioned</person><location>Valparaiso</location>"
        "<location>Chile</location></identified-content></docdata></head><body><body.head>"
        "<hedline><hl1>Port workers end strike in Valparaiso</hl1></hedline></body.head>"
        "<body.content><p>Dockers in Chile returned to work on Tuesday. Labour minister"
        " Ricardo Solar told reporters the deal was fair. Solar said wages would rise.</p>"
        "</body.content></body></nitf>",
        encoding="utf-8",
    )
    main_entities(["--files", str(tmp_path), "--workers", "1", "--json"])
    figures = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert figures["docs"] == 1
    assert (figures["people_labels"], figures["people_recall"]) == (2, 0.5)
    # Valparaiso is a tagged place but no country: Chile alone is the country label.
    assert (figures["country_labels"], figures["country_recall"]) == (1, 1.0)


def test_ingest_bench_checks_what_it_times(capsys: pytest.CaptureFixture[str]) -> None:
    main_ingest(["--pages", "12", "--repeat-every", "5", "--json"])
    figures = json.loads(capsys.readouterr().out.splitlines()[-1])
    for name in ("html", "warc"):
        found = figures[name]
        assert (found["articles"], found["errors"]) == (12, 0), name
        assert (found["complete"], found["with_furniture"], found["right_date"]) == (12, 0, 12)
    assert figures["warc"]["merged"] == 3  # pages 0, 5 and 10 were captured twice


def test_arc_crawl_of_the_older_internet_archive_format_is_read(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Quarry reopens</title></head><body><article><p>"
        + (
            "The quarry at Greywell reopened on Monday after a safety review, the council said. "
            * 3
        )
        + "</p></article></body></html>"
    )
    http = f"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n{page}".encode()
    about = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = tmp_path / "old"  # no extension: the ARC header is sniffed
    arc.write_bytes(
        b"filedesc://old.arc 0.0.0.0 20010101000000 text/plain %d\n%s\n" % (len(about), about)
        + b"https://example.org/quarry 10.0.0.1 20010203040506 text/html %d\n" % len(http)
        + http
        + b"\n"
    )
    [article] = articles_of(arc)
    assert (article.url, article.title) == ("https://example.org/quarry", "Quarry reopens")
    assert article.date_text == "2001-02-03T04:05:06Z"  # the capture date: the page has none
    assert article.body.startswith("The quarry at Greywell reopened")


def test_page_dated_only_in_its_text_gets_that_date(tmp_path: Path) -> None:
    saved = tmp_path / "old-site.html"
    saved.write_text(
        page_html(
            "Ferry timetable changes",
            ["Posted 7 February 2013 by the desk."]
            + ["The winter ferry timetable changes on Monday, the operator said."] * 3,
        ),
        encoding="utf-8",
    )
    [page] = articles_of(saved)
    assert page.date_text == "2013-02-07"
