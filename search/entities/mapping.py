"""Which archive-wide name each extracted name becomes, from the archive's counts.

The rules are those of `search.entities.archive`'s docstring (kinds, surnames,
nicknames, companies named after people, organisation forms, parties); this module
only turns a Counter of (kind, value) -> articles into the mapping the resolver applies.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from search.entities.evidence import UNCONFIRMED
from search.entities.names import GROUP_MARK

Key = tuple[str, str]  # (kind, value)
DOMINANT = 0.75
MIN_ARTICLES = 2
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
BRITISH_S = re.compile(r"(?<=[a-z]{3})is(?=ation|e\b|ed\b|es\b|ing\b)")
# Marks of values that stand for a name not yet settled: "Hamas (group)", "Winter Outlook
# (unconfirmed)". The archive settles them; they are never the longer name a short one
# becomes, or "Hamas" would follow "Hamas (group)" out of the facets.
PLACEHOLDER_MARKS = (GROUP_MARK, UNCONFIRMED)


def is_placeholder(value: str) -> bool:
    """Whether a value is a placeholder the archive settles, not a name."""
    return value.endswith(PLACEHOLDER_MARKS)


def build_mapping(counts: Counter[Key]) -> dict[Key, Key | None]:
    """Each value that should become another (or no facet value: None)."""
    actors = {value: n for (kind, value), n in counts.items() if kind == "actor"}
    orgs = {value: n for (kind, value), n in counts.items() if kind == "org"}
    mapping = _unconfirmed(actors, orgs)
    actors = {value: n for value, n in actors.items() if ("actor", value) not in mapping}
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


def _unconfirmed(actors: dict[str, int], orgs: dict[str, int]) -> dict[Key, Key | None]:
    """A name no article showed as a person ("Winter Outlook") is the person another
    article shows, or the organisation the archive knows by it, or no facet value."""
    mapping: dict[Key, Key | None] = {}
    for value in actors:
        if value.endswith(UNCONFIRMED):
            name = value[: -len(UNCONFIRMED)]
            kind = "actor" if name in actors else "org" if name in orgs else None
            mapping[("actor", value)] = (kind, name) if kind else None
    for value in orgs:
        # A one-word organisation seen only at a sentence's start ("Telstra said"): the
        # organisation where another article names it mid-sentence, else no facet value.
        if value.endswith(UNCONFIRMED):
            name = value[: -len(UNCONFIRMED)]
            mapping[("org", value)] = ("org", name) if name in orgs else None
    return mapping


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
        if is_placeholder(org):
            continue
        words = org.split()
        for size in range(1, len(words)):
            by_prefix[" ".join(words[:size])].append(org)
    bearers = bearers_by_surname(actors)
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


def bearers_by_surname(actors: dict[str, int]) -> dict[str, list[str]]:
    """For each surname or name's tail, the longer names that end with it."""
    by_tail: dict[str, list[str]] = defaultdict(list)
    for name in actors:
        if is_placeholder(name):
            continue
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
    by_tail = bearers_by_surname(actors)
    mapping: dict[Key, Key | None] = {}
    for name in actors:
        candidates = by_tail.get(name)
        if not candidates:
            continue
        # A name seen in one article ("Besides Reagan", a typo) makes no surname ambiguous.
        solid = [c for c in candidates if actors[c] >= MIN_ARTICLES] or candidates
        best = dominant_candidate(solid, actors)
        if best is not None:
            mapping[("actor", name)] = ("actor", best)
        # else "Brown", several people and no way to tell: it stays as written. A
        # well-known surname said alone ("President Reagan") is still who the story is about.
    return mapping


def _people_called_organisations(
    actors: dict[str, int], orgs: dict[str, int], taken: dict[Key, Key | None]
) -> dict[Key, Key | None]:
    """A one-word 'organisation' that is mostly a person's surname ("Baker said") is them."""
    bearers = bearers_by_surname(actors)
    firsts: Counter[str] = Counter()
    for org, count in orgs.items():
        if " " in org:
            firsts[first_word_of(org)] += count
    mapping: dict[Key, Key | None] = {}
    for org in orgs:
        if " " in org or org.isupper() or ("org", org) in taken or org not in bearers:
            continue
        people = sum(actors[name] for name in bearers[org])
        best = dominant_candidate(bearers[org], actors)
        if best is not None and people > 3 * firsts[org]:
            mapping[("org", org)] = ("actor", best)
    return mapping


def first_word_of(name: str) -> str:
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
        if is_placeholder(org):
            continue
        base = base_name(org)
        by_base[spelling_key(base)].append(org)
        if len(base.split()) > 1:
            by_initials[initials(base)].append(org)
            by_first[first_word_of(base)].append(org)
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
    return dominant_candidate(list(totals), dict(totals))


def dominant_candidate(candidates: list[str], counts: dict[str, int]) -> str | None:
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


def spelling_key(name: str) -> str:
    """A name without the spellings that tell British from American English: the
    "Organisation" and "Organization of Petroleum Exporting Countries" are one body."""
    return BRITISH_S.sub("iz", name.casefold())


def initials(name: str) -> str:
    """'European Community' -> 'EC'; 'Organization of Petroleum Exporting Countries' -> 'OPEC'."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w not in SMALL_WORDS).upper()
