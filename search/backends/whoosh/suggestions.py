"""'Did you mean': a query's unknown words respelt as close, frequent words of the archive.

Bounded work: the archive's words are listed once per index version; each unknown word
(at most MAX_RESPELT_WORDS of them) is compared with the words sharing its first letter
by rapidfuzz (in C), the few closest are ranked by a typo-aware cost on how the articles
spell them, and every answer is kept per version. A word without a close enough
candidate gets none: no suggestion is better than a wrong one ('cofee' is not 'coming').
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.backends.whoosh.live_index import SearchIndex
from search.bounded import BoundedCache
from search.typos import typo_cost

MIN_RESPELL_LENGTH = 4
MAX_COST = 2.0  # typo cost (search.typos) a suggestion may be from the word, at most
MAX_RESPELT_WORDS = 4  # a query with more unknown words gets no suggestion
SHORTLIST = 6  # candidates per word whose spellings in the articles are looked up
FORM_ARTICLES = 6  # articles read for a candidate's spellings ('banana' beside 'bananas')
# Each tenfold of articles holding a candidate outweighs 0.3 edits of typo cost: common
# 'interest' beats 'inteest', a typo two Reuters articles share, but not by much more.
FREQUENCY_WEIGHT = 0.3
LARGE_ARCHIVE = 1000  # articles
CACHED = 4096  # answers and surface forms kept per index version
VERSIONS_KEPT = 4  # spellers kept: one per live index, and the one a swap replaces
# Work one query's suggestion may take (the search itself is done): past it, the words
# not yet respelt stay as typed, and the answer is not kept; what it read is.
BUDGET_SECONDS = 0.25
NO_SUGGESTION = ""
# Plain words outside quotes and field prefixes; only these are respelt.
WORD = re.compile(r'(?<![\w:*"?])[A-Za-z]+(?![\w:*?])')
OPERATORS = ("AND", "OR", "NOT")


@dataclass
class Speller:
    """The indexed words of one index version, by first letter, and answers already given."""

    by_letter: dict[str, list[str]]
    answers: BoundedCache[str] = field(default_factory=lambda: BoundedCache(CACHED))
    surfaces: BoundedCache[tuple[tuple[str, float], ...]] = field(
        default_factory=lambda: BoundedCache(CACHED)
    )


_spellers: dict[tuple[str, int], Speller] = {}
_building = threading.Lock()


def suggest_query(index: SearchIndex, text: str) -> str | None:
    """The query with each word the index does not know respelt as a close one it does."""
    view = index.view()
    speller = speller_for(view)
    answer = speller.answers.get(text)
    if answer is None:
        deadline = time.monotonic() + BUDGET_SECONDS
        answer = respell_query(view.searcher, speller, text, deadline)
        if time.monotonic() < deadline:  # kept, unless the budget may have cut it short
            speller.answers.put(text, answer)
    return answer or None


def speller_for(view: Any) -> Speller:
    """The speller of the view's index version, listed once (~0.3 s on 11,000 articles)."""
    key = view.version.key
    speller = _spellers.get(key)
    if speller is None:
        with _building:
            speller = _spellers.get(key)
            if speller is None:
                speller = build_speller(view.searcher)
                while len(_spellers) >= VERSIONS_KEPT:
                    _spellers.pop(next(iter(_spellers)))
                _spellers[key] = speller
    return speller


def build_speller(searcher: Any) -> Speller:
    """The alphabetic words of the body field, grouped by first letter."""
    by_letter: dict[str, list[str]] = defaultdict(list)
    for term in searcher.reader().lexicon("body"):
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        if word.isascii() and word.isalpha():
            by_letter[word[0]].append(word)
    return Speller(dict(by_letter))


def respell_query(searcher: Any, speller: Speller, text: str, deadline: float) -> str:
    """The respelt query, or NO_SUGGESTION when nothing was respelt or too much would be."""
    unknown = [w for w in dict.fromkeys(WORD.findall(text)) if needs_respelling(searcher, w)]
    if not unknown or len(unknown) > MAX_RESPELT_WORDS:
        return NO_SUGGESTION
    better = {word: respell_word(searcher, speller, word, deadline) for word in unknown}
    if not any(better.values()):
        return NO_SUGGESTION
    return WORD.sub(lambda match: better.get(match.group(0)) or match.group(0), text)


def needs_respelling(searcher: Any, word: str) -> bool:
    """A word long enough to respell whose one stem the index does not hold."""
    if word in OPERATORS or len(word) < MIN_RESPELL_LENGTH:
        return False
    stems = body_stems(searcher, word)
    return len(stems) == 1 and not searcher.doc_frequency("body", stems[0])


def body_stems(searcher: Any, word: str) -> list[str]:
    """The indexed forms of a word, as the body field's analyzer makes them."""
    return [token.text for token in searcher.schema["body"].analyzer(word)]


def respell_word(searcher: Any, speller: Speller, word: str, deadline: float) -> str | None:
    """The archive's word closest to an unknown one, as the articles write it; else None."""
    allowed = allowed_cost(word)
    typed = word.lower()
    stem = body_stems(searcher, word)[0]
    close = close_stems(speller, (stem, typed, *cut_endings(typed)), math.ceil(allowed))
    articles = {found: searcher.doc_frequency("body", found) for found in close}
    shortlist = sorted(close, key=lambda c: close[c] - FREQUENCY_WEIGHT * math.log10(articles[c]))
    # In a large archive, a spelling seen in one article is as likely a typo as the query.
    rarest = 1 if searcher.doc_count() < LARGE_ARCHIVE else 2
    ranked = []
    for candidate in shortlist[:SHORTLIST]:
        if time.monotonic() > deadline:
            break
        for form, share in surface_forms(searcher, speller, candidate):
            cost, seen = typo_cost(typed, form), articles[candidate] * share
            if cost <= allowed and seen >= rarest:
                ranked.append((cost - FREQUENCY_WEIGHT * math.log10(seen), form))
    if not ranked:
        return None
    best = min(ranked)[1]
    return best.capitalize() if word[0].isupper() else best


def close_stems(speller: Speller, spellings: tuple[str, ...], edits: int) -> dict[str, float]:
    """Indexed stems within `edits` of any spelling (the typed word, its stem), each with
    its lowest typo cost: Porter stems 'crued' to 'cru', far from 'crude'."""
    close: dict[str, float] = {}
    for spelling in spellings:
        words = speller.by_letter.get(spelling[0], [])
        for found, _, _ in process.extract(
            spelling, words, scorer=OSA.distance, score_cutoff=edits, limit=None
        ):
            close[found] = min(close.get(found, edits + 1.0), typo_cost(spelling, found))
    return close


def cut_endings(typed: str) -> tuple[str, ...]:
    """The typed word without its last one or two letters: the index holds stems, and a
    letter left out before an ending ('minster') is far from the stem ('minist') only
    because the stemmer did not recognise the ending it cuts from 'minister'."""
    return tuple(typed[:-cut] for cut in (1, 2) if len(typed) - cut >= MIN_RESPELL_LENGTH)


def allowed_cost(word: str) -> float:
    """How far a suggestion may be from the word: an edit in four letters, two at most."""
    return min(MAX_COST, max(1.0, len(word) // 2 / 2))


def surface_forms(searcher: Any, speller: Speller, stem: str) -> tuple[tuple[str, float], ...]:
    """How the articles write an indexed stem: each form read in the first articles holding
    it, with its share of them ('interst' is rare where 'interstate' shares its stem)."""
    known = speller.surfaces.get(stem)
    if known is not None:
        return known
    analyzer = searcher.schema["body"].analyzer
    forms: dict[str, set[int]] = defaultdict(set)
    documents = list(islice(searcher.postings("body", stem).all_ids(), FORM_ARTICLES))
    for document in documents:
        body = searcher.stored_fields(document)["body"]
        for token in analyzer(body, keeporiginal=True):
            if token.text == stem and token.original.isalpha():
                forms[token.original.lower()].add(document)
    # A plural read ('dollars') vouches for its singular, which is the same stem.
    for form in [f for f in forms if f.endswith("s") and f[:-1] not in forms]:
        if [token.text for token in analyzer(form[:-1])] == [stem]:
            forms[form[:-1]] = forms[form]
    shares = tuple((form, len(seen) / len(documents)) for form, seen in sorted(forms.items()))
    return speller.surfaces.put(stem, shares)
