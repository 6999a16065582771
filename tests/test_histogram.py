"""The date histogram picks its level from the data and labels its ends and its tallest bar."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from search.web import create_app
from tests.indexing import index_into

ARCHIVES = {
    "one month": ["1987-03-03", "1987-03-10", "1987-03-10", "1987-03-24"],
    "one year": ["1987-02-26", "1987-03-10", "1987-10-19"],
    "two years": ["1986-12-30", "1987-01-02"],
}


def archive_client(tmp_path: Path, dates: list[str]):
    """A test client on an index of short wire stories with these dates."""
    source = tmp_path / "wire.jsonl"
    stories = [
        {"title": f"Cocoa talks, day {n}", "body": f"Cocoa producers met again ({n}).", "date": d}
        for n, d in enumerate(dates)
    ]
    source.write_text("\n".join(json.dumps(story) for story in stories), encoding="utf-8")
    index_into([source], tmp_path / "index", workers=1)
    return create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})


@pytest.mark.parametrize(
    ("archive", "level", "first", "last", "bars", "tallest"),
    [
        ("one month", "day", "1987-03-01", "1987-03-31", 31, "2 articles, 1987-03-10"),
        ("one year", "month", "Jan 1987", "Dec 1987", 12, "1 article, Feb 1987"),
        ("two years", "year", "1986", "1987", 2, "1 article, 1986"),
    ],
)
def test_the_level_follows_the_archives_spread(
    tmp_path: Path, archive: str, level: str, first: str, last: str, bars: int, tallest: str
) -> None:
    app = archive_client(tmp_path, ARCHIVES[archive])
    try:
        page = app.test_client().get("/search").get_data(as_text=True)
    finally:
        app.extensions["backend"].close()
    assert f"Per {level}" in page
    assert re.search(rf'<p class="axis"><span>{first}</span><span>{last}</span></p>', page)
    assert page.count('<rect class="slot"') + page.count('<rect class="bar empty"') == bars
    assert f"Tallest bar: {tallest}." in page
    slot = r'<rect class="slot" x="[^"]*" y="0" width="([^"]*)"'
    widths = {float(width) for width in re.findall(slot, page)}
    assert widths and min(widths) >= 24
