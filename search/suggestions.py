"""'Did you mean': a query's unknown words respelt as close words the archive knows."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from search.live_index import SearchIndex

SUGGESTION_DISTANCE = 2
MIN_RESPELL_LENGTH = 4
LONG_WORD = 6
# Plain words outside quotes and field prefixes; only these are respelt.
WORD = re.compile(r'(?<![\w:*"?])[A-Za-z]+(?![\w:*?])')


def suggest_query(index: SearchIndex, text: str) -> str | None:
    """The query with each word the index does not know respelt as a close one it does."""
    searcher = index.searcher()
    changed = False

    def respell(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        better = respell_word(searcher, word)
        changed = changed or better is not None
        return better or word

    suggestion = WORD.sub(respell, text)
    return suggestion if changed else None


def respell_word(searcher: Any, word: str) -> str | None:
    """A known word close to an unknown one, as it is written in the articles; else None."""
    if word in ("AND", "OR", "NOT") or len(word) < MIN_RESPELL_LENGTH:
        return None
    analyzer = searcher.schema["body"].analyzer
    stems = [token.text for token in analyzer(word)]
    if len(stems) != 1 or searcher.doc_frequency("body", stems[0]):
        return None
    # One edit is already a lot in a short word: 'boats' is not 'but'.
    distance = SUGGESTION_DISTANCE if len(word) >= LONG_WORD else 1
    corrector = searcher.corrector("body")
    for stem in corrector.suggest(stems[0], limit=3, maxdist=distance, prefix=1):
        surface = surface_form(searcher, stem)
        if surface:
            return surface.capitalize() if word[0].isupper() else surface
    return None


def surface_form(searcher: Any, stem: str) -> str | None:
    """How the articles write an indexed stem: its commonest form in one article holding it."""
    analyzer = searcher.schema["body"].analyzer
    for document in searcher.postings("body", stem).all_ids():
        body = searcher.stored_fields(document)["body"]
        forms = Counter(
            token.original.lower()
            for token in analyzer(body, keeporiginal=True)
            if token.text == stem
        )
        return forms.most_common(1)[0][0] if forms else None
    return None
