"""Bad feeds, pages, crawls and XML: every record is indexed or reported, and the run goes on."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.webarchive import Capture, warc_bytes
from search.ingest import read_paths
from search.ingest.pages import NO_MAIN_TEXT
from search.models import RawArticle, RecordError
from tests.conftest import SAMPLES
from tests.indexing import index_into

GOOD_PAGE = (
    "<!DOCTYPE html><html><head><title>Quarry reopens</title></head><body><article>"
    "<h1>Quarry reopens</h1><p>The quarry at Greywell reopened on Monday after a safety review"
    " that lasted three months, the county council said.</p><p>Forty workers return to"
    " their jobs this week, and lorries will again use the north road.</p></article></body></html>"
)
NAVIGATION_ONLY = (
    "<!DOCTYPE html><html><head><title>Menu</title></head><body><nav><ul>"
    '<li><a href="/a">Home</a></li><li><a href="/b">News</a></li><li><a href="/c">Sport</a></li>'
    '</ul></nav><footer><a href="/p">Privacy</a></footer></body></html>'
)


def split(*paths: Path) -> tuple[list[RawArticle], list[RecordError]]:
    """Articles and errors read from paths."""
    records = list(read_paths(paths))
    return (
        [r for r in records if isinstance(r, RawArticle)],
        [r for r in records if isinstance(r, RecordError)],
    )


def test_feed_item_without_text_is_reported_and_the_others_read(tmp_path: Path) -> None:
    feed = tmp_path / "desk.rss"
    feed.write_text(
        "<rss version='2.0'><channel><title>Desk</title>"
        "<item><title>First</title><link>https://example.org/1</link></item>"
        "<item><link>https://example.org/2</link></item>"
        "<item><title>Third</title><description>Text.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    articles, errors = split(feed)
    assert [a.title for a in articles] == ["First", "Third"]
    [error] = errors
    assert (error.locator.path, error.locator.record) == (str(feed), 2)
    assert "neither a title nor a description" in error.reason


def test_feed_that_is_not_well_formed_keeps_what_it_can_and_says_so(tmp_path: Path) -> None:
    feed = tmp_path / "broken.rss"
    feed.write_text(
        "<rss version='2.0'><channel><title>Desk</title>"
        "<item><title>Kept</title><description>Read before the fault.</description></item>"
        "<item><title>Cut <b>off</title></item></channel>",
        encoding="utf-8",
    )
    articles, errors = split(feed)
    assert articles and articles[0].title == "Kept"
    [error] = errors
    assert error.locator.path == str(feed) and "not well-formed XML" in error.reason
    garbage = tmp_path / "garbage.atom"
    garbage.write_text("this is not a feed at all", encoding="utf-8")
    assert [e.reason.split(":")[0] for e in split(garbage)[1]] == ["not a readable feed"]


def test_page_with_no_main_text_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "menu.html"
    page.write_text(NAVIGATION_ONLY, encoding="utf-8")
    articles, errors = split(page)
    assert articles == [] and [(e.locator.path, e.reason) for e in errors] == [
        (str(page), NO_MAIN_TEXT)
    ]


def test_page_in_an_unknown_encoding_is_reported_unless_it_is_utf8(tmp_path: Path) -> None:
    unknown = tmp_path / "klingon.html"
    unknown.write_bytes(
        GOOD_PAGE.replace("<head>", '<head><meta charset="x-klingon">')
        .encode("utf-8")
        .replace(b"Greywell", b"Grey\xffwell")
    )
    readable = tmp_path / "labelled.html"
    readable.write_text(GOOD_PAGE.replace("<head>", '<head><meta charset="x-klingon">'), "utf-8")
    articles, errors = split(unknown, readable)
    assert [a.locator.path for a in articles] == [str(readable)]
    [error] = errors
    assert error.locator.path == str(unknown)
    assert "unknown character set 'x-klingon'" in error.reason


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    pages = [
        Capture(f"https://example.org/{n}", f"2021-01-0{n}T00:00:00Z", GOOD_PAGE.encode())
        for n in (1, 2, 3)
    ]
    whole = warc_bytes(pages)
    crawl = tmp_path / "cut.warc"
    crawl.write_bytes(whole[: len(whole) - 200])  # inside the last response record
    articles, errors = split(crawl)
    assert [a.url for a in articles] == ["https://example.org/1", "https://example.org/2"]
    [error] = errors
    assert error.locator.path == str(crawl) and error.locator.record == 6
    assert "https://example.org/3" in error.reason and "truncated" in error.reason


def test_cut_gzipped_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    pages = [
        Capture(f"https://example.org/{n}", f"2021-01-0{n}T00:00:00Z", GOOD_PAGE.encode())
        for n in (1, 2, 3)
    ]
    packed = gzip.compress(warc_bytes(pages))
    crawl = tmp_path / "cut.warc.gz"
    crawl.write_bytes(packed[: len(packed) - 100])  # the gzip stream ends early
    articles, errors = split(crawl)
    assert [a.url for a in articles][:2] == ["https://example.org/1", "https://example.org/2"]
    assert errors and all(error.locator.path == str(crawl) for error in errors)
    assert any("gzip" in error.reason for error in errors)


def test_warc_with_broken_headers_and_error_pages_is_reported(tmp_path: Path) -> None:
    pages = [
        Capture("https://example.org/ok", "2021-01-01T00:00:00Z", GOOD_PAGE.encode()),
        Capture(
            "https://example.org/gone",
            "2021-01-02T00:00:00Z",
            b"<p>Not found</p>",
            status="404 Not Found",
        ),
        Capture("https://example.org/menu", "2021-01-03T00:00:00Z", NAVIGATION_ONLY.encode()),
    ]
    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(warc_bytes(pages) + b"WARC/1.0\r\nthis is no header\r\n\r\n")
    articles, errors = split(crawl)
    assert [a.url for a in articles] == ["https://example.org/ok"]
    reasons = {e.locator.record: e.reason for e in errors}
    assert "HTTP status 404" in reasons[4]
    assert "malformed archive record" in reasons[7]
    assert NO_MAIN_TEXT in reasons[6]


def test_xml_that_is_not_well_formed_is_reported_with_its_line(tmp_path: Path) -> None:
    nitf = tmp_path / "story.nitf"
    nitf.write_text("<nitf>\n<head><title>T</title></head>\n<body><p>Open\n</body></nitf>", "utf-8")
    newsml = tmp_path / "item.xml"
    newsml.write_text("<newsItem><contentMeta><headline>H</headline></contentMeta>", "utf-8")
    articles, errors = split(nitf, newsml)
    assert articles == []
    assert [(e.locator.path, e.reason.split(":")[0]) for e in errors] == [
        (str(nitf), "not well-formed XML"),
        (str(newsml), "not well-formed XML"),
    ]
    assert errors[0].locator.line == 4  # where lxml finds the unclosed <p> ends


def test_newsml_item_without_text_is_reported_and_the_next_read(tmp_path: Path) -> None:
    message = tmp_path / "message.newsml"
    message.write_text(
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        '<newsItem guid="a"><contentMeta/></newsItem>'
        '<newsItem guid="b"><contentMeta><headline>Second</headline></contentMeta></newsItem>'
        "</itemSet></newsMessage>",
        encoding="utf-8",
    )
    articles, errors = split(message)
    assert [a.source_id for a in articles] == ["b"]
    assert [(e.locator.record, e.reason) for e in errors] == [(1, "no headline and no body text")]


def test_bad_files_of_every_format_never_stop_an_index_run(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.rss").write_text("<rss><channel><item>", encoding="utf-8")
    (archive / "b.html").write_text(NAVIGATION_ONLY, encoding="utf-8")
    (archive / "c.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\n")
    (archive / "d.wacz").write_bytes(b"PK\x03\x04 not a zip")
    (archive / "e.nitf").write_text("<nitf><body>", encoding="utf-8")
    (archive / "f.xml").write_text("<catalog/>", encoding="utf-8")
    report = index_into([archive, SAMPLES / "newsroom"], tmp_path / "index", workers=1)
    assert report.added == 2
    failed = sorted({Path(f.locator.path).name for f in report.failures})
    assert failed == ["a.rss", "b.html", "c.warc", "d.wacz", "e.nitf", "f.xml"]


def test_xml_in_an_unknown_encoding_is_reported(tmp_path: Path) -> None:
    story = tmp_path / "story.nitf"
    story.write_bytes(
        b'<?xml version="1.0" encoding="x-mac-klingon"?><nitf><body><body.content>'
        b"<p>Caf\x8e society</p></body.content></body></nitf>"
    )
    articles, errors = split(story)
    assert articles == []
    assert [(e.locator.path, e.reason) for e in errors] == [
        (str(story), "unknown character set 'x-mac-klingon' declared, and the text is not UTF-8")
    ]
