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
  "European Community"); a name with or without "Corp"/"Co"/"Inc" is one name, the
  most frequent form; a one-word name that starts one dominant longer name is it
  ("Boeing" -> "Boeing Co").
- known names: in titles (all-caps ones too, which the model never reads), full
  names, dominant surnames and organisation names seen in at least
  KNOWN_MIN_ARTICLES articles are found by matching. A surname is matched alone only
  if the archive never uses it in lower case (COMMON_USES times: "bond") and no
  organisation's name starts with it ("Jefferies Group").

Unambiguous means: a candidate has at least DOMINANT of the candidates' articles and
at least MIN_ARTICLES articles.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from spacy.lang.en.stop_words import STOP_WORDS

from search.entities.names import GROUP_MARK, Field
from search.entities.shouting import is_shouting
from search.models import ENTITY_KINDS, Entities, EntityKind, Mention

DOMINANT = 0.75
MIN_ARTICLES = 2
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
CORPORATE_SUFFIXES = {
    "Inc", "Corp", "Corporation", "Co", "Company", "Ltd", "Limited", "Plc", "PLC", "LLC",
    "AG", "SA", "NV", "BV", "SpA", "Cos", "Incorporated", "and", "&",
}  # fmt: skip
MIDDLE_INITIAL = re.compile(r"[A-Z]\.")
# Familiar forms of given names, as English-language news writes them.
NICKNAMES = {
    "Jim": "James", "Jimmy": "James", "Bill": "William", "Billy": "William", "Bob": "Robert",
    "Bobby": "Robert", "Mike": "Michael", "Tom": "Thomas", "Tommy": "Thomas", "Dick": "Richard",
    "Rick": "Richard", "Ed": "Edward", "Ted": "Edward", "Dan": "Daniel", "Danny": "Daniel",
    "Joe": "Joseph", "Ron": "Ronald", "Chuck": "Charles", "Charlie": "Charles", "Pete": "Peter",
    "Tony": "Anthony", "Steve": "Stephen", "Dave": "David", "Fred": "Frederick", "Al": "Albert",
    "Andy": "Andrew", "Ben": "Benjamin", "Larry": "Lawrence", "Jerry": "Gerald", "Sam": "Samuel",
    "Tim": "Timothy", "Nick": "Nicholas", "Matt": "Matthew", "Chris": "Christopher",
    "Alex": "Alexander", "Liz": "Elizabeth", "Beth": "Elizabeth", "Kate": "Katherine",
}  # fmt: skip
SMALL_WORDS = {"of", "the", "and", "for", "&", "de", "du", "des", "la", "on"}
Key = tuple[str, str]  # (kind, value)
NAME_KINDS: tuple[EntityKind, ...] = ("actor", "org")


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
        surnames = {v.split()[-1] for (k, v) in self.counts if k == "actor" and " " in v}
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


def build_mapping(counts: Counter[Key]) -> dict[Key, Key | None]:
    """Each value that should become another (or no facet value: None)."""
    mapping: dict[Key, Key | None] = {}
    actors = {value: n for (kind, value), n in counts.items() if kind == "actor"}
    orgs = {value: n for (kind, value), n in counts.items() if kind == "org"}
    mapping.update(_kind_votes(actors, orgs))
    mapping.update(_companies_named_after_people(actors, orgs, mapping))
    remaining = {v: n for v, n in actors.items() if ("actor", v) not in mapping}
    mapping.update(_nicknames(remaining))
    remaining = {v: n for v, n in actors.items() if ("actor", v) not in mapping}
    mapping.update(_surnames(remaining))
    mapping.update(_people_called_organisations(actors, orgs, mapping))
    mapping.update(_organisation_forms(orgs, mapping))
    mapping.update(_parties(orgs))
    return _settled(mapping)


def _kind_votes(actors: dict[str, int], orgs: dict[str, int]) -> dict[Key, Key | None]:
    """A value seen as both kinds takes the kind of most of its articles."""
    mapping: dict[Key, Key | None] = {}
    for value in actors.keys() & orgs.keys():
        if orgs[value] > actors[value] and orgs[value] >= MIN_ARTICLES:
            mapping[("actor", value)] = ("org", value)
        elif actors[value] > orgs[value] and actors[value] >= MIN_ARTICLES:
            mapping[("org", value)] = ("actor", value)
    return mapping


def _companies_named_after_people(
    actors: dict[str, int], orgs: dict[str, int], taken: dict[Key, Key | None]
) -> dict[Key, Key | None]:
    """'Phelps' where the archive mostly says 'Phelps Dodge Corp' is the company."""
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for org in orgs:
        words = org.split()
        for size in range(1, len(words)):
            by_prefix[" ".join(words[:size])].append(org)
    bearers = _bearers(actors)
    mapping: dict[Key, Key | None] = {}
    for actor, count in actors.items():
        if ("actor", actor) in taken or actor not in by_prefix:
            continue
        longer = by_prefix[actor]
        total = sum(orgs[o] for o in longer)
        # "Baker" is mostly James Baker, not Baker International Corp: people's names win.
        people = count + sum(actors[name] for name in bearers.get(actor, []))
        if 3 * total >= people and total >= MIN_ARTICLES:
            mapping[("actor", actor)] = ("org", max(longer, key=lambda o: (orgs[o], o)))
    return mapping


def _bearers(actors: dict[str, int]) -> dict[str, list[str]]:
    """For each surname or name's tail, the longer names that end with it."""
    by_tail: dict[str, list[str]] = defaultdict(list)
    for name in actors:
        words = name.split()
        for size in range(1, len(words)):
            by_tail[" ".join(words[-size:])].append(name)
    return by_tail


def _nicknames(actors: dict[str, int]) -> dict[Key, Key | None]:
    """'Jim Wright' and 'James Wright', 'Boyd L. Jefferies' and 'Boyd Jefferies', 'Osama bin
    Laden' and 'Osama Bin Laden': one name, the most frequent form."""
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name in actors:
        words = [w for w in name.split() if not MIDDLE_INITIAL.fullmatch(w)]
        if len(words) >= 2:
            # Case aside too: "Osama bin Laden" and "Osama Bin Laden" are one man.
            key = (NICKNAMES.get(words[0], words[0]), *words[1:])
            groups[tuple(word.casefold() for word in key)].append(name)
    mapping: dict[Key, Key | None] = {}
    for names in groups.values():
        if len(names) > 1:
            best = max(names, key=lambda n: (actors[n], n))
            mapping.update({("actor", n): ("actor", best) for n in names if n != best})
    return mapping


def _surnames(actors: dict[str, int]) -> dict[Key, Key | None]:
    """A surname or a name's tail becomes the one full name that dominates it."""
    by_tail = _bearers(actors)
    mapping: dict[Key, Key | None] = {}
    for name in actors:
        candidates = by_tail.get(name)
        if not candidates:
            continue
        # A name seen in one article ("Besides Reagan", a typo) makes no surname ambiguous.
        solid = [c for c in candidates if actors[c] >= MIN_ARTICLES] or candidates
        best = _dominant(solid, actors)
        if best is not None:
            mapping[("actor", name)] = ("actor", best)
        # else "Brown", several people and no way to tell: it stays as written. A
        # well-known surname said alone ("President Reagan") is still who the story is about.
    return mapping


def _people_called_organisations(
    actors: dict[str, int], orgs: dict[str, int], taken: dict[Key, Key | None]
) -> dict[Key, Key | None]:
    """A one-word 'organisation' that is mostly a person's surname ("Baker said") is them."""
    bearers = _bearers(actors)
    firsts: Counter[str] = Counter()
    for org, count in orgs.items():
        if " " in org:
            firsts[_first_word(org)] += count
    mapping: dict[Key, Key | None] = {}
    for org in orgs:
        if " " in org or org.isupper() or ("org", org) in taken or org not in bearers:
            continue
        people = sum(actors[name] for name in bearers[org])
        best = _dominant(bearers[org], actors)
        if best is not None and people > 3 * firsts[org]:
            mapping[("org", org)] = ("actor", best)
    return mapping


def _first_word(name: str) -> str:
    first = name.split()[0]
    return first[:-2] if first.endswith(("'s", "’s")) else first


def _organisation_forms(
    orgs: dict[str, int], taken: dict[Key, Key | None]
) -> dict[Key, Key | None]:
    """Acronyms, corporate suffixes and one-word short forms merged into one name."""
    mapping: dict[Key, Key | None] = {}
    by_base: dict[str, list[str]] = defaultdict(list)
    by_initials: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    for org in orgs:
        base = base_name(org)
        by_base[base.casefold()].append(org)
        if len(base.split()) > 1:
            by_initials[initials(base)].append(org)
            by_first[_first_word(base)].append(org)
    for variants in by_base.values():
        if len(variants) > 1:
            best = max(variants, key=lambda o: (orgs[o], o))
            for variant in variants:
                if variant != best:
                    mapping[("org", variant)] = ("org", best)
    for org in orgs:
        if ("org", org) in mapping or ("org", org) in taken:
            continue
        plain = org.replace(".", "")
        short: str | None = None
        if plain.isupper() and 2 <= len(plain) <= 6:
            # "EC Commission" has the initials EC too, but is not what "EC" stands for.
            longer = [o for o in by_initials.get(plain, []) if org not in o.split()]
            short = _dominant_name(longer, orgs, mapping) if longer else None
        elif " " not in org and org in by_first:
            short = _dominant_name(by_first[org], orgs, mapping)
            if short is not None and orgs.get(short, 0) < orgs[org]:
                short = None  # "Reuters" said alone far more often than "Reuters Breakingviews"
        if short is not None:
            mapping[("org", org)] = ("org", short)
    return mapping


def _parties(orgs: dict[str, int]) -> dict[Key, Key | None]:
    """A political group ("Republicans", "Democrats") is the party the archive names
    after it ("Republican Party", "Democratic Party"); with none, no facet value."""
    parties = [o for o in orgs if o.endswith(" Party") and orgs[o] >= MIN_ARTICLES]
    mapping: dict[Key, Key | None] = {}
    for group in orgs:
        if not group.endswith(GROUP_MARK):
            continue
        stem = group[: -len(GROUP_MARK)]
        stem = stem[:-1] if stem.endswith("s") else stem
        named = [p for p in parties if len(p.split()) == 2 and p.startswith(stem)]
        best = max(named, key=lambda p: (orgs[p], p)) if named else None
        mapping[("org", group)] = ("org", best) if best else None
    return mapping


def _dominant_name(
    candidates: list[str], counts: dict[str, int], merged: dict[Key, Key | None]
) -> str | None:
    """The dominant candidate once variants count as their merged name: "General Motors"
    and "General Motors Corp" together dominate "GM"."""
    totals: Counter[str] = Counter()
    for candidate in candidates:
        target = merged.get(("org", candidate))
        totals[target[1] if target else candidate] += counts[candidate]
    return _dominant(list(totals), dict(totals))


def _dominant(candidates: list[str], counts: dict[str, int]) -> str | None:
    total = sum(counts[c] for c in candidates)
    best = max(candidates, key=lambda c: (counts[c], c))
    if counts[best] >= DOMINANT * total and counts[best] >= MIN_ARTICLES:
        return best
    return None


def _settled(mapping: dict[Key, Key | None]) -> dict[Key, Key | None]:
    """Follow chains (a -> b -> c) to their end, so every value maps in one step."""
    settled: dict[Key, Key | None] = {}
    for key in mapping:
        target, seen = mapping[key], {key}
        while target is not None and target in mapping and target not in seen:
            seen.add(target)
            target = mapping[target]
        settled[key] = target
    return settled


def base_name(org: str) -> str:
    """An organisation's name without its corporate suffixes: 'Boeing Co' -> 'Boeing'."""
    words = org.split()
    while len(words) > 1 and words[-1].rstrip(".,") in CORPORATE_SUFFIXES:
        words.pop()
    return " ".join(words)


def initials(name: str) -> str:
    """'European Community' -> 'EC'; 'Organization of Petroleum Exporting Countries' -> 'OPEC'."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w not in SMALL_WORDS).upper()


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

    def resolve(self, entities: Entities, title: str) -> Entities:
        """The article's entities with archive-wide names; known names the model missed added."""
        own = own_longer_names(entities.mentions)
        mentions = [self._mapped(m, own) for m in entities.mentions]
        # A group no party of the archive is named after is no name at all.
        mentions = [m for m in mentions if not m.canonical.endswith(GROUP_MARK)]
        if title:
            mentions += self.known_names(title, "title", mentions, shouted=is_shouting(title))
        suppressed: set[Key] = {
            (m.kind, m.canonical) for m in entities.mentions
            if self.mapping.get((m.kind, m.canonical), ...) is None
        }  # fmt: skip
        return rebuild_entities(mentions, entities.countries, suppressed)

    def _mapped(self, mention: Mention, own: dict[Key, str]) -> Mention:
        key = (mention.kind, mention.canonical)
        target = (mention.kind, own[key]) if key in own else self.mapping.get(key)
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
        for last, (length, kind, canonical) in self._automaton(shouted).iter(haystack):
            start, end = last + 1 - length, last + 1
            if not _word_bounded(haystack, start, end):
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
                form = form.upper() if shouted else form
                automaton.add_word(form, (len(form), kind, canonical))
            if len(automaton) == 0:
                automaton.add_word("\0", (1, "actor", ""))  # it must not be empty
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
            if " " in value:
                forms.setdefault(value, target)
            elif kind == "org" and value.isupper() and value.isalpha() and len(value) >= 2:
                forms.setdefault(value, target)  # acronyms: "OPEC", "EC"
        companies: Counter[str] = Counter()
        for (kind, value), count in self.counts.items():
            if kind == "org":
                companies[_first_word(value)] += count
        for short, bearers in _bearers(actors).items():
            if " " in short or len(short) < 4 or short.lower() in NOT_NAMES or short in forms:
                continue
            people = actors.get(short, 0) + sum(actors[name] for name in bearers)
            if 3 * companies[short] >= people or short.lower() in self.common_words:
                continue  # "JEFFERIES" may be Jefferies Group; "BOND" is mostly a bond
            best = _dominant(bearers, actors)
            if best is not None and actors[best] >= KNOWN_MIN_ARTICLES:
                target = self.mapping.get(("actor", best), ("actor", best))
                if target is not None:
                    forms[short] = target
        return forms


def own_longer_names(mentions: list[Mention]) -> dict[Key, str]:
    """The longer name an article itself gives a one-word value: the one person whose
    surname it is, the one organisation whose name starts with it ("Boeing" -> "Boeing Co")."""
    longer: dict[Key, set[str]] = defaultdict(set)
    for mention in mentions:
        words = mention.canonical.split()
        if len(words) < 2 or mention.kind not in NAME_KINDS:
            continue
        short = words[-1] if mention.kind == "actor" else _first_word(mention.canonical)
        longer[(mention.kind, short)].add(mention.canonical)
    return {key: names.pop() for key, names in longer.items() if len(names) == 1}


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
