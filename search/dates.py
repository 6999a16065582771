"""Dates: text becomes a UTC datetime with its precision, or undated with a reason."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser
from dateutil.tz import UTC as DATEUTIL_UTC

from search.errors import BadRequest
from search.models import ParsedDate, Precision

EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
REUTERS = re.compile(r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(.*))?$")
REUTERS_TIME = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*$")
ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*$")
EPOCH_NUMBER = re.compile(r"\s*\d{9,13}(\.\d+)?\s*$")
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
# Two defaults that differ in every field: a field dateutil did not find keeps its default,
# so comparing the two parses tells which fields the text really holds.
DEFAULT_A = datetime(2001, 1, 1, 0, 0, 0)
DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)


def parse_date(text: str, *, now: datetime | None = None) -> ParsedDate:
    """Parse a date; never guesses, never raises: an unusable date is undated with the reason.

    Ambiguous numeric dates such as 03/04/2022 are read month first (the newswire convention).
    """
    if not text or not text.strip():
        return ParsedDate(None, reason="no date")
    parsed = _parse_fast(text) or _parse_epoch(text) or _parse_general(text)
    if parsed is None:
        return ParsedDate(None, reason=f"unreadable date {text.strip()!r}")
    moment, precision, note = parsed
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    if moment < EARLIEST or moment > latest:
        why = "before 1800" if moment < EARLIEST else "in the future"
        return ParsedDate(None, reason=f"implausible date {text.strip()!r} ({why})")
    return ParsedDate(moment, precision, note)


def _parse_fast(text: str) -> tuple[datetime, Precision, str | None] | None:
    """ISO days and the Reuters-21578 form, including its malformed times."""
    iso = ISO_DAY.match(text)
    if iso:
        try:
            year, month, day = map(int, iso.groups())
            return datetime(year, month, day, tzinfo=UTC), "day", None
        except ValueError:
            return None
    reuters = REUTERS.match(text)
    if not reuters or reuters.group(2).lower() not in MONTHS:
        return None
    day_text, month_name, year_text, rest = reuters.groups()
    try:
        moment = datetime(int(year_text), MONTHS[month_name.lower()], int(day_text), tzinfo=UTC)
    except ValueError:
        return None
    if not rest:
        return moment, "day", None
    clock = REUTERS_TIME.match(rest)
    if clock:
        hour, minute, second, fraction = clock.groups()
        try:
            micro = int((fraction or "0").ljust(6, "0"))
            return (
                moment.replace(
                    hour=int(hour), minute=int(minute), second=int(second), microsecond=micro
                ),
                "time",
                None,
            )
        except ValueError:
            pass
    return moment, "day", f"time {rest.strip()!r} unreadable, kept the day"


def _parse_epoch(text: str) -> tuple[datetime, Precision, str | None] | None:
    if not EPOCH_NUMBER.match(text):
        return None
    seconds = float(text)
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC), "time", None
    except (OverflowError, OSError, ValueError):
        return None


def _parse_general(text: str) -> tuple[datetime, Precision, str | None] | None:
    """dateutil, with the fields the text lacks detected instead of filled in from today."""
    try:
        first = dateutil_parser.parse(text, default=DEFAULT_A)
        second = dateutil_parser.parse(text, default=DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    has = {f: getattr(first, f) == getattr(second, f) for f in ("year", "month", "day", "hour")}
    if not has["year"]:
        return None  # "Tuesday" or "10:30" alone: no date at all
    precision: Precision = "year"
    if has["month"]:
        precision = "month"
        if has["day"]:
            precision = "time" if has["hour"] else "day"
        elif has["hour"]:
            return None  # a time in a month with no day is no real date
    elif has["day"] or has["hour"]:
        return None
    moment = (
        first if precision in ("day", "time") else first.replace(day=1, hour=0, minute=0, second=0)
    )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DATEUTIL_UTC)
    return moment.astimezone(UTC), precision, None


def parse_date_bound(text: str, *, upper: bool) -> datetime:
    """The start (or, if upper, the last microsecond) of the period a since/until value names."""
    parsed = parse_date(text)
    if parsed.value is None or parsed.precision is None:
        raise BadRequest(
            f"Cannot read {text.strip()!r} as a date; try 2022-11-09, Nov 2022 or 2022."
        )
    start = parsed.value
    if not upper or parsed.precision == "time":
        return start
    if parsed.precision == "year":
        end = start.replace(year=start.year + 1, month=1, day=1)
    elif parsed.precision == "month":
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        end = start + timedelta(days=1)
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
