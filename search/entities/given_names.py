"""Given names of many countries, as one sign that an actor value is a person's name.

The list is the name dictionary of Jörg Michael's "gender" program (about 48,000 given
names from Europe, the Americas, the Middle East and Asia, transliterated as news
writes them), shipped by the gender-guesser package (PyPI, GPLv3; we only read its
data file, never guess anyone's gender). The model calls "Capitol Rotunda", "Winter
Outlook" and "Sikorsky SeaKings" people; none of their words is anyone's given name.
A name without one is kept only where the article shows a person (names.py).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

DICTIONARY = "data/nam_dict.txt"
# Words that start or end the names of storms, operations, places and buildings, never a
# person's: "Hurricane Rita", "Fort Wayne", "Gatun Lake", "Capitol Rotunda". Words that
# are also common surnames ("Hall", "Church", "Park") are left out.
FIRST_THING_WORDS = {
    "Hurricane", "Hurricanes", "Typhoon", "Cyclone", "Storm", "Tropical", "Operation", "Fort",
    "Lake", "Mount", "Cape", "Port", "Gulf",
}  # fmt: skip
LAST_THING_WORDS = {
    "Lake", "River", "Island", "Islands", "Canal", "Valley", "Peninsula", "Desert", "Falls",
    "Mountains", "Sea", "Airport", "Street", "Avenue", "Square", "Station", "Stadium", "Arena",
    "Hospital", "Palace", "Cathedral", "Mosque", "Temple", "Museum", "Prison", "Rotunda",
    "Plaza", "Highway", "Dam",
}  # fmt: skip


@cache
def given_names() -> frozenset[str]:
    """Every given name of the dictionary, in its usual capitalisation."""
    text = files("gender_guesser").joinpath(DICTIONARY).read_text(encoding="utf-8")
    names: set[str] = set()
    for line in text.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 2 or line[0] in "#=":
            continue
        name = parts[1]  # "Jae+In": the parts of one name, written apart, joined or hyphenated
        names.update({name.replace("+", joint) for joint in ("", " ", "-")})
    return frozenset(word for name in names for word in name.split())


def has_given_name(name: str) -> bool:
    """Whether a word of the name, or a part of a hyphenated one, is a given name."""
    known = given_names()
    for word in name.split():
        if word in known or any(part.capitalize() in known for part in word.split("-")):
            return True
    return False


def names_a_thing(name: str) -> bool:
    """Whether the name starts or ends with a word that names a storm, place or building."""
    words = name.split()
    return len(words) > 1 and (words[0] in FIRST_THING_WORDS or words[-1] in LAST_THING_WORDS)
