"""One person, one spelling: a name's key without case and accents, the form an article
uses most, and misspellings one edit apart."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import replace

from search.models import Mention


def name_key(name: str) -> str:
    """A name without case and accents: "Pavković" and "PAVKOVIC" are one key."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def one_case_per_name(mentions: list[Mention]) -> list[Mention]:
    """ "Hamid bin Rashed" and "Hamid Bin Rashed", "Pavkovic" and "Pavković" in one article:
    one person, under the form the article uses most (the first of equals)."""
    forms = Counter(m.canonical for m in mentions if m.kind == "actor")
    best: dict[str, str] = {}
    for form, _ in forms.most_common():
        best.setdefault(name_key(form), form)
    return [
        replace(m, canonical=best[name_key(m.canonical)]) if m.kind == "actor" else m
        for m in mentions
    ]


def one_edit_apart(a: str, b: str) -> bool:
    """True when one substitution, insertion, deletion or swap turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
