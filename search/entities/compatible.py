"""Whether an article allows one of its names to become the archive's longer name.

A name may only become a longer name that the article itself supports ("Boeing" ->
"Boeing Co" said in it), or one the archive makes unambiguous *and* the article's own
mentions are compatible with: the article names no other bearer of it ("Baker" beside
Howard Baker and James Baker stays Baker), and an organisation's longer name says nothing
the article does not ("Reuters" is not the archive's "Reuters Breakingviews" unless the
article says "Breakingviews"; an acronym may stand for its long name).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from search.entities.evidence import UNCONFIRMED, occurrences
from search.entities.mapping import (
    CORPORATE_SUFFIXES,
    SMALL_WORDS,
    Key,
    first_word_of,
    initials,
    is_placeholder,
)
from search.models import EntityKind, Mention

NAME_KINDS: tuple[EntityKind, ...] = ("actor", "org")


@dataclass
class ArticleNames:
    """An article's longer names by short name, and its text to check longer names against."""

    own: dict[Key, str]
    ambiguous: set[Key]
    text: str | None

    @classmethod
    def of(cls, mentions: list[Mention], text: str | None) -> ArticleNames:
        """The longer names of an article's mentions: the one person whose surname a
        one-word value is, the one organisation whose name starts with it; and the
        one-word values for which the article has several longer names."""
        longer: dict[Key, set[str]] = defaultdict(set)
        for mention in mentions:
            words = mention.canonical.split()
            if len(words) < 2 or mention.kind not in NAME_KINDS:
                continue
            if is_placeholder(mention.canonical):
                continue  # "Hamas (group)" is no longer name of "Hamas"
            short = words[-1] if mention.kind == "actor" else first_word_of(mention.canonical)
            longer[(mention.kind, short)].add(mention.canonical)
        own = {key: next(iter(names)) for key, names in longer.items() if len(names) == 1}
        return cls(own, {key for key, names in longer.items() if len(names) > 1}, text)

    def target(self, key: Key, archive_target: Key | None) -> Key | None:
        """What the value `key` becomes in this article: its own longer name, else the
        archive's when the article allows it, else None (it stays as it is)."""
        if key in self.own:
            return (key[0], self.own[key])
        if archive_target is None or not self.allows(key, archive_target):
            return None
        return archive_target

    def allows(self, key: Key, target: Key) -> bool:
        """Whether the article allows its name `key` to become the archive's `target`."""
        kind, value = key
        if value.endswith(UNCONFIRMED):  # "Justice (unconfirmed)" is checked as "Justice"
            value = value[: -len(UNCONFIRMED)]
        if " " in value or len(target[1]) <= len(value):
            return True  # a change of kind, a spelling, a merge of forms
        if key in self.ambiguous and target[0] == kind:
            return False  # "Baker" where the article names Howard Baker and James Baker
        if target[0] != "org" or self.text is None or value.replace(".", "") == initials(target[1]):
            return True  # a surname, an acronym: "OPEC" stands for its long name
        # "Baker" is not the archive's "Baker International Corp" where the article never
        # says "International".
        extra = [w for w in target[1].split()[1:] if w.rstrip(".,") not in CORPORATE_SUFFIXES]
        return all(w.lower() in SMALL_WORDS or occurrences(w).search(self.text) for w in extra)
