"""Whether an article shows that a one-word name is a person: a title before it, the
person speaking, what only people have. "President Reagan", "Reagan said", "the Reagan
administration" are people; "Brexit", "Glaciers in the Himalayas" and "the port of
Santos" are not, whatever the model says."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from search.entities.given_names import has_given_name, names_a_thing
from search.entities.results import entered_with_country
from search.models import Mention

# Titles and offices before a surname, as news writes them.
TITLES_BEFORE = {
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "Prof", "Professor",
    "President", "Pres", "Premier", "Chancellor", "Minister", "Secretary", "Senator", "Sen",
    "Rep", "Representative", "Governor", "Gov", "Mayor", "Ambassador", "Judge", "Justice",
    "King", "Queen", "Prince", "Princess", "Pope", "Sheikh", "Sheik", "Rabbi", "Imam", "Bishop",
    "Archbishop", "Ayatollah", "Mullah", "Rev", "Reverend", "Pastor", "Emir", "Sultan",
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
# Marks a name that may be no person's ("Winter Outlook"): the archive keeps it as a
# person where another article shows it as one, and leaves it out everywhere else.
UNCONFIRMED = " (unconfirmed)"
# How news introduces a person by a full name: speech before it ("said Jibril Rajoub"), an
# office in apposition ("The Foreign Minister of Sri Lanka, Lakshman Kadirgamar," /
# "Condoleezza Rice, U.S. Secretary of State"), an age ("Gary Klein, 45,").
SPEECH_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(SPEECH))}|according to)\s+\Z")
OFFICE = rf"(?:{_TITLES}|[Cc]hief|[Hh]ead|[Oo]wner|[Ff]ounder|[Mm]ember|[Oo]fficial|[Ll]awyer)"
APPOSITION_BEFORE = re.compile(rf"\b{OFFICE}\b(?:\s+[\w.'’-]+){{0,4}},\s+\Z")
APPOSITION_AFTER = re.compile(rf",\s+(?:\d{{1,3}},|(?:[\w.'’-]+\s+){{0,4}}{OFFICE}\b)")
LOOK_AROUND = 60  # characters before a name where an apposition's office may be


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


def people_shown_as_such(mentions: list[Mention], texts: dict[str, str]) -> list[Mention]:
    """The mentions without one-word "people" the article never shows as a person
    ("Brexit", "Glaciers", a port), and with longer ones that have no given name or a word
    of a storm, place or building ("Winter Outlook", "Fort Wayne") marked as unconfirmed
    unless the article shows them as people: the archive keeps them only where another
    article does ("talks with Condoleezza Rice" in passing, "Secretary Condoleezza Rice")."""
    surfaces: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.kind == "actor":
            surfaces.setdefault(mention.canonical, {mention.canonical}).add(mention.surface)
    wrong = {
        name for name, forms in surfaces.items()
        if _doubtful(name) and not any(_shown(form, texts) for form in forms)
    }  # fmt: skip
    return [
        m if m.kind != "actor" or m.canonical not in wrong
        else replace(m, canonical=m.canonical + UNCONFIRMED)
        for m in mentions
        if m.kind != "actor" or m.canonical not in wrong or " " in m.canonical
    ]  # fmt: skip


def _doubtful(name: str) -> bool:
    return " " not in name or names_a_thing(name) or not has_given_name(name)


def _shown(name: str, texts: dict[str, str]) -> bool:
    if " " not in name:
        return shown_as_person(name, texts)
    # Organisations speak too: a longer name needs more than "X said".
    last = name.split()[-1]
    if shown_as_person(name, texts, speech=False) or shown_as_person(last, texts, speech=False):
        return True
    if entered_with_country(name, texts.get("body", "")):
        return True
    return introduced_as_person(name, texts)


def introduced_as_person(name: str, texts: dict[str, str]) -> bool:
    """Whether the texts introduce a full name as a person's: speech before it, an office
    or an age in apposition."""
    for text in texts.values():
        for match in occurrences(name).finditer(text):
            start, end = match.span()
            if SPEECH_BEFORE.search(text, max(0, start - LOOK_BEHIND), start):
                return True
            if APPOSITION_BEFORE.search(text, max(0, start - LOOK_AROUND), start):
                return True
            if APPOSITION_AFTER.match(text, end):
                return True
    return False
