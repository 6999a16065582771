"""Whether an article shows that a one-word name is a person: a title before it, the
person speaking, what only people have. "President Reagan", "Reagan said", "the Reagan
administration" are people; "Brexit", "Glaciers in the Himalayas" and "the port of
Santos" are not, whatever the model says."""

from __future__ import annotations

import re
from functools import lru_cache

# Titles and offices before a surname, as news writes them.
TITLES_BEFORE = {
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "Prof", "Professor",
    "President", "Pres", "Premier", "Chancellor", "Minister", "Secretary", "Senator", "Sen",
    "Rep", "Representative", "Governor", "Gov", "Mayor", "Ambassador", "Judge", "Justice",
    "King", "Queen", "Prince", "Princess", "Pope", "Sheikh", "Rabbi", "Imam", "Bishop",
    "Cardinal", "Father", "General", "Gen", "Col", "Colonel", "Lt", "Sgt", "Admiral",
    "Captain", "Coach", "Chairman", "Chairwoman", "Commissioner", "Director", "Speaker",
    "Leader", "Chief", "Spokesman", "Spokeswoman", "Inspector", "Detective", "Officer",
    "Constable", "president", "premier", "chancellor", "minister", "secretary", "senator",
    "governor", "mayor", "ambassador", "judge", "general", "chairman", "chairwoman",
    "commissioner", "director", "speaker", "leader", "spokesman", "spokeswoman", "coach",
    "captain", "economist", "analyst", "manager", "striker", "midfielder", "defender",
    "goalkeeper",
}  # fmt: skip
# What people do in news that places and things do not: speak.
SPEECH = {
    "said", "says", "told", "added", "asked", "wrote", "argued", "announced", "insisted",
    "replied", "warned", "urged", "noted", "explained", "stated", "admitted", "denied",
    "claimed", "believes", "thinks", "agreed", "acknowledged", "conceded", "vowed", "pledged",
    "promised", "testified", "recalled", "complained",
}  # fmt: skip
# What only a person has: "the Bush administration", "Whitcombe's wife".
BELONGINGS = {
    "administration", "presidency", "cabinet", "aides", "aide", "wife", "husband", "son",
    "daughter", "spokesman", "spokeswoman",
}  # fmt: skip


@lru_cache(maxsize=20000)
def person_context(name: str, speech: bool = True) -> re.Pattern[str]:
    """A title right before the name, ", who" or something only a person has after it,
    and (if speech) a verb of speech after it: organisations speak too."""
    words = r"\s+".join(re.escape(w) for w in name.split())
    titles, verbs = "|".join(sorted(TITLES_BEFORE)), "|".join(sorted(SPEECH))
    belongings = "|".join(sorted(BELONGINGS))
    said = rf"|(?<![\w-]){words}(?:\s+(?:also|has|had|then|later|again))?,?\s+(?:{verbs})\b"
    return re.compile(
        rf"\b(?:{titles})\.?\s+{words}\b"
        rf"|(?<![\w-]){words},\s+who\b"
        rf"|(?<![\w-]){words}(?:'s|’s)?\s+(?:{belongings})\b" + (said if speech else "")
    )


def shown_as_person(name: str, texts: dict[str, str], speech: bool = True) -> bool:
    """Whether the texts name `name` as a person somewhere (by speech too, if speech)."""
    pattern = person_context(name, speech)
    return any(pattern.search(text) for text in texts.values())
