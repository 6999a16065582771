"""Organisations within an article: names the model cut at "and" joined, company suffixes
kept, acronyms linked to their long names, one capitalisation per organisation."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from search.entities.evidence import LOOK_BEHIND, TITLE_BEFORE, UNCONFIRMED, occurrences
from search.entities.reading import is_table_row
from search.entities.shouting import line_at
from search.entities.spans import Field, Span
from search.models import Mention

CORPORATE_SUFFIX_WORDS = {"Co", "Corp", "Inc", "Ltd", "Plc", "PLC", "Cos", "Corporation",
                          "Company", "Group", "Bank", "Brothers"}  # fmt: skip
SUFFIX_AFTER = re.compile(
    r"(?:\s+(?:and|&))?\s+(?:Co|Corp|Inc|Ltd|Plc|PLC|AG|NV|Cos)\b\.?(?:\s+Inc\b\.?)?"
)
AND_BETWEEN = re.compile(r"\s+(?:and|&)\s+")
PARTNER_BEFORE = re.compile(r"\b[A-Z][\w.'-]*\s+(?:and|&)\s+\Z")
ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z&]{1,7})\)")
# Common nouns that news puts right before an organisation's name, never a person's:
# "the state oil company Petrobras", "the organization Reporters Without Borders".
ORGANISATION_NOUNS = """company firm group organisation organization agency carrier airline
    maker manufacturer retailer insurer lender broadcaster newspaper network operator charity
    conglomerate subsidiary watchdog website band club party movement brewer publisher
    chain developer producer supplier utility"""
FORUM_CODE = re.compile(r"(?<![\w-])G-?\d{1,2}(?![\w-])")
# Events, laws, prizes and contests are named like organisations but are none.
NOT_ORG_ENDINGS = {
    "Elections", "Election", "War", "Crisis", "Summit", "Talks", "Day", "Act", "Acts", "Bill",
    "Treaty", "Accord", "Accords", "Protocol", "Doctrine", "Prize", "Award", "Awards", "Cup",
    "Olympics", "Championship", "Championships", "Festival", "Revolution", "Outlook",
    # Places: "Colts Neck Township", "Kerala Province".
    "Township", "County", "Province", "Prefecture", "Peninsula", "Valley", "Strait", "Quay",
}  # fmt: skip
# A person's title first makes a name no organisation's: "Inspector General of Police".
PERSONAL_TITLES = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Professor", "Inspector", "Senator", "Sen", "Rep",
    "Governor", "Mayor", "Judge", "Ambassador", "Spokesman", "Spokeswoman", "Detective",
    "Sergeant", "Constable", "Superintendent", "Lt", "Sgt", "Cpl", "Councillor", "Councilor",
}  # fmt: skip
# The noun, plural too, and maybe a first name of a list: "taxi firms Addison Lee and Gett".
NOUN_BEFORE = re.compile(
    rf"\b(?:{'|'.join(ORGANISATION_NOUNS.split())})s?(,?)\s+"
    r"(?:[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}\s+(?:and|&)\s+)?\Z"
)
LIST_BEHIND = 60  # characters before a name where a noun and a list's first name may be


def joined_organisations(spans: list[Span], texts: dict[str, str]) -> list[Span]:
    """Organisations the model cut at "and": "American Telephone" + "Telegraph Co" is one,
    and so is "Standard and" + "Poor's Corp"."""
    spans = sorted(spans, key=lambda s: (s.field, s.start))
    joined: list[Span] = []
    people = [(s.field, s.start, s.end) for s in spans if s.kind == "actor"]
    for span in spans:
        text = texts[span.field]
        partner = _partner_before(text, span.start)
        named = partner is not None and any(
            f == span.field and a <= partner < b for f, a, b in people
        )
        if span.kind == "actor" and " " not in span.text and partner is not None and not named:
            # "Duff and Phelps said": a firm of two surnames, no person named
            span = _organisation(text, span.field, partner, span.end)
        suffix = SUFFIX_AFTER.match(text, span.end)
        if suffix and span.text.split()[-1] not in CORPORATE_SUFFIX_WORDS:
            # "John Labatt Ltd", "Samuel Montagu and Co": a company named after a person.
            span = _organisation(text, span.field, span.start, suffix.end())
        last_word = span.text.split()[-1].rstrip(".,")
        if span.kind == "org" and last_word in CORPORATE_SUFFIX_WORDS:
            previous = joined[-1] if joined else None
            if (previous and previous.field == span.field
                    and AND_BETWEEN.fullmatch(text[previous.end : span.start])):  # fmt: skip
                joined[-1] = _organisation(text, span.field, previous.start, span.end)
                continue
            before = _partner_before(text, span.start)
            if before is not None and not (previous and previous.field == span.field
                                           and previous.end > before):  # fmt: skip
                span = _organisation(text, span.field, before, span.end)
        joined.append(span)
    return joined


def described_organisations(spans: list[Span], texts: dict[str, str]) -> list[Span]:
    """The "people" an article introduces as organisations ("oil company, Petrobras, said")
    and never titles as people: organisations. The model takes a one-word company for a
    surname, and speech ("Petrobras said") for a person's."""
    doubtful = {s.text for s in spans if s.kind == "actor"}
    companies = {name for name in doubtful if _described_as_organisation(name, texts)}
    return [
        replace(s, kind="org") if s.kind == "actor" and s.text in companies else s for s in spans
    ]


def _described_as_organisation(name: str, texts: dict[str, str]) -> bool:
    described = False
    for text in texts.values():
        for match in occurrences(name).finditer(text):
            start, end = match.span()
            if TITLE_BEFORE.search(text, max(0, start - LOOK_BEHIND), start):
                return False  # "Mr Petrobras": a person after all
            noun = NOUN_BEFORE.search(text, max(0, start - LIST_BEHIND), start)
            # After a comma, only as an apposition: "the company, Petrobras, said", not
            # "bad for the firm, Smith said".
            if noun and (not noun.group(1) or text.startswith(",", end)):
                described = True
    return described


def _partner_before(text: str, start: int) -> int | None:
    """Where "Standard and " begins, right before a name at start; None if it is not there."""
    match = PARTNER_BEFORE.search(text, max(0, start - 40), start)
    return match.start() if match else None


def _organisation(text: str, field: Field, start: int, end: int) -> Span:
    """An organisation span over text[start:end], its name with single spaces."""
    return Span("org", " ".join(text[start:end].split()), field, start, end)


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
    mentions = []
    for s in spans:
        canonical = acronyms.get(s.text) or by_key[s.text.casefold()]
        if not (" " in s.text or s.text.isupper() or used_mid_sentence(s.text, texts)
                or on_table_row(s, texts)):  # fmt: skip
            # A capitalised word seen only at sentence starts ("Farmers said") may be no
            # name at all: the archive keeps it where another article names it mid-sentence.
            canonical += UNCONFIRMED
        mentions.append(Mention("org", canonical, s.text, s.field, s.start, s.end))
    return mentions


def forum_codes(spans: list[Span], texts: dict[str, str]) -> list[Span]:
    """Groups of states named by a letter and their number ("G8", "G-20", "G77"), which
    the model rarely tags: organisations wherever they stand, unless a span holds them."""
    taken = [(s.field, s.start, s.end) for s in spans]
    found = []
    for field, text in texts.items():
        for match in FORUM_CODE.finditer(text):
            start, end = match.span()
            if not any(f == field and a < end and start < b for f, a, b in taken):
                found.append(Span("org", match.group(), field, start, end))  # type: ignore[arg-type]
    return spans + found


def on_table_row(span: Span, texts: dict[str, str]) -> bool:
    """A name on a table row, which only a results list gives ("Braga 0 Boavista 0"):
    a cell, never a word that starts a sentence."""
    return is_table_row(line_at(texts[span.field], span.start))


def initials(name: str) -> str:
    """'International Monetary Fund' → 'IMF'; 'World Health Organization' → 'WHO'."""
    return "".join(w[0] for w in name.split() if w.lower() not in ("of", "the", "and", "for"))


def used_mid_sentence(word: str, texts: dict[str, str]) -> bool:
    """A capitalised word seen only at sentence starts ("Farmers said") is no name."""
    pattern = after_lowercase(word)
    return any(pattern.search(text) for text in texts.values())


@lru_cache(maxsize=20000)
def after_lowercase(word: str) -> re.Pattern[str]:
    """A word right after a lower-case word or a comma: not at a sentence's start."""
    return re.compile(rf"(?<=[a-z,;] ){re.escape(word)}\b")
