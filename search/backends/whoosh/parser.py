"""The user's query through Whoosh's parser, and its wildcard expansions counted.

search/params.py checks the query text first, for every backend; here the checked text
is parsed over the index version's text fields, the parsed query is checked again (however
the text spelt it, it searches no internal field), and at search time the words its
wildcard and fuzzy terms stand for are counted against the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any

from whoosh import query as whoosh_query
from whoosh.qparser import MultifieldParser

from search.backends.whoosh.schema import TEXT_FIELDS
from search.params import INTERNAL_FIELDS, bad_query, check_query_text, echo

MAX_EXPANDED_TERMS = 100  # words all wildcard and fuzzy terms of a query may stand for


def parse_query(text: str, schema: Any, fields: Sequence[str] = TEXT_FIELDS) -> whoosh_query.Query:
    """The user's query through Whoosh's parser, looking in `fields` (each analysing the
    words its own way: stems of French in body_fr); an empty query matches every article."""
    if not text.strip():
        return whoosh_query.Every()
    check_query_text(text)
    parser = query_parser(schema, tuple(fields))
    try:
        parsed = parser.parse(text)
    except Exception:  # Whoosh raises assorted types for odd input; its words are internal
        raise bad_query(
            f"Cannot understand the query {echo(text)!r}; check its brackets, quotes and "
            "AND/OR/NOT."
        ) from None
    check_parsed_fields(parsed)
    return parsed


_PARSERS: dict[tuple[int, tuple[str, ...]], tuple[Any, MultifieldParser]] = {}
PARSERS_KEPT = 8  # schemas change only when an index gains fields: a few suffice


def query_parser(schema: Any, fields: tuple[str, ...]) -> MultifieldParser:
    """A parser for a schema's fields, made once: making one compiles a few dozen regular
    expressions (~4 ms once the `re` cache has forgotten them), parsing needs none.
    Parsing keeps no state in the parser, so threads share it."""
    key = (id(schema), fields)
    kept = _PARSERS.get(key)
    if kept is not None and kept[0] is schema:
        return kept[1]
    if len(_PARSERS) >= PARSERS_KEPT:
        _PARSERS.clear()
    parser = MultifieldParser(list(fields), schema)
    _PARSERS[key] = (schema, parser)
    return parser


def check_parsed_fields(parsed: whoosh_query.Query) -> None:
    """However the text spelt it, the parsed query searches no internal field."""
    for leaf in parsed.leaves():
        name = getattr(leaf, "fieldname", None)
        if name in INTERNAL_FIELDS:
            raise bad_query(
                f"The field {name!r} cannot be searched; use title: or body:, "
                "or the actor, country and org filters."
            )


def check_expansions(text_query: Any, reader: Any) -> None:
    """Refuse wildcard and fuzzy terms that stand for more words than a search can afford."""
    # Each word a wildcard expands to costs ~10 ms on 11,000 articles: `re*` is 826 words.
    expanded = 0
    for leaf in text_query.leaves():
        if isinstance(leaf, whoosh_query.MultiTerm):
            expanded += sum(1 for _ in islice(leaf.expanded_terms(reader), MAX_EXPANDED_TERMS))
            if expanded >= MAX_EXPANDED_TERMS:
                word = str(leaf).split(":", 1)[-1]  # the user's term, without its field
                raise bad_query(
                    f"The wildcard or fuzzy term {word!r} matches too many words "
                    f"(more than {MAX_EXPANDED_TERMS}); add letters before the * or ?."
                )
