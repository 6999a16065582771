"""Whether an article shows that a one-word name is a person: a title before it, or the
person speaking. "President Reagan", "Reagan said" are people; "Brexit", "Glaciers in the
Himalayas" and "the port of Santos" are not, whatever the model says."""

from __future__ import annotations

import re
from functools import lru_cache

# Titles and offices before a surname, as news writes them.
TITLES_BEFORE = [
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Prof",
    "Professor",
    "President",
    "Premier",
    "Chancellor",
    "Minister",
    "Secretary",
    "Senator",
    "Sen",
    "Rep",
    "Representative",
    "Governor",
    "Gov",
    "Mayor",
    "Ambassador",
    "Judge",
    "Justice",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Sheikh",
    "Rabbi",
    "Imam",
    "Bishop",
    "Cardinal",
    "Father",
    "General",
    "Gen",
    "Col",
    "Colonel",
    "Lt",
    "Sgt",
    "Admiral",
    "Captain",
    "Coach",
    "Chairman",
    "Chairwoman",
    "Commissioner",
    "Director",
    "Speaker",
    "Leader",
    "Chief",
    "Spokesman",
    "Spokeswoman",
    "Inspector",
    "Detective",
    "Officer",
    "Constable",
    "president",
    "premier",
    "chancellor",
    "minister",
    "secretary",
    "senator",
    "governor",
    "mayor",
    "ambassador",
    "judge",
    "general",
    "chairman",
    "chairwoman",
    "commissioner",
    "director",
    "speaker",
    "leader",
    "spokesman",
    "spokeswoman",
    "coach",
    "captain",
    "economist",
    "analyst",
    "manager",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
]
# What people do in news that places and things do not: speak.
SPEECH = [
    "said",
    "says",
    "told",
    "added",
    "asked",
    "wrote",
    "argued",
    "announced",
    "insisted",
    "replied",
    "warned",
    "urged",
    "noted",
    "explained",
    "stated",
    "admitted",
    "denied",
    "claimed",
    "believes",
    "thinks",
    "agreed",
    "acknowledged",
    "conceded",
    "vowed",
    "pledged",
    "promised",
    "testified",
    "recalled",
    "complained",
]


@lru_cache(maxsize=20000)
def person_context(name: str) -> re.Pattern[str]:
    """A title right before the name, or a verb of speech (or ", who") right after it."""
    words = r"\s+".join(re.escape(w) for w in name.split())
    titles = "|".join(TITLES_BEFORE)
    verbs = "|".join(SPEECH)
    return re.compile(
        rf"\b(?:{titles})\.?\s+{words}\b"
        rf"|(?<![\w-]){words}(?:\s+(?:also|has|had|then|later|again))?,?\s+(?:{verbs})\b"
        rf"|(?<![\w-]){words},\s+who\b"
    )


def shown_as_person(name: str, texts: dict[str, str]) -> bool:
    """Whether the texts name `name` as a person somewhere."""
    pattern = person_context(name)
    return any(pattern.search(text) for text in texts.values())
