"""Dates: precision kept, UTC always, nothing guessed, garbled times recovered to the day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from search.dates import (
    describe_reading,
    format_date,
    month_key,
    parse_date,
    parse_date_bound,
    read_date,
)
from search.errors import BadRequest
from search.models import ParsedDate
from tests.conftest import reuters_files

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
GARBLED_REUTERS = "31-MAR-1987 605:12:19.12"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
       micro: int = 0) -> datetime:  # fmt: skip
    """A UTC datetime, to keep the tables short."""
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def reuters_dates() -> list[str]:
    """Every <DATE> of the Reuters-21578 files, read with a plain regex, not our reader."""
    return [
        match.decode("latin-1")
        for path in reuters_files()
        for match in re.findall(rb"<DATE>([^<]*)</DATE>", path.read_bytes())
    ]


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2022", at(2022, 1, 1), "year"),
        ("November 2022", at(2022, 11, 1), "month"),
        ("2022-11", at(2022, 11, 1), "month"),
        ("Nov 2022", at(2022, 11, 1), "month"),
        ("2022-11-09", at(2022, 11, 9), "day"),
        ("2022/11/09", at(2022, 11, 9), "day"),
        ("09.11.2022", at(2022, 11, 9), "day"),  # dotted: day first
        ("03/04/2022", at(2022, 3, 4), "day"),  # slashed: month first
        ("9 Nov 2022", at(2022, 11, 9), "day"),
        ("Nov 9, 2022", at(2022, 11, 9), "day"),
        ("20221109", at(2022, 11, 9), "day"),
        ("  2022-11-09\n", at(2022, 11, 9), "day"),
        ("9 November 2022 14:05", at(2022, 11, 9, 14, 5), "time"),
        ("9.11.2022 14:05", at(2022, 11, 9, 14, 5), "time"),
        ("2022-11-09T10:00:00Z", at(2022, 11, 9, 10), "time"),
        ("2022-11-09T10:00:00.250Z", at(2022, 11, 9, 10, 0, 0, 250000), "time"),
        ("2022-11-09 10:00", at(2022, 11, 9, 10), "time"),  # naive: taken as UTC
        ("2022-11-09T10:00:00+03:00", at(2022, 11, 9, 7), "time"),
        ("2022-11-09T01:00:00+03:00", at(2022, 11, 8, 22), "time"),  # the UTC day differs
        ("Wed, 09 Nov 2022 10:00:00 GMT", at(2022, 11, 9, 10), "time"),
        ("Wed, 09 Nov 2022 10:00:00 +0100", at(2022, 11, 9, 9), "time"),
        ("Nov 9, 2022 10:00 EST", at(2022, 11, 9, 15), "time"),
        ("Sun, 1 Mar 1987 22:00:00 PST", at(1987, 3, 2, 6), "time"),
        ("26-FEB-1987 15:01:01.79", at(1987, 2, 26, 15, 1, 1, 790000), "time"),
        ("3-MAR-1987  09:15:05.40", at(1987, 3, 3, 9, 15, 5, 400000), "time"),
        # Reuters-21578 wire codes glued to an intact time, raw and as our reader cleans them.
        ("27-MAR-1987 00:02:59.13&#5;&#5;&#5;F RM", at(1987, 3, 27, 0, 2, 59, 130000), "time"),
        ("27-MAR-1987 00:02:59.13RM", at(1987, 3, 27, 0, 2, 59, 130000), "time"),
        ("1667988000", at(2022, 11, 9, 10), "time"),
        ("1667988000000", at(2022, 11, 9, 10), "time"),
        ("1800-01-01", at(1800, 1, 1), "day"),
        ("2026-11-27", at(2026, 11, 27), "day"),  # within two days of now
    ],
)
def test_readable_dates_keep_their_precision_in_utc(
    text: str, expected: datetime, precision: str
) -> None:
    parsed = parse_date(text, now=NOW)
    assert (parsed.value, parsed.precision, parsed.reason) == (expected, precision, None)
    assert parsed.value is not None and parsed.value.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected", "garbage"),
    [
        (GARBLED_REUTERS, at(1987, 3, 31), "605:12:19.12"),
        ("31-MAR-1987 25:12:19.12", at(1987, 3, 31), "25:12:19.12"),
        ("Wed, 09 Nov 2022 25:61:00 GMT", at(2022, 11, 9), "25:61:00 GMT"),
        ("2022-11-09 10:00 ??:??", at(2022, 11, 9), "??:??"),  # the time before is not trusted
        ("09.11.2022 3pm-ish", at(2022, 11, 9), "3pm-ish"),
        ("2022-11-09 10:00 +99:00", at(2022, 11, 9), "+99:00"),  # an offset out of range
    ],
)
def test_garbled_time_keeps_the_day_and_says_so(
    text: str, expected: datetime, garbage: str
) -> None:
    parsed = parse_date(text, now=NOW)
    assert (parsed.value, parsed.precision) == (expected, "day")
    assert parsed.reason == f"time '{garbage}' unreadable, kept the day"


def test_unknown_zone_keeps_the_day_instead_of_guessing_the_offset() -> None:
    parsed = parse_date("2022-11-09 23:30 XYZT", now=NOW)
    assert (parsed.value, parsed.precision) == (at(2022, 11, 9), "day")
    assert parsed.reason == "time zone 'XYZT' unknown, kept the day"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no date"),
        (" \t\n", "no date"),
        ("yesterday", "unreadable date 'yesterday'"),
        ("soon", "unreadable date 'soon'"),
        ("0000-00-00", "unreadable date '0000-00-00'"),
        ("2022-13-45", "unreadable date '2022-13-45'"),
        ("2022-02-30", "unreadable date '2022-02-30'"),
        # Missing year or day: dateutil would fill them in from today.
        ("Tuesday", "unreadable date 'Tuesday'"),
        ("10:30", "unreadable date '10:30'"),
        ("November", "unreadable date 'November'"),
        ("Nov 9", "unreadable date 'Nov 9'"),
        ("Nov 2022 10:00", "unreadable date 'Nov 2022 10:00'"),
        # Numbers that dateutil would happily turn into dates.
        ("1 2 3", "unreadable date '1 2 3'"),
        ("99", "unreadable date '99'"),
        ("870226", "unreadable date '870226'"),
        ("the 2022 report", "unreadable date 'the 2022 report'"),
        ("1799-12-31", "implausible date '1799-12-31' (before 1800)"),
        ("1200", "implausible date '1200' (before 1800)"),
        ("2026-11-28", "implausible date '2026-11-28' (more than 2 days in the future)"),
        ("4102444800", "implausible date '4102444800' (more than 2 days in the future)"),
    ],
)
def test_unusable_dates_are_undated_with_the_reason(text: str, reason: str) -> None:
    assert parse_date(text, now=NOW) == ParsedDate(None, None, reason)


def test_future_is_judged_against_the_current_time_by_default() -> None:
    next_year = datetime.now(UTC).year + 1
    assert parse_date(str(next_year + 1)).reason == (
        f"implausible date '{next_year + 1}' (more than 2 days in the future)"
    )
    assert parse_date(f"{datetime.now(UTC) - timedelta(days=1):%Y-%m-%d}").precision == "day"


@pytest.mark.parametrize(
    "text",
    ["\x00", "9" * 40, "x" * 5000, "-1", "1e10", "2022-11-09T25:00", "0001-01-01T00:00+03:00",
     "9999-12-31T23:00-05:00", "31-FOO-1987 10:00:00.00", "Z"],
)  # fmt: skip
def test_odd_input_never_raises(text: str) -> None:
    parsed = parse_date(text, now=NOW)
    assert parsed.value is None and parsed.precision is None and parsed.reason


@pytest.mark.parametrize(
    ("text", "upper", "expected"),
    [
        ("March 1987", False, at(1987, 3, 1)),
        ("March 1987", True, at(1987, 3, 31, 23, 59, 59, 999999)),
        ("December 1987", True, at(1987, 12, 31, 23, 59, 59, 999999)),
        ("Feb 1988", True, at(1988, 2, 29, 23, 59, 59, 999999)),
        ("1987", False, at(1987, 1, 1)),
        ("1987", True, at(1987, 12, 31, 23, 59, 59, 999999)),
        ("1987-03-01", False, at(1987, 3, 1)),
        ("1987-03-01", True, at(1987, 3, 1, 23, 59, 59, 999999)),
        ("2022-11-09T10:00Z", False, at(2022, 11, 9, 10)),
        ("2022-11-09T10:00Z", True, at(2022, 11, 9, 10)),
        ("2099", True, at(2099, 12, 31, 23, 59, 59, 999999)),  # a far bound is harmless
        ("9999", True, at(9999, 12, 31, 23, 59, 59, 999999)),
    ],
)
def test_bounds_cover_the_whole_period(text: str, upper: bool, expected: datetime) -> None:
    assert parse_date_bound(text, upper=upper) == expected


@pytest.mark.parametrize("text", ["blah", "yesterday", "Tuesday", "2022-13-45", "   "])
def test_unreadable_bound_says_what_to_write_instead(text: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_date_bound(text, upper=False)
    expected = f"Cannot read '{text.strip()}' as a date; try 2022-11-09, Nov 2022 or 2022."
    assert caught.value.message == expected and caught.value.status == 400


@pytest.mark.parametrize(
    ("text", "shown", "bucket"),
    [
        ("2021", "2021", "2021"),
        ("March 2021", "2021-03", "2021-03"),
        ("2021-03-04", "2021-03-04", "2021-03"),
        ("2021-03-04T23:30:00-05:00", "2021-03-05", "2021-03"),  # the UTC day
        (GARBLED_REUTERS, "1987-03-31", "1987-03"),
        ("soon", None, "undated"),
        ("", None, "undated"),
    ],
)
def test_shown_at_its_precision(text: str, shown: str | None, bucket: str) -> None:
    parsed = parse_date(text, now=NOW)
    assert (format_date(parsed), month_key(parsed)) == (shown, bucket)


@pytest.mark.integration
def test_every_reuters_date_is_read_as_1987() -> None:
    parsed = [parse_date(text, now=NOW) for text in reuters_dates()]
    assert len(parsed) > 10_000
    unread = [p for p in parsed if p.value is None or p.value.year != 1987]
    assert unread == []
    # Only a garbled time may cost precision, and then the reason says so.
    assert {p.precision for p in parsed if p.reason is None} == {"time"}
    assert all(p.precision == "day" and "kept the day" in p.reason for p in parsed if p.reason)


@pytest.mark.parametrize(
    ("text", "day_first", "shown"),
    [
        ("10/03/1987", False, "3 Oct 1987"),
        ("10/03/1987", True, "10 Mar 1987"),
        ("10.03.1987", False, "10 Mar 1987"),
        ("March 1987", True, "Mar 1987"),
        ("1987", False, "1987"),
        ("1987-10-03T14:05:00Z", False, "3 Oct 1987 14:05 UTC"),
    ],
)
def test_a_reading_is_described_as_it_was_read(text: str, day_first: bool, shown: str) -> None:
    reading = read_date(text, day_first=day_first)
    assert reading is not None and describe_reading(reading) == shown
    bound = parse_date_bound(text, upper=False, day_first=day_first)
    assert bound == reading.moment
