"""One name per person within an article: titles dropped, surnames and misspellings merged."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from search.entities.evidence import occurrences, people_shown_as_such, shown_as_person
from search.entities.organisations import (
    CORPORATE_SUFFIX_WORDS,
    joined_organisations,
    org_mentions,
)
from search.entities.spans import PARTICLES, Span
from search.entities.spellings import name_key, one_case_per_name, one_edit_apart
from search.models import Mention

TITLES = {
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "President",
    "Prime", "Minister", "Chancellor", "Secretary", "Senator", "Sen", "Rep", "Governor", "Gov",
    "General", "Gen", "King", "Queen", "Prince", "Princess", "Pope", "Chairman", "Chief",
    "Judge", "Justice", "Ambassador", "Premier", "Vice", "Deputy", "Spokesman", "Spokeswoman",
    "Director", "Professor", "Coach", "Captain", "Commissioner", "Mayor", "Treasurer", "CEO",
    "Ayatollah", "Archbishop", "Bishop", "Cardinal", "Sheikh", "Imam", "Rabbi", "Mullah",
    "Reverend", "Rev", "Pastor", "Emir", "Sultan",
    # Offices that precede a name in news style: "Exchequer Nigel Lawson", "Staff Howard Baker".
    "Exchequer", "Staff", "Treasury", "Trade", "Foreign", "Finance", "Economics", "Economy",
    "Energy", "Oil", "Agriculture", "Commerce", "Defence", "Defense", "Labour", "Labor",
    "Interior", "Industry", "Budget", "Planning", "Petroleum", "Chairwoman", "Speaker",
    "Leader", "Senior", "Executive", "Officer", "Analyst", "Economist", "Central", "Bank",
    # Party labels before a name: "Democrat Maren Holt".
    "Democrat", "Democratic", "Republican", "Conservative", "Liberal", "Socialist",
}  # fmt: skip
# Capitalised words that start sentences or name things, never a given name.
NOT_GIVEN_NAMES = TITLES | {
    "The", "A", "An", "In", "On", "At", "For", "But", "And", "Of", "To", "By", "As", "With",
    "From", "After", "Before", "When", "While", "If", "That", "This", "Meanwhile", "However",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Taking",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Kremlin", "State", "Federal", "National", "Said",
}  # fmt: skip
NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# Titles and offices after which news style gives a person's full name.
NAME_TITLES = """Mr Mrs Ms Dr President Minister Secretary Governor Chairman Chairwoman Chancellor
    Senator Sen Rep Representative Ambassador Premier Director Spokesman Spokeswoman
    Commissioner Judge King Queen Prince Mayor Treasurer Economist Analyst Leader Speaker
    president minister secretary governor chairman chairwoman chancellor senator ambassador
    premier director spokesman spokeswoman commissioner mayor treasurer economist analyst
    executive officer"""
SURNAME_PARTICLES = PARTICLES
NAME_PART = (
    rf"(?:(?:{'|'.join(sorted(SURNAME_PARTICLES))})\s+){{0,2}}"  # "Barend du Plessis"
    r"(?:[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)"
)
TITLED_NAME = re.compile(
    rf"\b(?:{'|'.join(NAME_TITLES.split())})\.?\s+"
    rf"((?:{NAME_PART}[ \t\n]+){{1,3}}{NAME_PART})(?![\w'-])"
)
# Words that end or belong to organisations' names, never people's.
ORG_LIKE = {
    "Inc", "Corp", "Co", "Ltd", "Plc", "Bank", "Group", "Party", "Ministry", "Company", "Fund",
    "Council", "Commission", "Agency", "Association", "University", "Institute", "Exchange",
    "Board", "Committee", "Department", "Union", "Reserve", "Treasury", "House", "Senate",
    "Motors", "Dynamics", "Electric", "Mills", "Foods", "Industries", "Airlines", "Systems",
}  # fmt: skip
# Units and codes of tables and wires: never part of a name.
UNITS = {
    "CTS", "CT", "GMT", "EST", "EDT", "CST", "CDT", "PST", "PDT", "BST", "AAA", "AA", "BBB",
    "NOTE", "DLRS", "DLR", "MLN", "BLN", "PCT", "SHR", "SHRS", "QTR", "REVS", "AVG", "MTHS",
    "STG", "YR", "OPER", "NET", "LOSS", "PROFIT", "DIV", "QTLY", "PRIOR", "PAY", "RECORD",
}  # fmt: skip
# Marks a political group's name ("Republicans"): the archive makes it the party it
# knows by name ("Republican Party"), or leaves it out of the facets.
GROUP_MARK = " (group)"
# A hyphenated given name with a lower-case second part, after the family name.
KOREAN_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
NEXT_WORD = re.compile(r"\s*\S+")


def resolve_names(spans: list[Span], texts: dict[str, str]) -> list[Mention]:
    """Merge titles, surnames and misspellings into full names; add the occurrences NER missed."""
    spans = [people_called_organisations(s, texts) for s in joined_organisations(spans, texts)]
    people = [p for s in spans if s.kind == "actor" and (p := drop_title(s)) is not None]
    titled = find_titled_names(texts)
    people = titled + [p for p in people if not any(_inside(p, t) for t in titled)]
    spans = [s for s in spans if s.kind == "actor" or not any(_overlap(s, t) for t in titled)]
    spans = [cut_at_people(s, people + spans, texts) if s.kind == "org" else s for s in spans]
    spans = [s for s in spans if s.text]
    full_names = {p.text for p in people if " " in p.text}
    # The model sometimes calls a person's surname an organisation: "Kiprono said".
    # "Pavković" beside "General Pavkovic": one person, whatever the accents.
    known = {name_key(surname(name)) for name in full_names} | {name_key(n) for n in full_names}
    # A one-word name as both kinds keeps the model's word for each ("Dell"); spelt two ways,
    # it is the person's.
    spellings: dict[str, set[str]] = {}
    for person in people:
        spellings.setdefault(name_key(person.text), set()).add(person.text)
    org_texts = {s.text for s in spans if s.kind == "org"}
    known |= {key for key, forms in spellings.items() if len(forms) > 1 or not forms & org_texts}
    people += [s for s in spans if s.kind == "org" and name_key(s.text) in known]
    spans = [s for s in spans if not (s.kind == "org" and name_key(s.text) in known)]
    full_names |= find_missed_full_names(people, full_names, texts)
    # "Phelps" beside "Phelps Dodge Corp" is the company, unless a person is named so.
    companies = {s.text.split()[0]: s for s in spans if s.kind == "org" and " " in s.text}
    surnames = {surname(name) for name in full_names}
    named_after = [p for p in people if p.text in companies and p.text not in surnames]
    people = [p for p in people if p not in named_after]
    spans += [Span("org", companies[p.text].text, p.field, p.start, p.end) for p in named_after]
    mentions = [Mention("actor", canonical_person(p.text, full_names), p.text, p.field, p.start,
                        p.end) for p in people]  # fmt: skip
    mentions += org_mentions([s for s in spans if s.kind == "org"], texts)
    mentions += missed_occurrences(mentions, full_names, texts)
    return without_overlaps(people_shown_as_such(one_case_per_name(mentions), texts))


def people_called_organisations(span: Span, texts: dict[str, str]) -> Span:
    """An "organisation" of two or three plain words that the article shows as a person
    ("Democrat Maren Holt ... Senator Holt") is that person: the model knows few given
    names from outside the English-speaking world."""
    words = span.text.split()
    if span.kind != "org" or not 2 <= len(words) <= 3 or span.text.isupper():
        return span
    if any(w.rstrip(".,") in ORG_LIKE or w in CORPORATE_SUFFIX_WORDS for w in words):
        return span
    if shown_as_person(span.text, texts, speech=False) or shown_as_person(
        words[-1], texts, speech=False
    ):
        return Span("actor", span.text, span.field, span.start, span.end)
    return span


def cut_at_people(org: Span, people: list[Span], texts: dict[str, str]) -> Span:
    """An organisation span that runs into a person's name ends before it: "Organisation for
    Economic Cooperation and Development Jean-Claude Paye"."""
    names = {p.text for p in people if " " in p.text and p.text != org.text}
    tail = next((n for n in names if org.text.endswith(" " + n)), None)
    if tail is not None:  # the same name seen on its own elsewhere in the article
        cut = org.end - len(tail)
        people = [*people, Span("actor", tail, org.field, cut, org.end)]
    for person in people:
        if person.field == org.field and org.start < person.start < org.end <= person.end:
            text = texts[org.field]
            end = person.start
            while end > org.start and not text[end - 1].isalnum():
                end -= 1
            words = text[org.start : end].split()
            while words and words[-1].rstrip(".,") in TITLES:
                words.pop()
                end = org.start + text[org.start : end].rstrip().rfind(" ") if words else org.start
            return Span(org.kind, " ".join(words), org.field, org.start, max(end, org.start))
    return org


def find_titled_names(texts: dict[str, str]) -> list[Span]:
    """Full names right after a title or office: "Governor Satoshi Sumita", "spokesman Marlin
    Fitzwater". News style puts them there, and the model misses a few of them."""
    found = []
    for field, text in texts.items():
        for match in TITLED_NAME.finditer(text):
            words = match.group(1).split()
            while words and (words[-1] in NOT_GIVEN_NAMES or words[-1].rstrip(".") in ORG_LIKE):
                words.pop()
            if len(words) < 2 or any(w in NOT_GIVEN_NAMES or w in ORG_LIKE for w in words):
                continue
            start = match.start(1)
            end = _end_of_words(text, start, len(words))  # over the text's own whitespace
            found.append(Span("actor", " ".join(words), field, start, end))  # type: ignore[arg-type]
    return found


def _end_of_words(text: str, start: int, count: int) -> int:
    position = start
    for _ in range(count):
        match = NEXT_WORD.match(text, position)
        position = match.end() if match else position
    return position


def _inside(span: Span, outer: Span) -> bool:
    return span.field == outer.field and outer.start <= span.start and span.end <= outer.end


def _overlap(span: Span, other: Span) -> bool:
    return span.field == other.field and span.start < other.end and other.start < span.end


def drop_title(span: Span) -> Span | None:
    """'President Joe Biden' → 'Joe Biden'; a title alone is no name."""
    words = span.text.split()
    dropped = 0
    # Titles, and what a sentence or line put before the name ("Besides Reagan's", "Sen.\nand
    # Reagan"): lower-case words and function words.
    while words and (
        words[0].rstrip(".") in TITLES
        or len(words) > 1
        and words[0].lower() not in SURNAME_PARTICLES  # "von der Leyen" stays whole
        and (words[0].islower() or words[0].lower() in STOP_WORDS)
    ):
        dropped += 1
        words.pop(0)
    if not words or (dropped and len(words) == 1 and words[0] in ORG_LIKE):
        return None  # "General Motors" is no General called Motors
    if not dropped:
        return span
    start = span.end - len(" ".join(words))
    return Span(span.kind, span.text[start - span.start :], span.field, start, span.end)


def surname(full_name: str) -> str:
    """A full name's surname, with its particle: 'Barend du Plessis' -> 'du Plessis'."""
    words = full_name.split()
    if len(words) == 2 and KOREAN_GIVEN.fullmatch(words[1]):
        return words[0]  # family name first: "Moon Jae-in" -> "Moon"
    first = len(words) - 1
    while first > 1 and words[first - 1].lower() in SURNAME_PARTICLES:
        first -= 1  # "Ursula von der Leyen" -> "von der Leyen"
    return " ".join(words[first:])


def canonical_person(name: str, full_names: set[str]) -> str:
    """The full name a surname or misspelling stands for, when exactly one fits."""
    if " " in name and name.split()[0].lower() not in SURNAME_PARTICLES:
        return name
    exact = [full for full in full_names if surname(full).casefold() == name.casefold()]
    # "Osama bin Laden" and "Osama Bin Laden" are one bearer of "Bin Laden".
    exact = list({name_key(full): full for full in sorted(exact)}.values())
    if " " in name:
        return exact[0] if len(exact) == 1 else name
    if len(exact) == 1:
        return exact[0]
    if exact or len(name) < 6:
        return name
    surnames = {full: full.split()[-1] for full in sorted(full_names)}
    close = [f for f, s in surnames.items() if len(s) >= 6 and one_edit_apart(s, name)]
    return close[0] if len(close) == 1 else name


def find_missed_full_names(people: list[Span], full_names: set[str],
                           texts: dict[str, str]) -> set[str]:  # fmt: skip
    """Full names the model missed: 'Yevgeny Prigozhin' where it tagged only 'Prigozhin'."""
    found = set()
    surnames = {surname(full) for full in full_names}
    for person in people:
        if " " in person.text or person.text in surnames:
            continue
        pattern = given_names_before(person.text)
        for text in texts.values():
            for match in pattern.finditer(text):
                given = [w for w in match.group(1).split()
                         if w not in NOT_GIVEN_NAMES and w.upper() not in UNITS]  # fmt: skip
                if given and given == match.group(1).split()[-len(given) :]:
                    found.add(" ".join([*given, person.text]))
    return found


def missed_occurrences(mentions: list[Mention], full_names: set[str],
                       texts: dict[str, str]) -> list[Mention]:  # fmt: skip
    """Every further place a known name occurs, so the article page can highlight them all."""
    forms: dict[tuple[str, str], str] = {}
    for mention in mentions:
        forms[(mention.kind, mention.surface)] = mention.canonical
    for full in sorted(full_names):  # one order whatever the hash seed
        forms[("actor", full)] = full
        short = surname(full)
        if canonical_person(short, full_names) == full:
            forms[("actor", short)] = full
            forms[("actor", short[0].upper() + short[1:])] = full  # "Du Plessis said"
    taken = {(m.field, m.start) for m in mentions}
    extra = []
    for (kind, surface), canonical in forms.items():
        pattern = occurrences(surface)
        for field, text in texts.items():
            for match in pattern.finditer(text):
                if (field, match.start()) not in taken:
                    found = Mention(kind, canonical, surface, field, match.start(), match.end())  # type: ignore[arg-type]
                    extra.append(found)
    return extra


# Patterns per name, compiled once per process: names recur from article to article.
@lru_cache(maxsize=20000)
def given_names_before(surname: str) -> re.Pattern[str]:
    """One or two capitalised words before a surname: 'Yevgeny' in 'Yevgeny Prigozhin'."""
    return re.compile(rf"\b((?:{NAME_WORD}\s+){{1,2}}){spaced(surname)}\b")


def spaced(name: str) -> str:
    """A pattern for a name that allows any whitespace, line breaks too, between its words."""
    return r"\s+".join(re.escape(word) for word in name.split())


def without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Mentions sorted by place; where two overlap, the longer one stays."""
    ordered = sorted(mentions, key=lambda m: (m.field != "title", m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and kept[-1].field == mention.field and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
