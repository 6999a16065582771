"""Where a name span really begins and ends: not across a heading's end or a dash, not
cut inside "Ursula von der Leyen" or "Moon Jae-in", not glued to a country before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from search.entities.countries import load_gazetteer
from search.models import EntityKind

Field = Literal["title", "body"]

# Lower-case words inside people's names ("Ursula von der Leyen", "Osama bin Laden").
PARTICLES = {
    "von", "van", "der", "den", "de", "du", "da", "di", "del", "della", "dos", "das", "le",
    "la", "bin", "ibn", "al", "el", "ter", "ten", "zu", "y",
}  # fmt: skip
_PARTICLE = "|".join(sorted(PARTICLES))
# Particles then a capitalised word, right after a span: " der Leyen", " bin Laden".
PARTICLES_THEN_NAME = re.compile(rf"(?:[ \t]+(?:{_PARTICLE}))+[ \t]+[A-Z][\w'’]*[a-z]")
NAME_AFTER_PARTICLE = re.compile(r"[ \t]+[A-Z][\w'’]*[a-z]")
# The lower-case second part of a hyphenated given name: "-in" of "Jae-in".
HYPHEN_TAIL = re.compile(r"-[a-z]+\b")
# A monarch's or a pope's number after the name: "Rainier III", "Benedict XVI".
REGNAL_NUMBER = re.compile(r"[ \t]+(?:I{2,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XV|XVI{1,3})(?![\w'’-])")
# Honours and offices written after a name: "Richard Mawrey QC" is Richard Mawrey.
POST_NOMINALS = {"QC", "KC", "MP", "MEP", "MSP", "OBE", "MBE", "CBE", "KBE", "PhD", "MD"}
# What no name runs across: a paragraph break, an indented new paragraph, a spaced dash
# ("Tammy Duckworth - The ..."), a colon, a vertical bar.
BOUNDARY = re.compile(r"\n[ \t]*\n|\n(?=[ \t])|[ \t]+[-–—|][ \t]+|:\s|\s[|]\s")
HEADING_MAX = 40  # a line this short before a break is a heading, not wrapped text


def within_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    """The longest part of a span that crosses no boundary (the first of equals)."""
    cuts = [(m.start(), m.end()) for m in BOUNDARY.finditer(text, start, end)]
    cuts += [(m.start(), m.end()) for m in re.finditer("\n", text[start:end]) if _after_heading(
        text, start + m.start())]  # fmt: skip
    if not cuts:
        return start, end
    parts, position = [], start
    for cut_start, cut_end in sorted(cuts):
        if cut_start >= position:
            parts.append((position, cut_start))
            position = cut_end
    parts.append((position, end))
    return max(parts, key=lambda p: (len(text[p[0] : p[1]].split()), -p[0]))


def _after_heading(text: str, newline: int) -> bool:
    line_start = text.rfind("\n", 0, newline) + 1
    return newline - line_start <= HEADING_MAX and not text[line_start:newline].rstrip().endswith(
        ","
    )


def whole_person_name(text: str, start: int, end: int) -> tuple[int, int]:
    """A person's span extended over what the model cut: a hyphenated given name's tail and
    lower-case particles with the name after them; a particle left dangling is dropped."""
    tail = HYPHEN_TAIL.match(text, end)
    if tail:
        end = tail.end()
    words = text[start:end].split()
    after = (NAME_AFTER_PARTICLE if words[-1] in PARTICLES else PARTICLES_THEN_NAME).match(
        text, end
    )
    if after and "\n\n" not in after.group():
        end = after.end()
        tail = HYPHEN_TAIL.match(text, end)
        end = tail.end() if tail else end
    while len(words := text[start:end].split()) > 1 and (
        words[-1] in PARTICLES or words[-1].rstrip(".,") in POST_NOMINALS
    ):
        end = start + text[start:end].rstrip().rfind(" ")
        end = len(text[:end].rstrip())
    number = REGNAL_NUMBER.match(text, end)
    return start, number.end() if number else end


def without_leading_country(text: str, start: int, end: int) -> int:
    """Where a person's name starts after a country glued before it ("Zimbabwe Robert
    Mugabe", "Iraqi Prime Minister ..."): two words at least must be left."""
    words = list(re.finditer(r"\S+", text[start:end]))
    gazetteer = load_gazetteer()
    if len(words) >= 3 and words[0].group() in gazetteer:
        return start + words[1].start()
    return start


@dataclass(frozen=True)
class Span:
    """A cleaned entity span as the model found it."""

    kind: EntityKind
    text: str
    field: Field
    start: int
    end: int
