"""What a query may cost: limits checked on its text before Whoosh parses or runs it.

Whoosh expands a wildcard, fuzzy term or range into every matching word of the index
and highlights with all of them, so on a large archive `*a*` or `[a TO z]` ties up a
server thread for seconds. These checks refuse such queries up front with a 400 that
says what to change; ordinary queries (words, phrases, `coff*`, `title:oil`, AND/OR/NOT,
brackets) pass untouched.
"""

from __future__ import annotations

import re

from search.errors import BadRequest

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
FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_]\w*):")


def check_query_cost(query: str) -> None:
    """Raise BadRequest when a query would be too costly to run; say what to change."""
    outside = PHRASE.sub(" ", query)  # inside quotes, * ? ~ [ are plain text
    words = [word for word in re.split(r"[\s()]+", outside) if word and word not in OPERATORS]
    phrases = len(PHRASE.findall(query))
    if len(words) + phrases > MAX_QUERY_TERMS:
        raise BadRequest(
            f"The query has {len(words) + phrases} terms; use at most {MAX_QUERY_TERMS}."
        )
    check_nesting(outside)
    check_wildcards(words)
    check_fuzzy(outside)
    if RANGE.search(outside):
        raise BadRequest(
            "Ranges ([a TO z]) are not supported in the query; "
            "use the since and until fields for dates."
        )
    check_fields(outside)


def check_nesting(text: str) -> None:
    """Brackets nested more than MAX_NESTING deep are refused."""
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise BadRequest(
            f"The query nests brackets {deepest} deep; use at most {MAX_NESTING} levels."
        )


def check_wildcards(words: list[str]) -> None:
    """A few wildcards, each after a literal prefix (`coff*`, never `*`, `*ee` or `?`)."""
    wild = [word.split(":", 1)[-1] for word in words if WILDCARD.search(word)]
    if len(wild) > MAX_WILDCARD_TERMS:
        raise BadRequest(
            f"The query has {len(wild)} wildcard terms; use at most {MAX_WILDCARD_TERMS}."
        )
    for word in wild:
        prefix = WILDCARD.split(word.lstrip("+-"), 1)[0]
        if len(prefix) < MIN_WILDCARD_PREFIX:
            raise BadRequest(
                f"The wildcard {word!r} needs at least {MIN_WILDCARD_PREFIX} letters before "
                "its first * or ?, like coff*; to list everything, leave the query empty."
            )


def check_fuzzy(text: str) -> None:
    """Fuzzy terms (`word~2`) may allow at most MAX_FUZZY_DISTANCE edits."""
    for match in FUZZY.finditer(text):
        distance = int(match.group(1)) if match.group(1) else 1
        if distance > MAX_FUZZY_DISTANCE:
            raise BadRequest(
                f"A fuzzy term allows {distance} edits; use at most ~{MAX_FUZZY_DISTANCE}."
            )


def check_fields(text: str) -> None:
    """Only the text and entity fields can be searched by name (`title:oil`)."""
    for match in FIELD_PREFIX.finditer(text):
        if match.group(1) in INTERNAL_FIELDS:
            raise BadRequest(
                f"The field {match.group(1)!r} cannot be searched; use title: or body:, "
                "or the actor, country and org filters."
            )
