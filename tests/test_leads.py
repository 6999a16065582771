"""Datelines and bylines at the start of a body: taken into fields, never left in the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.leads import parse_byline, parse_dateline, split_lead
from search.web import create_app


@pytest.mark.parametrize(
    ("body", "place", "author", "agency", "story"),
    [
        ("MOSCOW (Reuters) - The Kremlin said", "MOSCOW", None, "Reuters", "The Kremlin said"),
        ("WASHINGTON, March 3 - The Senate voted", "WASHINGTON", None, None, "The Senate voted"),
        ("LONDON, Jan 5 (AP) — Prices rose", "LONDON", None, "AP", "Prices rose"),
        ("PORTLAND, Ore., Feb 26 -\n  Shr 34 cts", "PORTLAND, Ore.", None, None, "Shr 34 cts"),
        ("Copenhagen, Denmark - The minister", "Copenhagen, Denmark", None, None, "The minister"),
        ("By Jane Doe\n\nThe market fell", None, "Jane Doe", None, "The market fell"),
        (
            "By Jane Doe, Associated Press Writer\nSAO PAULO, Brazil, May 3 (AP) - Coffee",
            "SAO PAULO, Brazil",
            "Jane Doe",
            "AP",
            "Coffee",
        ),
        ("By Reuters Staff\nOil rose", None, None, "Reuters", "Oil rose"),
    ],
)
def test_leads_become_fields(body: str, place, author, agency, story: str) -> None:
    lead = split_lead(body)
    assert (lead.place, lead.author, lead.agency, lead.body) == (place, author, agency, story)


@pytest.mark.parametrize(
    "body",
    [
        "By the end of the year, prices had doubled.",
        "Hannah Becker - the exchange's economist - said stocks were high.",
        "Australia's most experienced state leader - Bob Carr - resigned.",
        "The Spain Islamic Commission — a body of clerics — condemned it.",
        "Apple Inc (AAPL.O) - shares rose",
        "In London - Paris talks, nothing moved.",
        "LONDON -",
        "Grain prices held steady on the Baltic exchange this week.",
    ],
)
def test_first_sentences_are_never_cut(body: str) -> None:
    assert split_lead(body).body is body


def test_a_byline_on_its_own_gives_author_and_agency() -> None:
    assert parse_byline("    By Greg McCune, Reuters") == ("Greg McCune", "Reuters")
    assert parse_byline("by A. Writer") == ("A. Writer", None)
    assert parse_byline("  ") == (None, None)


def test_a_dateline_on_its_own_gives_its_place() -> None:
    assert parse_dateline("    NEW YORK, March 2 - ") == "NEW YORK"
    assert parse_dateline("  ROCHESTER, N.Y., Feb 26 - ") == "ROCHESTER, N.Y."
    assert parse_dateline("somewhere odd -") == "somewhere odd"


def write_wire(folder: Path) -> Path:
    """A JSON Lines file whose bodies start with a dateline, a byline, or neither."""
    rows = [
        {
            "id": "nairobi",
            "title": "Central bank holds rate",
            "date": "2021-03-04",
            "body": "NAIROBI (Reuters) - The central bank held its lending rate at seven "
            "percent on Thursday, citing stable inflation.",
        },
        {
            "id": "byline",
            "title": "Dock strike ends",
            "date": "2021-03-05",
            "body": "By Jane Doe, Associated Press\nMONTREAL, March 5 (AP) — Dock workers "
            "voted to end a strike that had idled the port for a week.",
        },
        {
            "id": "plain",
            "title": "Harvest report",
            "date": "2021-03-06",
            "body": "By the end of March, farmers had brought in most of the wheat.",
        },
    ]
    path = folder / "wire.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_leads_through_the_command_line_and_the_api(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    story = tmp_path / "moscow.txt"
    story.write_text(
        " date 2021-03-07\nMOSCOW (Reuters) - Talks on grain exports resume on Monday. "
        "Officials from both sides said so.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["index", str(write_wire(tmp_path)), str(story), "--index-dir", str(index_dir)],
    )
    assert result.exit_code == 0, result.output
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    client = app.test_client()
    try:
        nairobi = client.get("/api/article/nairobi").get_json()
        assert (nairobi["dateline"], nairobi["agency"]) == ("NAIROBI", "Reuters")
        assert nairobi["body"].startswith("The central bank held")
        assert "Kenya" in nairobi["countries"]  # the dateline's place counts for the country
        byline = client.get("/api/article/byline").get_json()
        assert (byline["author"], byline["agency"], byline["dateline"]) == (
            "Jane Doe",
            "AP",
            "MONTREAL",
        )
        assert byline["body"].startswith("Dock workers voted")
        plain = client.get("/api/article/plain").get_json()
        assert plain["body"].startswith("By the end of March")
        assert (plain["author"], plain["dateline"]) == (None, None)
        hits = client.get("/api/search", query_string={"q": "strike"}).get_json()["hits"]
        assert hits[0]["snippet"].startswith("Dock workers")
        text = client.get("/api/search", query_string={"q": "grain exports"}).get_json()
        assert text["hits"][0]["title"] == "Talks on grain exports resume on Monday"
        page = client.get("/article/byline").get_data(as_text=True)
        assert "MONTREAL" in page and "Jane Doe" in page
    finally:
        app.extensions["backend"].close()
