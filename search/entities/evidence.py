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


_TITLES = "|".join(sorted(TITLES_BEFORE))
TITLE_BEFORE = re.compile(rf"\b(?:{_TITLES})\.?\s+\Z")
# After the name: ", who", what only a person has, and a verb of speech (or not: see below).
STRONG_AFTER = re.compile(rf",\s+who\b|(?:'s|’s)?\s+(?:{'|'.join(sorted(BELONGINGS))})\b")
SPEECH_AFTER = re.compile(
    rf"(?:\s+(?:also|has|had|then|later|again))?,?\s+(?:{'|'.join(sorted(SPEECH))})\b"
)
LOOK_BEHIND = 20  # characters before a name where its title is


@lru_cache(maxsize=20000)
def occurrences(name: str) -> re.Pattern[str]:
    """The name as whole words, any whitespace between them."""
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])")


def shown_as_person(name: str, texts: dict[str, str], speech: bool = True) -> bool:
    """Whether the texts name `name` as a person somewhere: a title right before it, or
    ", who" or something only a person has after it; with speech, a verb of speech after
    it too (organisations speak as well, so speech alone does not make one a person)."""
    for text in texts.values():
        for match in occurrences(name).finditer(text):
            start, end = match.span()
            if TITLE_BEFORE.search(text, max(0, start - LOOK_BEHIND), start):
                return True
            if STRONG_AFTER.match(text, end) or (speech and SPEECH_AFTER.match(text, end)):
                return True
    return False
