"""All-caps text (headlines, datelines, tables): where names and words need other rules."""

from __future__ import annotations

import re

LETTER = re.compile(r"[^\W\d_]")
LOWER = re.compile(r"[a-zß-öø-ÿ]")


def is_shouting(text: str, min_letters: int = 4) -> bool:
    """True when at least min_letters letters are there and over 80% of them are capitals."""
    # Counted by regular expressions, in C: this runs on every line of every article.
    letters = len(LETTER.findall(text))
    if letters < min_letters:
        return False
    lower = len(LOWER.findall(text)) if text.isascii() else sum(c.islower() for c in text)
    return letters - lower > 0.8 * letters


def line_at(text: str, position: int) -> str:
    """The line of text that holds the character at position."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]
