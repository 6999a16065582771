"""The user's alias file: merge, rename and suppress facet values without re-extraction.

`aliases.toml` lives next to the index (in the index directory). Each of the tables
[actor], [country] and [org] maps the value to show to the values it replaces; the
[suppress] table lists values to leave out of the facets (their mentions stay
highlighted in the article):

    [actor]
    "Ronald Reagan" = ["Reagan", "Ronald W. Reagan"]   # merge
    "Mikhail Gorbachev" = ["Gorbachov"]                # a spelling of the time
    [org]
    "European Community" = ["EC", "EEC", "Common Market"]
    [suppress]
    org = ["Reuters"]

A rename is a merge of one value. Applying a changed file needs only `newsarchive
index --rebuild`: extraction results are cached by content, so only the index is
rewritten. The project's own defaults (data/aliases.toml, same format) are applied to
every article first, before names are resolved across the archive; the user's file
last, so it has the final word.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from search.entities.archive import rebuild_entities
from search.entities.mapping import Key
from search.errors import InputError
from search.models import ENTITY_KINDS, Entities, Mention

ALIASES_FILE = "aliases.toml"
DEFAULTS = "data/aliases.toml"


@dataclass
class Aliases:
    """Value replacements and suppressions, by kind."""

    replace: dict[Key, str] = field(default_factory=dict)
    suppress: set[Key] = field(default_factory=set)
    digest: str = ""

    def apply(self, entities: Entities) -> Entities:
        """The entities with values merged, renamed and suppressed."""
        if not self.replace and not self.suppress:
            return entities
        keys = {(m.kind, m.canonical) for m in entities.mentions}
        keys.update(("country", country) for country in entities.countries)
        if keys.isdisjoint(self.replace) and keys.isdisjoint(self.suppress):
            return entities  # most articles: nothing to merge, rename or leave out
        mentions = [
            Mention(m.kind, self.replace.get((m.kind, m.canonical), m.canonical), m.surface,
                    m.field, m.start, m.end)
            for m in entities.mentions
        ]  # fmt: skip
        countries: list[str] = []
        for country in entities.countries:
            value = self.replace.get(("country", country), country)
            if value not in countries and ("country", value) not in self.suppress:
                countries.append(value)
        return rebuild_entities(mentions, countries, self.suppress)


def default_aliases() -> Aliases:
    """The project's own aliases."""
    defaults = files("search.entities").joinpath(DEFAULTS).read_text(encoding="utf-8")
    return parse_aliases(defaults, f"search/entities/{DEFAULTS}")


def load_aliases(index_dir: Path) -> Aliases:
    """The user's aliases.toml in the index directory; no aliases if there is none."""
    path = index_dir / ALIASES_FILE
    if not path.exists():
        return Aliases()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the alias file ({error})") from error
    return parse_aliases(text, str(path))


def parse_aliases(text: str, source: str) -> Aliases:
    """Aliases from the text of an alias file; InputError names what is wrong and where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{source}: not valid TOML: {error}") from error
    aliases = Aliases(digest=hashlib.sha1(text.encode("utf-8")).hexdigest()[:12])
    for section, table in data.items():
        if not isinstance(table, dict):
            raise InputError(f"{source}: {section!r} must be a table such as [{section}]")
        if section == "suppress":
            for kind, values in table.items():
                _check_kind(kind, source, "[suppress]")
                for value in _names(values, source, f"[suppress] {kind}"):
                    aliases.suppress.add((kind, value))
            continue
        _check_kind(section, source, "a table name")
        for shown, replaced in table.items():
            for value in _names(replaced, source, f"[{section}] {shown!r}"):
                if value != shown:
                    aliases.replace[(section, value)] = shown
    return aliases


def _check_kind(kind: str, source: str, where: str) -> None:
    if kind not in ENTITY_KINDS:
        kinds = ", ".join(ENTITY_KINDS)
        raise InputError(f"{source}: {where} {kind!r} is not one of {kinds} (or suppress)")


def _names(values: object, source: str, where: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise InputError(f"{source}: {where} must be a list of names in quotes")
    return [" ".join(v.split()) for v in values]
