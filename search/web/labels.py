"""Words the pages show about a search: its title, its filters as chips, its dates, file names."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from search.config import day_first
from search.dates import describe_reading, read_date
from search.language import language_name
from search.models import default_operator
from search.web.arguments import link

KIND_LABELS = {
    "actor": "Person",
    "country": "Country",
    "org": "Organisation",
    "source": "Source",
    "language": "Language",
}
DATE_LABELS = {"since": "Since", "until": "Until"}
SITE = "newsarchive"
NOT_A_WORD = re.compile(r"[^a-z0-9]+")
MAX_FILE_STEM = 60  # characters of a download's name made from the search


def active_filters(args: MultiDict) -> list[dict[str, str]]:
    """A removable chip for every active filter; dates say how they were read."""
    chips = []
    for kind, label in KIND_LABELS.items():
        combination = (args.get(f"{kind}_op") or default_operator(kind)).lower()
        any_of = combination == "or" and len(args.getlist(kind)) > 1
        for value in args.getlist(kind):
            prefix = f"{label} (any of)" if any_of else label
            shown = value_label(kind, value)
            chips.append(
                {"label": f"{prefix}: {shown}", "url": link(args, remove=((kind, value),))}
            )
        for value in args.getlist(f"not_{kind}"):
            pair = (f"not_{kind}", value)
            shown = value_label(kind, value)
            chips.append(
                {"label": f"Not {label.lower()}: {shown}", "url": link(args, remove=(pair,))}
            )
    for key, label in DATE_LABELS.items():
        if args.get(key):
            chips.append({**date_chip(label, args[key]), "url": link(args, drop=(key,))})
    return chips


def value_label(name: str, value: str) -> str:
    """A facet value as a reader reads it: a language's name with its code, else the value."""
    if name == "language" and language_name(value) != value:
        return f"{language_name(value)} ({value})"
    return value


def date_chip(label: str, text: str) -> dict[str, str]:
    """'Since 3 Oct 1987': the date as it was read, and what was typed, for its title."""
    reading = read_date(text, day_first=day_first())
    if reading is None:
        return {"label": f"{label} {text} (unreadable)", "title": ""}
    order = "day first" if day_first() else "month first"
    return {
        "label": f"{label} {describe_reading(reading)}",
        "title": f"Read from “{text.strip()}” ({order} where day and month could swap)",
    }


TITLE_QUERY_LENGTH = 80  # a tab shows fewer; a refused long query is not echoed in full


def page_title(args: MultiDict, page_number: int = 1) -> str:
    """The tab's title: the query (its start, if long), its filters and the page, then the
    site's name."""
    query = args.get("q", "").strip()
    if len(query) > TITLE_QUERY_LENGTH:
        query = query[:TITLE_QUERY_LENGTH].rstrip() + "…"
    parts = [query] if query else []
    parts += [chip["label"] for chip in active_filters(args)]
    if page_number > 1:
        parts.append(f"page {page_number}")
    return " · ".join([*parts, SITE]) if parts else f"Search – {SITE}"


def export_filename(args: MultiDict, extension: str) -> str:
    """A download named after its search: newsarchive-trade-country-nigeria.csv."""
    words = [args.get("q", "")]
    words += [f"{key.replace('_', '-')} {value}" for key, value in args.items(multi=True)
              if key not in ("q", "page", "sort") and value]  # fmt: skip
    ascii_text = unicodedata.normalize("NFKD", " ".join(words)).encode("ascii", "ignore")
    stem = NOT_A_WORD.sub("-", ascii_text.decode().lower()).strip("-")[:MAX_FILE_STEM]
    return f"{SITE}-{stem.rstrip('-') or 'all'}.{extension}"


def date_placeholders(first: str | None, last: str | None) -> dict[str, str]:
    """Examples for the date fields, from the archive's own dates (YYYY, YYYY-MM or YYYY-MM-DD)."""
    since, until = as_moment(first), as_moment(last)
    return {
        "since": f"e.g. {since:%b %Y}" if since else "e.g. March 1987",
        "until": f"e.g. {until:%Y-%m}" if until else "e.g. 1987-04-30",
    }


def as_moment(label: str | None) -> datetime | None:
    """A date label of the index (2022, 2022-11 or 2022-11-09) as a datetime; None if none."""
    if not label or not label[:4].isdigit():
        return None
    parts = [int(part) for part in label.split("-")[:3]]
    return datetime(*(parts + [1, 1][: 3 - len(parts)]))  # type: ignore[arg-type]


def dated_range(months: list[Any]) -> tuple[str | None, str | None]:
    """The first and last dated bucket of a date facet (values YYYY or YYYY-MM)."""
    dated = [value.value for value in months if value.value[:4].isdigit()]
    return (dated[0], dated[-1]) if dated else (None, None)
