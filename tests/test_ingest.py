"""The ingest stage: every record of every format comes out as an article or a located error."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from search.ingest import UNKNOWN_FORMAT, detect_format, read_paths
from search.ingest.decoding import decode_bytes
from search.ingest.text import make_title
from search.models import Locator, RawArticle, RecordError
from tests.conftest import SEED, need, reuters_files

ARCHIVE = Path(__file__).parent / "fixtures" / "ingest" / "archive"


def read_split(*paths: Path) -> tuple[list[RawArticle], list[RecordError]]:
    """Read paths and separate the articles from the errors, each in order."""
    records = list(read_paths(paths))
    articles = [r for r in records if isinstance(r, RawArticle)]
    errors = [r for r in records if isinstance(r, RecordError)]
    assert len(articles) + len(errors) == len(records)
    return articles, errors


def where(error: RecordError) -> tuple[int | None, int | None]:
    """An error's record and line number."""
    return error.locator.record, error.locator.line


# Plain text ------------------------------------------------------------------------------------


def test_text_article_has_date_first_sentence_title_and_subheadings() -> None:
    articles, errors = read_split(ARCHIVE / "2023" / "harbour.txt")
    assert errors == []
    [article] = articles
    assert article.locator == Locator(path=str(ARCHIVE / "2023" / "harbour.txt"))
    assert article.date_text == "2023-03-14"
    assert article.title == (
        "Harbour authorities in Port Ellery reopened the northern quay on Tuesday"
        " after three weeks of repairs"
    )
    assert article.extra["subheadings"] == [
        "Ferries return to the north side",
        "What the repairs cost",
    ]
    assert article.body.startswith("Harbour authorities in Port Ellery")
    assert "\n\nFerries return to the north side\n\n" in article.body
    assert article.body.endswith("coastal resilience fund.")
    assert article.source_id is None


def test_text_title_does_not_stop_at_abbreviations_and_format_is_sniffed() -> None:
    articles, errors = read_split(ARCHIVE / "2023" / "march" / "story")  # no extension
    assert errors == []
    assert [(a.title, a.date_text) for a in articles] == [
        ("Mr. Okafor met U.S. officials in Washington on Monday", "2021-06-01")
    ]


def test_long_first_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    sentence = "The council " + "approved the plan again and " * 10 + "went home."
    title = make_title(sentence)
    assert len(title) <= 160
    assert title.endswith("…")
    assert sentence.startswith(title[:-1])
    assert title[-2] != " " and sentence[len(title) - 1] == " "


def test_windows_1252_text_is_decoded_not_dropped() -> None:
    articles, errors = read_split(ARCHIVE / "legacy" / "cp1252.txt")
    assert errors == []
    [article] = articles
    assert article.title == "Café owners in Port Ellery “welcome” the return of the summer ferries"
    assert article.body.endswith("Prices at the quay rose by €2 this year…")
    assert article.date_text == ""


def test_utf16_text_with_bom_is_decoded() -> None:
    articles, errors = read_split(ARCHIVE / "legacy" / "utf16.txt")
    assert errors == []
    [article] = articles
    assert article.date_text == "2022-12-01"
    assert article.title == "Snow closed the mountain pass at Kirrin for the first time since 2019"
    assert "\r" not in article.body


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file: no articles in it"),
        ("blob.txt", "binary content, not text"),
        ("notes.xyz", UNKNOWN_FORMAT),
    ],
)
def test_unreadable_file_is_one_error_for_the_file(name: str, reason: str) -> None:
    path = ARCHIVE / "legacy" / name
    assert list(read_paths([path])) == [RecordError(Locator(path=str(path)), reason)]


def test_missing_path_is_an_error_and_the_run_goes_on() -> None:
    missing = ARCHIVE / "no-such-file.txt"
    records = list(read_paths([missing, ARCHIVE / "2023" / "harbour.txt"]))
    assert records[0] == RecordError(Locator(path=str(missing)), "no such file or directory")
    assert isinstance(records[1], RawArticle)
    assert list(read_paths(str(missing))) == records[:1]  # a bare path, not a list of paths


# JSON -------------------------------------------------------------------------------------------


def test_jsonl_reads_every_good_line_and_locates_every_bad_one() -> None:
    articles, errors = read_split(ARCHIVE / "feeds" / "wire.jsonl")
    assert [where(e) for e in errors] == [(3, 4), (4, 5), (5, 6)]
    assert errors[0].reason.startswith("not valid JSON: Expecting ',' delimiter")
    assert errors[1].reason == "not a JSON object but an array"
    assert errors[2].reason.startswith("no title or text")
    first, second, third = articles
    assert (first.locator.record, first.locator.line) == (1, 1)
    assert first.title == "Bridge toll frozen for another year"
    assert first.date_text == "2023-04-02T09:30:00Z"
    assert (first.source_id, first.url, first.source) == (
        "w-1",
        "https://example.org/w-1",
        "Ellery Gazette",
    )
    assert first.extra == {"section": "local"}
    # Keys match aliases whatever their case; an epoch number is kept as its digits.
    assert (second.title, second.date_text, second.source_id) == (
        "Library opens on Sundays",
        "1680000000",
        "42",
    )
    assert second.extra == {"tags": ["culture"]}
    assert third.body == "Quotas for cod fall by a tenth.\n\nSkippers met on Monday."
    assert third.source == "Coast Radio"


def test_gzipped_jsonl_is_read_through_gzip() -> None:
    articles, errors = read_split(ARCHIVE / "feeds" / "wire-archive.jsonl.gz")
    assert errors == []
    assert [(a.source_id, a.title, a.date_text) for a in articles] == [
        ("z-1", "Ferry timetable published", "2023-04-20"),
        ("z-2", "Pier lights replaced", "2023-04-21"),
    ]


def test_json_array_reports_a_non_object_element_with_its_line() -> None:
    articles, errors = read_split(ARCHIVE / "feeds" / "bulletin.json")
    assert [(a.locator.record, a.locator.line, a.title) for a in articles] == [
        (1, 2, "Tide tables revised"),
        (2, 3, "Lighthouse repainted"),
        (4, 5, "Harbour fees"),
    ]
    assert [(where(e), e.reason) for e in errors] == [((3, 4), "not a JSON object but a string")]
    assert articles[1].source_id == "b-2"
    assert articles[2].url == "https://example.org/fees"


def test_json_wrapper_object_yields_its_list_of_articles() -> None:
    articles, errors = read_split(ARCHIVE / "feeds" / "wrapped.json")
    assert errors == []
    assert [(a.title, a.date_text) for a in articles] == [
        ("Coastal path reopens", "Tue, 02 May 2023 08:00:00 GMT"),
        ("New lifeboat named", "Wed, 03 May 2023 08:00:00 GMT"),
    ]
    assert articles[0].body == "The cliff path is open again after a rockfall."


def test_broken_json_array_keeps_the_elements_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('[\n{"title": "One"},\n{"title": "Two"},\n{"title": "Thr', encoding="utf-8")
    articles, errors = read_split(path)
    assert [a.title for a in articles] == ["One", "Two"]
    assert [where(e) for e in errors] == [(3, 4)]
    assert errors[0].reason.startswith("not valid JSON, the rest of the file is skipped")


def test_single_object_json_and_pretty_printed_jsonl(tmp_path: Path) -> None:
    one = {"headline": "Only story", "article": "Just one.", "pubdate": "2023-01-01"}
    (tmp_path / "one.json").write_text(json.dumps(one), encoding="utf-8")
    (tmp_path / "pretty.jsonl").write_text(json.dumps(one, indent=2), encoding="utf-8")
    articles, errors = read_split(tmp_path)
    assert errors == []
    assert [(a.title, a.body, a.date_text) for a in articles] == [
        ("Only story", "Just one.", "2023-01-01")
    ] * 2


def test_gzip_that_is_not_gzip_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b'{"title": "plain"}\n')
    [error] = list(read_paths([path]))
    assert isinstance(error, RecordError)
    assert error.reason.startswith("not a readable gzip file")


# CSV --------------------------------------------------------------------------------------------


def test_csv_handles_quoted_newlines_and_reports_a_ragged_row() -> None:
    articles, errors = read_split(ARCHIVE / "feeds" / "listings.csv")
    assert [(a.locator.record, a.locator.line, a.source_id) for a in articles] == [
        (1, 2, "c-1"),
        (2, 4, "c-2"),
        (4, 7, "c-4"),
    ]
    assert [(where(e), e.reason) for e in errors] == [
        ((3, 5), "row has 9 fields, the header has 6")
    ]
    market = articles[0]
    assert market.body == (
        "The market hall on Quay Street reopened on Saturday.\nStallholders said trade was brisk."
    )
    assert (market.date_text, market.source, market.extra) == (
        "2023-06-03",
        "Ellery Gazette",
        {"section": "business"},
    )
    assert articles[2].title == "Quoted, with comma"
    assert articles[2].source is None


def test_csv_delimiter_is_sniffed() -> None:
    articles, errors = read_split(ARCHIVE / "feeds" / "regional.csv")
    assert errors == []
    assert [(a.title, a.body, a.date_text) for a in articles] == [
        ("Snow on the pass", "Drivers were turned back at Kirrin.", "12/01/2022"),
        ("Pass reopens", "The road over the pass reopened at noon.", "12/02/2022"),
    ]


def test_csv_field_larger_than_the_default_limit(tmp_path: Path) -> None:
    body = "word " * 60_000  # 300 kB, past csv's default 128 kB field limit
    path = tmp_path / "big.csv"
    path.write_text(f'title,body\nBig,"{body}"\n', encoding="utf-8")
    articles, errors = read_split(path)
    assert errors == []
    assert articles[0].body == body.strip()


# Reuters SGML -----------------------------------------------------------------------------------


def test_reuters_fixture_articles_and_malformed_records() -> None:
    articles, errors = read_split(ARCHIVE / "wire" / "sample.sgm")
    assert [a.source_id for a in articles] == ["101", "102", "103", "106"]
    assert [(where(e), e.reason) for e in errors] == [
        ((4, 62), "truncated record: no </REUTERS> before the next record"),
        ((5, 77), "malformed record: no NEWID attribute"),
    ]
    ferry, brief, unprocessed, bank = articles
    assert (ferry.locator.record, ferry.locator.line) == (1, 2)
    assert ferry.title == "FERRY LINE <ELLERY> ADDS SAILINGS"
    assert ferry.dateline == "PORT ELLERY"
    assert ferry.date_text == "14-MAR-1987 10:15:00.00"
    assert ferry.body == (
        "Ellery Ferries & Co said it would\nadd two sailings a day to the Calder Isles from April."
        "\n    The company said bookings were up 12 pct."
    )
    assert ferry.extra["topics"] == ["ship"]
    assert ferry.extra["places"] == ["uk", "ireland"]
    assert (ferry.extra["oldid"], ferry.extra["lewissplit"]) == ("9001", "TRAIN")
    assert (brief.title, brief.body, brief.extra["text_type"]) == (
        "HARBOUR DUES UNCHANGED FOR 1987",
        "",
        "BRIEF",
    )
    assert unprocessed.title == "HARBOUR DUES TABLE - MARCH 14"
    assert unprocessed.body == "Vessel class      dues\n Small........ 40 vs 38"
    # Latin-1 bytes in the file; a malformed date is passed on untouched.
    assert bank.title == "SOCIÉTÉ GÉNÉRALE OPENS ELLERY OFFICE"
    assert bank.body.endswith("its chairman Jean Dumont told Reuters.")
    assert bank.date_text == "31-MAR-1987 605:12:19.12"
    assert (bank.extra["people"], bank.extra["orgs"], bank.extra["exchanges"]) == (
        ["dumont"],
        ["ec"],
        ["lse"],
    )
    assert (bank.author, bank.agency) == ("A. Writer", "Reuters")
    assert "author" not in bank.extra


# Directories, detection, decoding ---------------------------------------------------------------


def test_directory_is_read_recursively_in_order_skipping_hidden_files() -> None:
    records = list(read_paths([ARCHIVE]))
    files = list(
        dict.fromkeys(Path(r.locator.path).relative_to(ARCHIVE).as_posix() for r in records)
    )
    assert files == [
        "2023/harbour.txt",
        "2023/march/story",
        "feeds/bulletin.json",
        "feeds/listings.csv",
        "feeds/regional.csv",
        "feeds/wire-archive.jsonl.gz",
        "feeds/wire.jsonl",
        "feeds/wrapped.json",
        "legacy/blob.txt",
        "legacy/cp1252.txt",
        "legacy/empty.txt",
        "legacy/notes.xyz",
        "legacy/utf16.txt",
        "wire/sample.sgm",
    ]
    articles = [r for r in records if isinstance(r, RawArticle)]
    assert (len(articles), len(records) - len(articles)) == (23, 10)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"", "text"),
        ("a.JSONL", b"", "jsonl"),
        ("a.ndjson", b"", "jsonl"),
        ("a.json", b"", "json"),
        ("a.csv", b"", "csv"),
        ("reut2-000.sgm", b"", "reuters"),
        ("a.sgml", b"", "reuters"),
        ("a.jsonl.gz", b"", "jsonl"),
        ("a.csv.gz", b"", "csv"),
        ("feed", b'  {"title": "x"}\n', "jsonl"),
        ("feed", b'\xef\xbb\xbf[{"title": "x"}]', "json"),
        ("wire", b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n', "reuters"),
        ("wire.dat", b'<REUTERS NEWID="1">', "reuters"),
        ("story", b" date 2022-11-09 Relations between", "text"),
        ("story.gz", b" date 2022-11-09 Relations between", "text"),
        ("notes.md", b"# Notes\n", None),
        ("image", b"\x89PNG\r\n\x1a\n\x00\x00", None),
        # Feeds, pages, crawls and newsroom XML: by extension, else by the first element.
        ("a.xml", b'<?xml version="1.0"?>\n<!-- x --><rss version="2.0">', "feed"),
        ("a.xml", b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("a.xml", b"<rdf:RDF xmlns:rdf='x'>", "feed"),
        ("a.xml", b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "x.dtd"><nitf>', "nitf"),
        ("a.xml", b"<newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'>", "newsml"),
        ("a.xml", b"<g2:newsItem xmlns:g2='x'>", "newsml"),
        ("a.xml", b"<catalog><book/></catalog>", None),
        ("page", b"<!doctype html><html>", "html"),
        ("feed.html", b"<rss version='2.0'>", "feed"),
        ("crawl", b"WARC/1.1\r\nWARC-Type: warcinfo", "warc"),
        ("crawl.warc.gz", b"", "warc"),
        ("story.nitf", b"", "nitf"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str | None) -> None:
    assert detect_format(Path(name), head) == expected


def test_decoding_falls_back_byte_by_byte_and_honours_boms() -> None:
    # UTF-8 around one stray Windows-1252 byte (0x93, a left quote) stays intact.
    assert decode_bytes("Zürich ".encode() + b"\x93quoted\x94") == "Zürich “quoted”"
    # 0x81 is undefined in Windows-1252: Latin-1 takes it.
    assert decode_bytes(b"a\x81b") == "a\x81b"
    assert decode_bytes(b"\xef\xbb\xbfcaf\xc3\xa9\r\nnext\rlast") == "café\nnext\nlast"
    assert decode_bytes("\ufeffΚαλημέρα".encode("utf-16-be")) == "Καλημέρα"


# Real data (integration) ------------------------------------------------------------------------


@pytest.mark.integration
def test_seed_article() -> None:
    articles, errors = read_split(need(SEED))
    assert errors == []
    [article] = articles
    assert article.date_text == "2022-11-09"
    assert article.title.startswith("Relations between Russia and the United States")
    assert len(article.title) <= 160 and article.title.endswith("…")
    assert article.extra["subheadings"] == [
        "Russia accused of meddling with US midterm elections",
        "Deteriorating US-Russia ties",
    ]
    assert article.body.startswith("Relations between Russia")
    assert article.body.endswith("for natural gas.")


@pytest.fixture(scope="module")
def reuters_records() -> tuple[list[Path], list[RawArticle | RecordError]]:
    """The Reuters-21578 files and all their records."""
    files = reuters_files()
    return files, list(read_paths(files))


@pytest.mark.integration
def test_reuters_every_element_is_one_article(
    reuters_records: tuple[list[Path], list[RawArticle | RecordError]],
) -> None:
    files, records = reuters_records
    assert len(files) == 11
    start_tags = sum(path.read_bytes().count(b"<REUTERS") for path in files)
    articles = [r for r in records if isinstance(r, RawArticle)]
    assert len(records) == start_tags == 11_000
    assert len(articles) == start_tags
    newids = [a.source_id for a in articles]
    assert len(set(newids)) == len(newids)


@pytest.mark.integration
def test_reuters_real_records_are_clean(
    reuters_records: tuple[list[Path], list[RawArticle | RecordError]],
) -> None:
    _, records = reuters_records
    articles = [r for r in records if isinstance(r, RawArticle)]
    first = articles[0]
    assert (first.source_id, first.title, first.dateline) == (
        "1",
        "BAHIA COCOA REVIEW",
        "SALVADOR",
    )
    assert first.date_text == "26-FEB-1987 15:01:01.79"
    assert first.extra["places"] == ["el-salvador", "usa", "uruguay"]
    assert first.extra["topics"] == ["cocoa"]
    brief = next(a for a in articles if a.extra["text_type"] == "BRIEF")
    assert brief.title and brief.body == ""
    unprocessed = [a for a in articles if a.extra["text_type"] == "UNPROC"]
    # UNPROC texts have no tags: the first line is the title; one of them is nothing else.
    assert len(unprocessed) == 56 and all(a.title for a in unprocessed)
    assert sum(1 for a in unprocessed if a.body) == 55
    assert not any("\x03" in a.body or "&#" in a.body or "&lt;" in a.body for a in articles)
    assert not any(a.body.rstrip(". ").endswith(("Reuter", "REUTER")) for a in articles)


@pytest.mark.integration
def test_gzip_copy_of_a_real_file_reads_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "seed.txt.gz"
    copy.write_bytes(gzip.compress(need(SEED).read_bytes()))
    [plain], [zipped] = read_split(SEED)[0], read_split(copy)[0]
    assert (zipped.title, zipped.body, zipped.date_text) == (
        plain.title,
        plain.body,
        plain.date_text,
    )
