"""Dates: text becomes a UTC datetime with its precision, or undated with a reason."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from dateutil import parser as dateutil_parser

from search.errors import BadRequest
from search.models import ParsedDate, Precision

EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
MAX_DATE_LENGTH = 120  # longer "dates" are prose; dateutil would only waste time on them
MAX_PREFIX_WORDS = 6
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Some Reuters-21578 dates have the wire's category codes glued to the time
# ("00:02:59.13&#5;&#5;&#5;F RM"): the time is intact, the codes are not part of it.
REUTERS = re.compile(
    r"(\d{1,2})-([A-Za-z]{3})-(\d{4}) +(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
    r"(?:(?:&#\d+;|[\x00-\x1f])*[A-Z]{1,2}(?: [A-Z]{1,2})*)?"
)
EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")
DIGITS = re.compile(r"\d+")
FOUR_DIGITS = re.compile(r"\d{4}")
# 09.11.2022 is written day first wherever dots separate a date (Europe, Russia).
DOTTED_DAY_FIRST = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}\b")

# Zone abbreviations dateutil does not know by itself; ambiguous ones (IST) are left out.
ZONE_HOURS = {
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "HKT": 8, "SGT": 8, "JST": 9, "KST": 9, "AEST": 10,
    "AEDT": 11,
}  # fmt: skip
# Two defaults that differ in every field: a field dateutil did not find keeps its default,
# so comparing the two parses tells which fields the text really holds.
DEFAULT_EXAMPLE = datetime(2022, 11, 9)  # examples of dates where no archive offers its own
DEFAULT_A = datetime(2001, 1, 1, 0, 0, 0)
DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)


class Reading(NamedTuple):
    """A date read from text: UTC moment, precision and an optional note on what was dropped."""

    moment: datetime
    precision: Precision
    note: str | None = None


class UnknownZone(Exception):
    """dateutil found a zone name we cannot place; not a ValueError so that it escapes parse."""


def parse_date(text: str, *, now: datetime | None = None) -> ParsedDate:
    """Parse a date; never guesses, never raises: an unusable date is undated with the reason.

    Ambiguous numeric dates are read month first, 03/04/2022 as March 4 (the US newswire
    convention), except dotted ones, 09.11.2022 as 9 November (the European convention).
    Years must have four digits: dateutil would read "1 2 3" as 2003-01-02.
    Naive times are taken as UTC.
    """
    text = text.strip()
    if not text:
        return ParsedDate(None, reason="no date")
    reading = read_date(text)
    if reading is None:
        return ParsedDate(None, reason=f"unreadable date '{shorten(text)}'")
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    if reading.moment < EARLIEST or reading.moment > latest:
        why = "before 1800" if reading.moment < EARLIEST else "more than 2 days in the future"
        return ParsedDate(None, reason=f"implausible date '{shorten(text)}' ({why})")
    return ParsedDate(reading.moment, reading.precision, reading.note)


def read_date(text: str, *, day_first: bool = False) -> Reading | None:
    """Strict fast formats first, then dateutil, then a clear date followed by garbage.

    `day_first` reads an ambiguous numeric date (10/03/1987) as 10 March, not 3 October.
    """
    text = text.strip()
    if not text or len(text) > MAX_DATE_LENGTH:
        return None
    try:
        return (
            read_fast(text)
            or read_with_dateutil(text, day_first=day_first)
            or read_date_prefix(text)
        )
    except OverflowError:  # e.g. year 1 with a positive offset falls off datetime's range
        return None


def read_fast(text: str) -> Reading | None:
    """The common machine formats, read without dateutil (indexing parses ~200,000 dates)."""
    try:
        if ISO_DAY.fullmatch(text):
            return Reading(datetime.fromisoformat(text).replace(tzinfo=UTC), "day")
        if ISO_TIME.match(text):
            return Reading(as_utc(datetime.fromisoformat(text)), "time")
        reuters = REUTERS.fullmatch(text)
        if reuters:
            return read_reuters(reuters)
    except ValueError:
        return None  # a malformed strict form may still be read by dateutil or recovered
    if EPOCH.fullmatch(text):
        seconds = float(text) / (1000 if float(text) > 1e11 else 1)  # milliseconds
        return Reading(datetime.fromtimestamp(seconds, UTC), "time")
    return None


def read_reuters(match: re.Match[str]) -> Reading | None:
    """Reuters-21578's 26-FEB-1987 15:01:01.79 (hundredths of a second)."""
    day, month_name, year, hour, minute, second, fraction = match.groups()
    if month_name.lower() not in MONTHS:
        return None
    moment = datetime(
        int(year), MONTHS.index(month_name.lower()) + 1, int(day),
        int(hour), int(minute), int(second), int((fraction or "0").ljust(6, "0")), UTC,
    )  # fmt: skip
    return Reading(moment, "time")


def read_with_dateutil(text: str, *, day_first: bool = False) -> Reading | None:
    """dateutil, with the fields the text lacks detected instead of filled in from today."""
    if DIGITS.fullmatch(text) and len(text) not in (4, 8, 14):
        return None  # a bare 2- or 6-digit number is not a year or a date we can trust
    if not FOUR_DIGITS.search(text):
        return None  # no 4-digit year: dateutil would make "1 2 3" into 2003-01-02
    dayfirst = day_first or bool(DOTTED_DAY_FIRST.match(text))
    try:
        try:
            return reading_from(*parse_twice(text, dayfirst=dayfirst, ignoretz=False))
        except UnknownZone as zone:
            reading = reading_from(*parse_twice(text, dayfirst=dayfirst, ignoretz=True))
            if reading is None or reading.precision != "time":
                return reading
            day = reading.moment.replace(hour=0, minute=0, second=0, microsecond=0)
            return Reading(day, "day", f"time zone '{zone}' unknown, kept the day")
    except ValueError:
        return None


def parse_twice(text: str, *, dayfirst: bool, ignoretz: bool) -> tuple[datetime, datetime]:
    """The text parsed with two different defaults; raises ValueError when unreadable."""

    def parse_with(default: datetime) -> datetime:
        return dateutil_parser.parse(
            text, default=default, dayfirst=dayfirst, ignoretz=ignoretz, tzinfos=zone_offset
        )

    return parse_with(DEFAULT_A), parse_with(DEFAULT_B)


def zone_offset(name: str | None, offset: int | None) -> int | None:
    """dateutil's tzinfos hook: a numeric offset, a known abbreviation, or UnknownZone."""
    if offset is not None or name is None:
        return offset
    if name.upper() in ZONE_HOURS:
        return ZONE_HOURS[name.upper()] * 3600
    raise UnknownZone(name)


def reading_from(first: datetime, second: datetime) -> Reading | None:
    """The precision the text really has; None when it lacks a year or has a gap."""
    found = [getattr(first, f) == getattr(second, f) for f in ("year", "month", "day", "hour")]
    # A date is a prefix of year, month, day, time: "Tuesday", "10:30" or "Nov 2022 10:00"
    # have a gap that dateutil would fill from its default, which is a guess.
    if found not in ([True, False, False, False], [True, True, False, False],
                     [True, True, True, False], [True, True, True, True]):  # fmt: skip
        return None
    if found[3]:
        return Reading(as_utc(first), "time")
    if found[2]:
        return Reading(datetime(first.year, first.month, first.day, tzinfo=UTC), "day")
    if found[1]:
        return Reading(datetime(first.year, first.month, 1, tzinfo=UTC), "month")
    return Reading(datetime(first.year, 1, 1, tzinfo=UTC), "year")


def read_date_prefix(text: str) -> Reading | None:
    """A clear day followed by words no parser reads (a garbled time): keep the day, say so."""
    words = text.split()
    for end in range(min(len(words), MAX_PREFIX_WORDS) - 1, 0, -1):
        head = " ".join(words[:end])
        reading = read_fast(head) or read_with_dateutil(head)
        if reading and reading.precision in ("day", "time"):
            # A time before the garbage is not trusted either: its zone may be in the garbage.
            day = reading.moment.replace(hour=0, minute=0, second=0, microsecond=0)
            rest = shorten(" ".join(words[end:]))
            return Reading(day, "day", f"time '{rest}' unreadable, kept the day")
    return None


def as_utc(moment: datetime) -> datetime:
    """Aware datetimes converted to UTC; naive ones taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def shorten(text: str, limit: int = 60) -> str:
    """Text cut to a length that fits in a one-line reason."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_date_bound(
    text: str, *, upper: bool, day_first: bool = False, example: datetime | None = None
) -> datetime:
    """The start (or, if upper, the last microsecond) of the period a since/until value names.

    An unreadable value is a BadRequest whose examples are written from `example` (a
    date of the archive, so that a 1987 archive is not offered 2022 dates).
    """
    reading = read_date(text, day_first=day_first)
    if reading is None:
        raise BadRequest(
            f"Cannot read '{shorten(text.strip())}' as a date; try {date_examples(example)}."
        )
    start = reading.moment
    if not upper or reading.precision == "time":
        return start
    try:
        if reading.precision == "year":
            end = start.replace(year=start.year + 1)
        elif reading.precision == "month":
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            end = start + timedelta(days=1)
    except (ValueError, OverflowError):  # the period ends with year 9999
        return datetime.max.replace(tzinfo=UTC)
    return end - timedelta(microseconds=1)


def format_date(parsed: ParsedDate) -> str | None:
    """The date as users see it, at its precision: 2022, 2022-11 or 2022-11-09."""
    if parsed.value is None:
        return None
    if parsed.precision == "year":
        return f"{parsed.value:%Y}"
    if parsed.precision == "month":
        return f"{parsed.value:%Y-%m}"
    return f"{parsed.value:%Y-%m-%d}"


def month_key(parsed: ParsedDate) -> str:
    """The date facet's bucket: YYYY-MM, or YYYY for a year-only date, or 'undated'."""
    if parsed.value is None:
        return "undated"
    return f"{parsed.value:%Y}" if parsed.precision == "year" else f"{parsed.value:%Y-%m}"


def date_examples(example: datetime | None) -> str:
    """Three ways to write a date, a day, a month and a year: '1987-10-19, Oct 1987 or 1987'."""
    moment = example or DEFAULT_EXAMPLE
    return f"{moment:%Y-%m-%d}, {moment:%b %Y} or {moment:%Y}"


def describe_reading(reading: Reading) -> str:
    """How a date was read, at its precision, for people: '3 Oct 1987', 'Oct 1987', '1987'."""
    moment = reading.moment
    if reading.precision == "year":
        return f"{moment:%Y}"
    if reading.precision == "month":
        return f"{moment:%b %Y}"
    day = f"{moment.day} {moment:%b %Y}"
    return f"{day} {moment:%H:%M} UTC" if reading.precision == "time" else day
