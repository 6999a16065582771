"""Dates: precision kept, UTC always, nothing guessed, malformed Reuters times recovered."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from search.dates import format_date, month_key, parse_date, parse_date_bound
from search.errors import BadRequest
from tests.conftest import reuters_files

NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2022-11-09", datetime(2022, 11, 9, tzinfo=UTC), "day"),
        ("2022", datetime(2022, 1, 1, tzinfo=UTC), "year"),
        ("November 2022", datetime(2022, 11, 1, tzinfo=UTC), "month"),
        ("2022-11", datetime(2022, 11, 1, tzinfo=UTC), "month"),
        ("Nov 9, 2022", datetime(2022, 11, 9, tzinfo=UTC), "day"),
        ("9 November 2022 14:05", datetime(2022, 11, 9, 14, 5, tzinfo=UTC), "time"),
        ("2022-11-09T10:00:00+03:00", datetime(2022, 11, 9, 7, 0, tzinfo=UTC), "time"),
        ("2022-11-09T10:00:00Z", datetime(2022, 11, 9, 10, 0, tzinfo=UTC), "time"),
        ("Wed, 09 Nov 2022 10:00:00 GMT", datetime(2022, 11, 9, 10, 0, tzinfo=UTC), "time"),
        ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC), "time"),
        ("1667988000", datetime(2022, 11, 9, 10, 0, tzinfo=UTC), "time"),
        ("1667988000000", datetime(2022, 11, 9, 10, 0, tzinfo=UTC), "time"),
        ("03/04/2022", datetime(2022, 3, 4, tzinfo=UTC), "day"),
    ],
)
def test_readable_dates(text: str, expected: datetime, precision: str) -> None:
    parsed = parse_date(text, now=NOW)
    assert (parsed.value, parsed.precision, parsed.reason) == (expected, precision, None)


def test_garbled_reuters_time_keeps_the_day() -> None:
    parsed = parse_date("31-MAR-1987 605:12:19.12", now=NOW)
    assert parsed.value == datetime(1987, 3, 31, tzinfo=UTC)
    assert parsed.precision == "day" and "605:12:19.12" in (parsed.reason or "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "no date"), ("   ", "no date"), ("yesterday", "unreadable"), ("Tuesday", "unreadable"),
     ("10:30", "unreadable"), ("0000-00-00", "unreadable"), ("2022-13-45", "unreadable"),
     ("2099-01-01", "implausible"), ("1200-05-05", "implausible")],
)  # fmt: skip
def test_unusable_dates_are_undated_with_a_reason(text: str, reason: str) -> None:
    parsed = parse_date(text, now=NOW)
    assert parsed.value is None and reason in (parsed.reason or "")


def test_bounds_cover_the_whole_period() -> None:
    assert parse_date_bound("March 1987", upper=False) == datetime(1987, 3, 1, tzinfo=UTC)
    end = datetime(1987, 3, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert parse_date_bound("March 1987", upper=True) == end
    assert parse_date_bound("1987", upper=True) == datetime(1987, 12, 31, 23, 59, 59, 999999, UTC)
    assert parse_date_bound("1987-02-28", upper=True).day == 28
    with pytest.raises(BadRequest, match="try 2022-11-09"):
        parse_date_bound("whenever", upper=False)


def test_shown_at_its_precision() -> None:
    assert format_date(parse_date("March 2021")) == "2021-03"
    assert month_key(parse_date("March 2021")) == "2021-03"
    assert format_date(parse_date("2021")) == month_key(parse_date("2021")) == "2021"
    assert format_date(parse_date("2021-03-04T10:00Z")) == "2021-03-04"
    assert format_date(parse_date("soon")) is None and month_key(parse_date("soon")) == "undated"


def test_every_reuters_date_is_read() -> None:
    pattern = re.compile(rb"<DATE>([^<]*)</DATE>")
    texts = [m.decode() for f in reuters_files() for m in pattern.findall(f.read_bytes())]
    parsed = [parse_date(text, now=NOW) for text in texts]
    assert len(parsed) > 10_000
    assert all(p.value is not None and p.value.year == 1987 for p in parsed)
    assert any(p.reason for p in parsed)  # the garbled times are there, and recovered
