"""One name per person within an article: titles dropped, surnames and misspellings merged."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from search.models import EntityKind, Mention

Field = Literal["title", "body"]
TITLES = {
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "President",
    "Prime", "Minister", "Chancellor", "Secretary", "Senator", "Sen", "Rep", "Governor", "Gov",
    "General", "Gen", "King", "Queen", "Prince", "Princess", "Pope", "Chairman", "Chief",
    "Judge", "Justice", "Ambassador", "Premier", "Vice", "Deputy", "Spokesman", "Spokeswoman",
    "Director", "Professor", "Coach", "Captain", "Commissioner", "Mayor", "Treasurer", "CEO",
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
ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z&]{1,7})\)")


@dataclass(frozen=True)
class Span:
    """A cleaned entity span as the model found it."""

    kind: EntityKind
    text: str
    field: Field
    start: int
    end: int


def resolve_names(spans: list[Span], texts: dict[str, str]) -> list[Mention]:
    """Merge titles, surnames and misspellings into full names; add the occurrences NER missed."""
    people = [p for s in spans if s.kind == "actor" and (p := drop_title(s)) is not None]
    full_names = {p.text for p in people if " " in p.text}
    # The model sometimes calls a person's surname an organisation: "Kiprono said".
    surnames = {name.split()[-1] for name in full_names}
    people += [s for s in spans if s.kind == "org" and s.text in surnames | full_names]
    spans = [s for s in spans if not (s.kind == "org" and s.text in surnames | full_names)]
    full_names |= find_missed_full_names(people, full_names, texts)
    mentions = [Mention("actor", canonical_person(p.text, full_names), p.text, p.field, p.start,
                        p.end) for p in people]  # fmt: skip
    mentions += org_mentions([s for s in spans if s.kind == "org"], texts)
    mentions += missed_occurrences(mentions, full_names, texts)
    return without_overlaps(mentions)


def drop_title(span: Span) -> Span | None:
    """'President Joe Biden' → 'Joe Biden'; a title alone is no name."""
    words = span.text.split()
    dropped = 0
    while words and words[0].rstrip(".") in TITLES:
        dropped += 1
        words.pop(0)
    if not words:
        return None
    if not dropped:
        return span
    start = span.end - len(" ".join(words))
    return Span(span.kind, span.text[start - span.start :], span.field, start, span.end)


def canonical_person(name: str, full_names: set[str]) -> str:
    """The full name a surname or misspelling stands for, when exactly one fits."""
    if " " in name:
        return name
    exact = [full for full in full_names if full.split()[-1] == name]
    if len(exact) == 1:
        return exact[0]
    if exact or len(name) < 6:
        return name
    surnames = {full: full.split()[-1] for full in full_names}
    close = [f for f, s in surnames.items() if len(s) >= 6 and one_edit_apart(s, name)]
    return close[0] if len(close) == 1 else name


def one_edit_apart(a: str, b: str) -> bool:
    """True when one substitution, insertion, deletion or swap turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def find_missed_full_names(people: list[Span], full_names: set[str],
                           texts: dict[str, str]) -> set[str]:  # fmt: skip
    """Full names the model missed: 'Yevgeny Prigozhin' where it tagged only 'Prigozhin'."""
    found = set()
    surnames = {full.split()[-1] for full in full_names}
    for person in people:
        if " " in person.text or person.text in surnames:
            continue
        pattern = re.compile(rf"\b((?:{NAME_WORD} ){{1,2}}){re.escape(person.text)}\b")
        for text in texts.values():
            for match in pattern.finditer(text):
                given = [w for w in match.group(1).split() if w not in NOT_GIVEN_NAMES]
                if given and given == match.group(1).split()[-len(given) :]:
                    found.add(" ".join([*given, person.text]))
    return found


def org_mentions(spans: list[Span], texts: dict[str, str]) -> list[Mention]:
    """Organisations under their most common capitalisation, acronyms linked to long names."""
    forms = Counter(s.text for s in spans)
    by_key: dict[str, str] = {}
    for form, _ in forms.most_common():
        by_key.setdefault(form.casefold(), form)
    acronyms = {initials(form): form for form in by_key.values() if " " in form}
    for span in spans:
        after = ACRONYM_AFTER.match(texts[span.field], span.end)
        if after and " " in span.text:
            acronyms[after.group(1)] = by_key[span.text.casefold()]
    return [
        Mention("org", acronyms.get(s.text) or by_key[s.text.casefold()], s.text, s.field, s.start,
                s.end)
        for s in spans
        if " " in s.text or s.text.isupper() or used_mid_sentence(s.text, texts)
    ]  # fmt: skip


def initials(name: str) -> str:
    """'International Monetary Fund' → 'IMF'; 'World Health Organization' → 'WHO'."""
    return "".join(w[0] for w in name.split() if w.lower() not in ("of", "the", "and", "for"))


def used_mid_sentence(word: str, texts: dict[str, str]) -> bool:
    """A capitalised word seen only at sentence starts ("Farmers said") is no name."""
    pattern = re.compile(rf"(?<=[a-z,;] ){re.escape(word)}\b")
    return any(pattern.search(text) for text in texts.values())


def missed_occurrences(mentions: list[Mention], full_names: set[str],
                       texts: dict[str, str]) -> list[Mention]:  # fmt: skip
    """Every further place a known name occurs, so the article page can highlight them all."""
    forms: dict[tuple[str, str], str] = {}
    for mention in mentions:
        forms[(mention.kind, mention.surface)] = mention.canonical
    for full in full_names:
        forms[("actor", full)] = full
        surname = full.split()[-1]
        if canonical_person(surname, full_names) == full:
            forms[("actor", surname)] = full
    taken = {(m.field, m.start) for m in mentions}
    extra = []
    for (kind, surface), canonical in forms.items():
        pattern = re.compile(rf"(?<![\w-]){re.escape(surface)}(?![\w-])")
        for field, text in texts.items():
            for match in pattern.finditer(text):
                if (field, match.start()) not in taken:
                    found = Mention(kind, canonical, surface, field, match.start(), match.end())  # type: ignore[arg-type]
                    extra.append(found)
    return extra


def without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Mentions sorted by place; where two overlap, the longer one stays."""
    ordered = sorted(mentions, key=lambda m: (m.field != "title", m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and kept[-1].field == mention.field and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
