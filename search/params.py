"""Every check of what a user asks, in one place: raw values into a request, text into a query.

Parameters from a URL or the command line become a validated SearchRequest; the query
text is checked before any engine parses it (an engine expands a wildcard, fuzzy term or
range into every matching word of the index, so `*a*` or `[a TO z]` would tie up a server
thread for seconds). Each backend then parses the checked text its own way and counts
its expansions (for Whoosh, search/backends/whoosh/parser.py). Each refusal is a
BadRequest that says what to change; ordinary queries (words, phrases, `coff*`,
`title:oil`, AND/OR/NOT, brackets) pass untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from search.config import day_first, setting
from search.dates import parse_date_bound
from search.errors import BadRequest
from search.models import FILTER_KINDS, SearchRequest, default_operator

SORTS = ("relevance", "newest", "oldest")
COMBINATIONS = ("and", "or")
MAX_QUERY_TERMS = 40
MAX_WILDCARD_TERMS = 4
MIN_WILDCARD_PREFIX = 2  # literal characters before the first * or ?
MAX_FUZZY_DISTANCE = 2
MAX_NESTING = 10
# Stored or bookkeeping fields of the schema: searching them is never what a reader means.
INTERNAL_FIELDS = frozenset({"id", "month", "dated", "timestamp", "content_hash", "record"})
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

PHRASE = re.compile(r'"[^"]*"')
WILDCARD = re.compile(r"[*?]")
FUZZY = re.compile(r"(?<=[\w*?])~(\d*)")
RANGE = re.compile(r"[\[{][^\]}]*\bTO\b")
# Whoosh reads a field name wherever a word ends in ':' ('x.id:1' searches id), so do we.
FIELD_PREFIX = re.compile(r"(?<!\w)([A-Za-z_]\w*):")
ASCII_NUMBER = re.compile(r"[0-9]{1,9}")
ECHO_CHARS = 100  # of a refused value, repeated in its error message


# URL and keyword parameters of the facet filters: values to select or exclude, and how
# several selected values combine.
LIST_PARAMETERS = tuple(name for kind in FILTER_KINDS for name in (kind, f"not_{kind}"))
OPERATOR_PARAMETERS = tuple(f"{kind}_op" for kind in FILTER_KINDS)


def make_search_request(
    query: str = "",
    *,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    page: str | int | None = None,
    per_page: int | None = None,
    date_example: datetime | None = None,
    **filters: Any,
) -> SearchRequest:
    """A SearchRequest from raw values; raises BadRequest saying what to change.

    `filters` holds each facet's selected and excluded values (`country=["Kenya"]`,
    `not_language=["fr"]`) and operators (`actor_op="or"`), named as in the URL.
    `date_example`, a date of the archive, is what an unreadable since or until is
    offered as examples.
    """
    unknown = set(filters) - set(LIST_PARAMETERS) - set(OPERATOR_PARAMETERS)
    if unknown:
        raise TypeError(f"unknown search filters: {', '.join(sorted(unknown))}")
    query = query or ""
    check_query_text(query)
    sort = sort or ("relevance" if query.strip() else "newest")
    if sort not in SORTS:
        raise BadRequest(f"unknown value {sort!r}; use one of {', '.join(SORTS)}.", "sort")
    chosen: dict[str, Any] = {
        name: _values(name, filters.get(name) or ()) for name in LIST_PARAMETERS
    }
    chosen.update((name, parse_operator(name, filters.get(name))) for name in OPERATOR_PARAMETERS)
    request = SearchRequest(
        query=query,
        **chosen,
        since=parse_bound("since", since, upper=False, example=date_example),
        until=parse_bound("until", until, upper=True, example=date_example),
        sort=sort,  # type: ignore[arg-type]
        page=parse_page(page),
        per_page=per_page or setting("per_page"),
    )
    check_date_range(request)
    return request


def parse_page(page: str | int | None) -> int:
    """A page number from 1 to the deepest page allowed."""
    if page is None or page == "":
        return 1
    text = str(page).strip()
    # int() also reads '١' (Arabic-Indic) and '1_0': a page number is ASCII digits only.
    if not ASCII_NUMBER.fullmatch(text):
        raise BadRequest(f"{echo(text)!r} is not a number; use page=1, 2, …", "page")
    number = int(text)
    if not 1 <= number <= setting("max_page"):
        raise BadRequest(
            f"{number} is out of range; use a page from 1 to {setting('max_page')}, narrow "
            "the search, or export it (CSV or JSON Lines hold every match).",
            "page",
        )
    return number


def parse_operator(name: str, value: str | None) -> str:
    """How a facet's selected values combine: 'and' or 'or' (the facet's default if empty)."""
    if value is None or value.strip() == "":
        return default_operator(name.removesuffix("_op"))
    if value.strip().lower() not in COMBINATIONS:
        raise BadRequest(f"unknown value {value!r}; use {name}=and or {name}=or.", name)
    return value.strip().lower()


def _values(name: str, values: Sequence[str]) -> list[str]:
    most = setting("max_facet_values")
    if len(values) > most:  # counted before merging: repeats cost as much to read
        raise BadRequest(f"too many values ({len(values)}); use at most {most}.", name)
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def echo(text: str) -> str:
    """A user's value as an error message repeats it: its start, when it is long."""
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def parse_bound(
    name: str, value: str | None, *, upper: bool, example: datetime | None = None
) -> datetime | None:
    """The `since` or `until` moment a value stands for; None when it is empty."""
    if not value or not value.strip():
        return None
    try:
        return parse_date_bound(value, upper=upper, day_first=day_first(), example=example)
    except BadRequest as error:
        raise BadRequest(error.message, name) from None


def check_date_range(request: SearchRequest) -> None:
    """A range that ends before it starts is a mistake worth saying."""
    if request.since and request.until and request.since > request.until:
        raise BadRequest("it is after until; swap them or widen the range.", "since")


def bad_query(message: str) -> BadRequest:
    """A refusal of the query text, which the URL calls `q`."""
    return BadRequest(message, "q")


def check_query_text(query: str) -> None:
    """Raise BadRequest when the query text is malformed or would cost too much to run."""
    if len(query) > setting("max_query_length"):
        raise bad_query(
            f"The query is {len(query)} characters long; shorten it to at most "
            f"{setting('max_query_length')}."
        )
    if not query.strip():
        return
    check_syntax(query)
    outside = PHRASE.sub(" ", query)  # inside quotes, * ? ~ [ are plain text
    words = [word for word in re.split(r"[\s()]+", outside) if word and word not in OPERATORS]
    phrases = len(PHRASE.findall(query))
    if len(words) + phrases > MAX_QUERY_TERMS:
        raise bad_query(
            f"The query has {len(words) + phrases} terms; use at most {MAX_QUERY_TERMS}."
        )
    check_wildcards(words)
    check_fuzzy(outside)
    if RANGE.search(outside):
        raise bad_query(
            "Ranges ([a TO z]) are not supported in the query; "
            "use the since and until fields for dates."
        )
    check_fields(outside)


def check_syntax(text: str) -> None:
    """Reject what Whoosh would silently misread: unbalanced brackets or quotes, lone operators."""
    if text.count('"') % 2:
        raise bad_query(
            'The query has an unmatched quote ("); close the phrase or remove the quote.'
        )
    depth = deepest = 0
    for char in PHRASE.sub(" ", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
        if depth < 0:
            raise bad_query("The query closes a bracket it never opened; remove the extra ')'.")
    if depth:
        raise bad_query("The query opens a bracket it never closes; add ')' or remove the '('.")
    if deepest > MAX_NESTING:
        raise bad_query(
            f"The query nests brackets {deepest} deep; use at most {MAX_NESTING} levels."
        )
    words = text.split()
    if words[-1] in ("AND", "OR", "NOT") or words[0] in ("AND", "OR"):
        raise bad_query(
            f"The query starts or ends with an operator in {echo(text)!r}; add a word to it."
        )
    check_operator_pairs(PHRASE.sub(" x ", text).split())


def check_operator_pairs(words: list[str]) -> None:
    """Two operators in a row mean nothing ('NOT NOT', 'AND OR'), except 'AND NOT' and
    'OR NOT'; Whoosh's parser fails on some of them with an internal error."""
    for first, second in zip(words, words[1:], strict=False):
        if first in OPERATORS and second in OPERATORS and second != "NOT":
            raise bad_query(f"'{first} {second}' joins nothing; put a word between them.")
        if first == "NOT" and second == "NOT":
            raise bad_query("'NOT NOT' cancels itself; remove both or keep one.")


def check_wildcards(words: list[str]) -> None:
    """A few wildcards, each after a literal prefix (`coff*`, never `*`, `*ee` or `?`)."""
    wild = [word.split(":", 1)[-1] for word in words if WILDCARD.search(word)]
    if len(wild) > MAX_WILDCARD_TERMS:
        raise bad_query(
            f"The query has {len(wild)} wildcard terms; use at most {MAX_WILDCARD_TERMS}."
        )
    for word in wild:
        prefix = WILDCARD.split(word.lstrip("+-"), 1)[0]
        if len(prefix) < MIN_WILDCARD_PREFIX:
            raise bad_query(
                f"The wildcard {word!r} needs at least {MIN_WILDCARD_PREFIX} letters before "
                "its first * or ?, like coff*; to list everything, leave the query empty."
            )


def check_fuzzy(text: str) -> None:
    """Fuzzy terms (`word~2`) may allow at most MAX_FUZZY_DISTANCE edits."""
    for match in FUZZY.finditer(text):
        distance = int(match.group(1)) if match.group(1) else 1
        if distance > MAX_FUZZY_DISTANCE:
            raise bad_query(
                f"A fuzzy term allows {distance} edits; use at most ~{MAX_FUZZY_DISTANCE}."
            )


def check_fields(text: str) -> None:
    """Only the text and entity fields can be searched by name (`title:oil`)."""
    for match in FIELD_PREFIX.finditer(text):
        if match.group(1) in INTERNAL_FIELDS:
            raise bad_query(
                f"The field {match.group(1)!r} cannot be searched; use title: or body:, "
                "or the actor, country and org filters."
            )
