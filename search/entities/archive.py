"""What the whole archive says about names: one facet value per person and organisation.

Extraction sees one article at a time. Within it, "Reagan" after "Ronald Reagan" is
already Ronald Reagan; but most stories name a well-known person by surname only, and
an all-caps headline ("WHITE HOUSE'S BAKER SAYS...") is never shown to the model. At
index time the indexer counts, over every article, in how many articles each value
occurs (a NameTable), and derives an ArchiveResolver from the counts:

- kind: a value the model called a person in some articles and an organisation in
  more of them is an organisation everywhere ("Petrobras"); a person's name that
  starts companies' names in at least half as many articles is that company ("J.P.
  Morgan" -> "J.P. Morgan and Co Inc", "Samuel Montagu" -> "Samuel Montagu and Co").
- surnames: a one-word actor ("Reagan") whose surname belongs to full names in the
  archive becomes the dominant one when it has at least DOMINANT of their articles
  ("Ronald Reagan"); when none dominates, the bare surname stays as written: a
  well-known surname said alone is still who the story is about. The same for a
  name's tail ("Bra Kanon" -> "Denis Bra Kanon").
- every longer name is checked against the article: a short name becomes a longer
  one only when the article names no other bearer of it ("Baker" in a story about
  Howard Baker is not the archive's James Baker), and an organisation's one-word
  name becomes a longer one only when the article says the longer name too or the
  archive uses the longer name at least as often as the short one ("Reuters" is not
  "Reuters Breakingviews").
- organisations: an acronym becomes the long name whose initials it is ("EC" ->
  "European Community"); a name with or without "Corp"/"Co"/"Inc", or in British or
  American spelling ("Organisation"/"Organization"), is one name, the
  most frequent form; a one-word name that starts one dominant longer name is it
  ("Boeing" -> "Boeing Co").
- known names: in titles (all-caps ones too, which the model never reads), full
  names, dominant surnames, surnames the archive uses alone ("REAGAN" where no full
  name dominates) and organisation names seen in at least KNOWN_MIN_ARTICLES articles
  are found by matching. A surname is matched alone only
  if the archive never uses it in lower case (COMMON_USES times: "bond") and no
  organisation's name starts with it ("Jefferies Group").

Unambiguous means: a candidate has at least DOMINANT of the candidates' articles and
at least MIN_ARTICLES articles.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from spacy.lang.en.stop_words import STOP_WORDS

from search.entities.compatible import NAME_KINDS, ArticleNames
from search.entities.evidence import TITLES_BEFORE, UNCONFIRMED
from search.entities.mapping import (
    Key,
    bearers_by_surname,
    build_mapping,
    dominant_candidate,
    first_word_of,
)
from search.entities.names import GROUP_MARK
from search.entities.shouting import is_shouting
from search.entities.spans import Field
from search.models import ENTITY_KINDS, Entities, EntityKind, Mention

# An office or an owner's possessive before a surname: "TREASURY'S BAKER", "SENATOR BAKER".
OFFICE_BEFORE = re.compile(
    rf"(?:\b(?:{'|'.join(sorted(TITLES_BEFORE))})\.?|['’]S)\s+\Z", re.IGNORECASE
)
COMMON_USES = 3  # lower-case uses that make a surname a word too
LOWERCASE_BATCH = 2000  # texts scanned before the surnames found often enough are dropped
KNOWN_MIN_ARTICLES = 3  # a name matched without the model must be this well established
# Words that are never matched as names on their own: function words, and the
# capitalised words of headlines and datelines.
NOT_NAMES = set(STOP_WORDS) | {
    "says", "said", "sees", "new", "bank", "gold", "oil", "trade", "rate", "rates", "bill",
    "house", "state", "court", "union", "group", "street", "mark", "price", "prices", "west",
    "north", "south", "east", "march", "april", "june", "young", "king", "long", "black",
}  # fmt: skip


@dataclass
class NameTable:
    """In how many articles each actor and organisation value occurs."""

    counts: Counter[Key] = field(default_factory=Counter)

    def add(self, entities: Entities) -> None:
        """Count one article's values."""
        for kind in NAME_KINDS:
            for value in set(entities.values(kind)):
                self.counts[(kind, value)] += 1

    def save(self, path: Path) -> None:
        rows = [[kind, value, count] for (kind, value), count in sorted(self.counts.items())]
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> NameTable:
        """The table saved at path; an empty one if there is none."""
        if not path.exists():
            return cls()
        rows = json.loads(path.read_text(encoding="utf-8"))
        return cls(Counter({(kind, value): count for kind, value, count in rows}))

    def resolver(self, texts: Iterable[str] = ()) -> ArchiveResolver:
        """The archive-wide mapping these counts support; texts tell surnames from words."""
        mapping = build_mapping(self.counts)
        surnames = {v.split()[-1] for (k, v) in self.counts if k == "actor"}
        return ArchiveResolver(mapping, self.counts, lowercase_uses(surnames, texts))


def lowercase_uses(words: set[str], texts: Iterable[str]) -> set[str]:
    """Which of the words the texts also use in lower case ("bond", "hydro"): no names alone."""
    wanted = {word.lower() for word in words if len(word) >= 4 and word.isalpha()}
    seen: Counter[str] = Counter()
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == LOWERCASE_BATCH:
            wanted = _count_lowercase(wanted, batch, seen)
            batch = []
        if not wanted:
            break
    _count_lowercase(wanted, batch, seen)
    return {word for word, count in seen.items() if count >= COMMON_USES}


def _count_lowercase(wanted: set[str], texts: list[str], seen: Counter[str]) -> set[str]:
    """Count the wanted words' lower-case uses in texts; the words still short of the mark.

    A word found often enough is dropped from the next batch's automaton: the common ones
    ("bond") would otherwise be matched and checked hundreds of thousands of times.
    """
    if not wanted or not texts:
        return wanted
    automaton = ahocorasick.Automaton()
    for word in wanted:
        automaton.add_word(word, word)
    automaton.make_automaton()
    for text in texts:
        for last, word in automaton.iter(text):
            if seen[word] < COMMON_USES and _word_bounded(text, last + 1 - len(word), last + 1):
                seen[word] += 1
    return {word for word in wanted if seen[word] < COMMON_USES}


class ArchiveResolver:
    """Applies the archive-wide mapping to one article's entities."""

    def __init__(
        self,
        mapping: dict[Key, Key | None],
        counts: Counter[Key],
        common_words: set[str] | None = None,
    ) -> None:
        self.mapping = mapping
        self.counts = counts
        self.common_words = common_words or set()
        self._automata: dict[bool, ahocorasick.Automaton] = {}
        self._titled_only: set[str] = set()  # surnames matched only after an office

    def resolve(self, entities: Entities, title: str, body: str = "") -> Entities:
        """The article's entities with archive-wide names; known names the model missed added.

        A name becomes a longer one only where the article allows it (compatible.py)."""
        names = ArticleNames.of(entities.mentions, f"{title}\n{body}" if body else None)
        mentions = [self._mapped(m, names) for m in entities.mentions]
        # A group no party of the archive is named after is no name at all; nor is a name
        # no article shows as a person's.
        mentions = [m for m in mentions if not m.canonical.endswith((GROUP_MARK, UNCONFIRMED))]
        if title:
            mentions += self.known_names(title, "title", mentions, shouted=is_shouting(title))
        suppressed: set[Key] = {
            (m.kind, m.canonical) for m in entities.mentions
            if self.mapping.get((m.kind, m.canonical), ...) is None
        }  # fmt: skip
        return rebuild_entities(mentions, entities.countries, suppressed)

    def _mapped(self, mention: Mention, names: ArticleNames) -> Mention:
        target = names.target((mention.kind, mention.canonical), self.mapping.get(
            (mention.kind, mention.canonical)))  # fmt: skip
        if target is None:
            return mention
        kind, canonical = target
        return Mention(kind, canonical, mention.surface, mention.field, mention.start,  # type: ignore[arg-type]
                       mention.end)  # fmt: skip

    def known_names(
        self,
        text: str,
        field: Field,
        known: list[Mention],
        *,
        shouted: bool,
    ) -> list[Mention]:
        """Well-established names of the archive in a text, where no mention is yet.

        All-caps headlines are never shown to the model, and it misses a name now and
        then; the archive knows them. Bodies get full names only: a lone capitalised
        surname at a sentence's start is too often an ordinary word.
        """
        taken = [(m.start, m.end) for m in known if m.field == field]
        found = []
        haystack = text.upper() if shouted else text
        for last, (length, kind, canonical, titled) in self._automaton(shouted).iter(haystack):
            start, end = last + 1 - length, last + 1
            if not _word_bounded(haystack, start, end):
                continue
            if titled and not OFFICE_BEFORE.search(haystack, max(0, start - 30), start):
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            found.append(Mention(kind, canonical, text[start:end], field, start, end))
        return found

    def _automaton(self, shouted: bool) -> ahocorasick.Automaton:
        if shouted not in self._automata:
            automaton = ahocorasick.Automaton()
            for form, (kind, canonical) in self._known_forms().items():
                titled = form in self._titled_only
                form = form.upper() if shouted else form
                automaton.add_word(form, (len(form), kind, canonical, titled))
            if len(automaton) == 0:
                automaton.add_word("\0", (1, "actor", "", False))  # it must not be empty
            automaton.make_automaton()
            self._automata[shouted] = automaton
        return self._automata[shouted]

    def _known_forms(self) -> dict[str, Key]:
        """Forms of well-established names, each with the (kind, value) it stands for."""
        forms: dict[str, Key] = {}
        actors = {v: n for (k, v), n in self.counts.items() if k == "actor"}
        for (kind, value), count in self.counts.items():
            target = self.mapping.get((kind, value), (kind, value))
            if count < KNOWN_MIN_ARTICLES or target is None or value in NOT_NAMES:
                continue
            if value.endswith(UNCONFIRMED):
                continue
            if " " in value:
                forms.setdefault(value, target)
            elif kind == "org" and value.isupper() and value.isalpha() and len(value) >= 2:
                forms.setdefault(value, target)  # acronyms: "OPEC", "EC"
        companies: Counter[str] = Counter()
        for (kind, value), count in self.counts.items():
            if kind == "org":
                companies[first_word_of(value)] += count
        bearers_of = bearers_by_surname(actors)
        for short in bearers_of.keys() | actors.keys():
            if " " in short or len(short) < 4 or short.lower() in NOT_NAMES or short in forms:
                continue
            bearers = bearers_of.get(short, [])
            people = actors.get(short, 0) + sum(actors[name] for name in bearers)
            if short.lower() in self.common_words:
                continue  # "BOND" is mostly a bond
            if 3 * companies[short] >= people:
                self._titled_only.add(short)  # "JEFFERIES" may be Jefferies Group, not
                # "TREASURY'S BAKER" or "SENATOR BAKER"
            best = dominant_candidate(bearers, actors) if bearers else None
            alone = actors.get(short, 0)
            known = [name for name in bearers if actors[name] >= KNOWN_MIN_ARTICLES]
            if (
                best is None
                and people >= KNOWN_MIN_ARTICLES
                and (alone > people - alone or len(known) > 1)
            ):
                # Said alone more than with given names ("REAGAN"), or the surname of
                # several well-known people ("BAKER"): a person, as written.
                mapped = self.mapping.get(("actor", short))
                forms[short] = mapped if mapped and mapped[0] == "actor" else ("actor", short)
                continue
            if best is not None and actors[best] >= KNOWN_MIN_ARTICLES:
                target = self.mapping.get(("actor", best), ("actor", best))
                if target is not None:
                    forms[short] = target
        return forms


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum()) and not re.match(r"['’]S\w", text[end:])


def rebuild_entities(
    mentions: list[Mention], countries: list[str], suppressed: set[Key]
) -> Entities:
    """Entities from resolved mentions: values most-mentioned first; countries as given."""
    order = {"title": 0, "dateline": 1, "body": 2}
    mentions = sorted(mentions, key=lambda m: (order[m.field], m.start))
    values: dict[EntityKind, list[str]] = {}
    for kind in ENTITY_KINDS:
        counts = Counter(
            m.canonical
            for m in mentions
            if m.kind == kind and (m.kind, m.canonical) not in suppressed
        )
        values[kind] = sorted(counts, key=lambda value: -counts[value])
    return Entities(
        actors=values["actor"], countries=countries, orgs=values["org"], mentions=mentions
    )
