"""Given names of many countries, as one sign that an actor value is a person's name.

The list (data/given_names.txt) holds the first names of every locale of Faker (PyPI,
MIT licence): about 26,000 names from Europe, the Americas, Africa, the Middle East and
South and East Asia, in Latin letters with and without their accents, Cyrillic ones
transliterated as English-language news writes them. bench/build_given_names.py builds it
from the Faker the lock file pins, and tests/test_given_names.py checks the file is that
build. The model calls "Capitol Rotunda" and "Sikorsky SeaKings"
people; none of their words is anyone's given name. A name without one is kept only
where the article shows a person (names.py).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

LIST = "data/given_names.txt"
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
    """Every given name of the list, in its usual capitalisation."""
    text = files("search.entities").joinpath(LIST).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


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
