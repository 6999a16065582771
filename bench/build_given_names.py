"""Build search/entities/data/given_names.txt, the given names extraction checks people by,
from the first names of every locale of Faker (PyPI "Faker", MIT licence; a dev-only
dependency, pinned with hashes).

Run `python -m bench.build_given_names` after upgrading Faker; tests/test_given_names.py
checks that the file is what this script builds from the installed Faker.

Faker's person providers hold first names as their locale writes them (about 90 locales:
European, American, African, South and East Asian, Middle Eastern), some also romanised
("first_romanized_names" of Japanese and Chinese). English-language news writes names in
Latin script, with or without their accents, so the list keeps:

- every first name written in Latin letters (apostrophes and hyphens inside), in its own
  spelling and without accents ("José" and "Jose", "Łukasz" and "Lukasz");
- each word of a name of several words ("Maria Luisa"), and of a hyphenated one the whole
  and its parts ("Jean-Pierre", "Jean", "Pierre");
- names in Cyrillic (Russian, Ukrainian, Bulgarian, ...) transliterated as English-language
  news does ("Сергей" -> "Sergei", "Юрий" -> "Yuri");

and leaves out names in other scripts, and names of one letter.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "search" / "entities" / "data" / "given_names.txt"
HEADER = """\
# Given names of many countries, one a line, built by bench/build_given_names.py from the
# first names of every locale of Faker {version} (https://pypi.org/project/Faker/, MIT licence,
# Copyright (c) 2012 Daniele Faraglia). Do not edit: rebuild it.
"""
# A name in Latin letters: letters, with apostrophes and hyphens between them.
LATIN_NAME = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Cyrillic to Latin as English-language news writes Russian and Ukrainian names: "Sergei",
# "Yevgeny", "Yuri", "Dmitry" (the BGN/PCGN system with the wire's simplifications).
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "ђ": "dj", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
# Word-initial "е" is "ye" ("Yevgeny", "Yelena"); "ий" and "ый" at the end are "y" ("Yuri"
# is "Юрий": the wire writes "Yuri", "Dmitry"; both forms are kept).
VOWELS = set("аеёиоуыэюяіїє")


def first_name_lists(module: object) -> Iterator[Iterable[object]]:
    """Every first-name collection of a Faker person provider."""
    provider = getattr(module, "Provider", None)
    for attribute in dir(provider):
        if not attribute.startswith(("first_name", "first_romanized_name")):
            continue
        value = getattr(provider, attribute)
        if isinstance(value, dict | list | tuple):
            yield value


def faker_first_names() -> Iterator[str]:
    """Every first name of every Faker locale, as the providers write them."""
    import faker.providers.person as person

    for info in sorted(pkgutil.iter_modules(person.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"faker.providers.person.{info.name}")
        for names in first_name_lists(module):
            for item in names:
                # Japanese providers pair a name's kanji, kana and romanised forms.
                for text in item if isinstance(item, tuple) else (item,):
                    if isinstance(text, str):
                        yield text


def transliterated(word: str) -> list[str]:
    """A Cyrillic name in Latin letters as news writes it; [] for other words."""
    lower = word.lower()
    if not lower or not all(c in CYRILLIC for c in lower):
        return []
    letters = []
    for index, char in enumerate(lower):
        if char == "е" and (index == 0 or lower[index - 1] in VOWELS | {"ъ", "ь"}):
            letters.append("ye")
        else:
            letters.append(CYRILLIC[char])
    latin = "".join(letters)
    forms = {latin}
    for ending in ("iy", "yy"):
        if latin.endswith(ending):
            forms |= {latin[:-2] + "i", latin[:-2] + "y"}  # "Yuriy": "Yuri", "Yury"
    return [form.capitalize() for form in forms if len(form) > 1]


def without_accents(word: str) -> str:
    """'José' -> 'Jose', 'Łukasz' -> 'Lukasz': the letters news without accents prints."""
    word = word.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    word = word.replace("ß", "ss").replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_latin(word: str) -> bool:
    return all(c in "'’-" or c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word)


def normalised(name: str) -> set[str]:
    """The forms of one provider's name that the list keeps."""
    found: set[str] = set()
    for word in unicodedata.normalize("NFC", name).split():
        forms = [word] if is_latin(word) else transliterated(word)
        for form in forms:
            if form.isupper() and len(form) > 2:  # "PI-YUN" of a romanised list
                form = "-".join(part.capitalize() for part in form.split("-"))
            if not LATIN_NAME.fullmatch(form) or not form[0].isupper():
                continue
            parts = [form, *form.split("-")] if "-" in form else [form]
            for part in parts:
                if len(part) > 1 and part[0].isupper():
                    found |= {part, without_accents(part)}
    return found


def given_names() -> list[str]:
    """The list's names, sorted."""
    names: set[str] = set()
    for name in faker_first_names():
        names |= normalised(name)
    return sorted(names)


def built_text() -> str:
    """The file's text as this script writes it from the installed Faker."""
    from importlib.metadata import version

    return HEADER.format(version=version("Faker")) + "".join(f"{n}\n" for n in given_names())


def main() -> None:
    if sys.argv[1:]:
        sys.exit("usage: python -m bench.build_given_names (no arguments)")
    text = built_text()
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) - HEADER.count(chr(10))} names)")


if __name__ == "__main__":
    main()
