"""All-caps text (headlines, datelines, tables): where names and words need other rules."""

from __future__ import annotations


def is_shouting(text: str, min_letters: int = 4) -> bool:
    """True when at least min_letters letters are there and over 80% of them are capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= min_letters and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def line_at(text: str, position: int) -> str:
    """The line of text that holds the character at position."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)]
