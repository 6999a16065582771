"""All-caps text (headlines, datelines, tables): where names and words need other rules."""

from __future__ import annotations

import re
import string
from functools import lru_cache

LETTER = re.compile(r"[^\W\d_]")
WITHOUT_LOWER = str.maketrans("", "", string.ascii_lowercase)
WITHOUT_UPPER = str.maketrans("", "", string.ascii_uppercase)


@lru_cache(maxsize=8192)  # each line is asked about by several steps of one article
def is_shouting(text: str, min_letters: int = 4) -> bool:
    """True when at least min_letters letters are there and over 80% of them are capitals."""
    # Counted in C: this runs on every line of every article.
    if text.isascii():
        lower = len(text) - len(text.translate(WITHOUT_LOWER))
        letters = lower + len(text) - len(text.translate(WITHOUT_UPPER))
    else:
        letters = len(LETTER.findall(text))
        lower = sum(c.islower() for c in text)
    if letters < min_letters:
        return False
    return letters - lower > 0.8 * letters


def line_at(text: str, position: int) -> str:
    """The line of text that holds the character at position."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]


# A word; dots only inside ("U.S."), not the one that ends a sentence.
CASE_WORD = re.compile(r"[^\W\d_](?:[\w'’-]|\.(?=\w))*\.?(?<!\w\w\.)")


def case_forms(text: str) -> dict[str, str]:
    """How the text writes each word outside its all-caps lines: lower-cased word -> form."""
    forms: dict[str, str] = {}
    for line in text.split("\n"):
        if is_shouting(line):
            continue
        for match in CASE_WORD.finditer(line):
            word = match.group()
            key = word.lower()
            # A word the text ever writes in lower case is a word, whatever starts a sentence.
            if forms.get(key, "x")[:1].isupper() or key not in forms:
                forms[key] = word
    return forms


def restored_case(line: str, forms: dict[str, str], stop_words: set[str]) -> str:
    """An all-caps line in the case the article itself writes its words ("REAGAN SAYS HE
    WILL VETO" -> "Reagan says he will veto"), so that the model can read it. Words the
    article never writes otherwise: dotted ones ("U.N.") as they are, the rest in lower
    case (the names that matter are in the story too). The result has the line's length,
    so offsets hold."""

    def restore(match: re.Match[str]) -> str:
        word = match.group()
        key = word.lower()
        if key in forms:
            form = forms[key]
        elif "." in word and key not in stop_words:
            form = word  # "U.N."
        else:
            form = key
        return form if len(form) == len(word) else word

    return CASE_WORD.sub(restore, line)
