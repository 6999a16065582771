"""Score the entity extractor against the editors' labels of Reuters-21578.

Run with `python -m bench.entities --reuters DIR [--json] [--limit N] [--workers N]`.

It reads every reut2-*.sgm file in DIR with the project's own reader, extracts the
entities of every article exactly as `newsarchive index` does (same workers, no
cache), and prints:

- countries: micro precision, recall and F1 of the country facet values against
  the PLACES labels. Every article counts, also those without a label (there, any
  country is a false positive). Reuters place codes are mapped to our canonical
  names by the gazetteer itself ("west-germany" -> "West Germany", "ussr" ->
  "Soviet Union", "burma" -> "Myanmar"), and by REUTERS_PLACES below for the
  three codes it cannot read.
- people recall: a labelled person ("james-baker", "reagan") is found when an
  actor value of that article ends with the label's last word (accents and case
  ignored). Reuters labels people by surname, so the surname is what is compared.
- org recall: a labelled organisation ("ec", "opec", "worldbank") is found when an
  org value of that article is its acronym, has the acronym as its initials
  ("European Community" -> EC), is a name REUTERS_ORGS lists for the code (codes
  that are not the initials of the name: "icco", "worldbank"), or holds one of them
  as whole words ("GATT Council").
- articles per second of extraction and name resolution over the archive, as
  `newsarchive index` does them (reading the files is not timed).

The last line is one JSON object: country_f1, country_precision, country_recall,
people_recall, org_recall, docs_per_s (and the counts behind them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from search.dates import parse_date
from search.entities import extraction_input
from search.entities.aliases import default_aliases
from search.entities.archive import NameTable
from search.entities.countries import canonical_country
from search.indexer import extract_all
from search.ingest import read_paths
from search.models import Entities, RawArticle

# Place codes whose words the gazetteer does not read as one country.
REUTERS_PLACES = {
    "congo": "Republic of the Congo",
    "trinidad-tobago": "Trinidad and Tobago",
    "yemen-demo-republic": "South Yemen",
}
# Organisation codes that are not the organisation's acronym.
REUTERS_ORGS = {
    "worldbank": ["World Bank", "IBRD"],
    "ico-coffee": ["ICO", "International Coffee Organization", "International Coffee Organisation"],
    "ico-islam": ["ICO", "OIC", "Islamic Conference", "Organisation of the Islamic Conference"],
    "iwc-whale": ["IWC", "International Whaling Commission"],
    "iwc-wheat": ["IWC", "International Wheat Council"],
    "adb-africa": ["ADB", "AFDB", "African Development Bank"],
    "adb-asia": ["ADB", "Asian Development Bank"],
    "un": ["UN", "U.N.", "United Nations"],
    "ec": ["EC", "EEC", "European Community", "European Economic Community", "Common Market"],
    "icco": ["ICCO", "International Cocoa Organization", "International Cocoa Organisation"],
    "inro": ["INRO", "International Natural Rubber Organization",
             "International Natural Rubber Organisation"],
    "unctad": ["UNCTAD", "United Nations Conference on Trade and Development"],
    "imco": ["IMCO", "Inter-Governmental Maritime Consultative Organization"],
    "euratom": ["Euratom", "European Atomic Energy Community"],
    "fao": ["FAO", "Food and Agriculture Organization", "Food and Agriculture Organisation"],
    "gatt": ["GATT", "General Agreement on Tariffs and Trade"],
}  # fmt: skip
SMALL_WORDS = {"of", "the", "for", "and", "on", "in", "de", "des", "du", "la", "le", "&"}


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the extraction workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def place_name(code: str) -> str | None:
    """Our canonical name of a Reuters place code, or None if we have no such country."""
    return REUTERS_PLACES.get(code) or canonical_country(code.replace("-", " "))


def fold(text: str) -> str:
    """Lower case without accents: 'Pérez' and 'perez' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def initials(name: str) -> str:
    """'Organization of Petroleum Exporting Countries' -> 'opec'."""
    words = name.replace("-", " ").split()
    return "".join(w[0] for w in words if w.casefold() not in SMALL_WORDS).casefold()


def person_found(label: str, actors: list[str]) -> bool:
    surname = fold(label.split("-")[-1])
    return any(fold(actor).replace("-", " ").split()[-1] == surname for actor in actors if actor)


def org_found(label: str, orgs: list[str]) -> bool:
    """Whether an org value is the labelled organisation: its name, its acronym, its
    initials, or a longer value that holds the name or the acronym as words ("GATT
    Council", "U.N. Food and Agriculture Organisation")."""
    names = {fold(n).replace(".", "") for n in REUTERS_ORGS.get(label, [label.upper()])}
    for org in orgs:
        value = fold(org).replace(".", "")
        if value in names or initials(org) in names:
            return True
        padded = f" {value} "
        if any(f" {name} " in padded for name in names if " " in name or name.isalpha()):
            return True
    return False


def resolve_names(articles: list[RawArticle], found: list[Entities]) -> list[Entities]:
    """The archive-wide step of indexing: names counted over all articles, then resolved."""
    defaults = default_aliases()
    found = [defaults.apply(entities) for entities in found]
    names = NameTable()
    for entities in found:
        names.add(entities)
    resolver = names.resolver(article.body for article in articles)
    pairs = zip(articles, found, strict=True)
    return [resolver.resolve(e, a.title) for a, e in pairs]


def read_articles(directory: Path, limit: int | None) -> list[RawArticle]:
    files = sorted(directory.glob("reut2-*.sgm"))
    if not files:
        sys.exit(f"error: no reut2-*.sgm files in {directory}")
    articles = [r for r in read_paths(files) if isinstance(r, RawArticle)]
    return articles[:limit] if limit else articles


def score(articles: list[RawArticle], found: list[Entities]) -> dict[str, Any]:
    tp = fp = fn = 0
    people = people_hit = orgs = orgs_hit = 0
    missed_places: Counter[str] = Counter()
    wrong_places: Counter[str] = Counter()
    for article, entities in zip(articles, found, strict=True):
        labels = {name for code in article.extra.get("places", []) if (name := place_name(code))}
        predicted = set(entities.countries)
        tp += len(labels & predicted)
        fp += len(predicted - labels)
        fn += len(labels - predicted)
        missed_places.update(labels - predicted)
        wrong_places.update(predicted - labels)
        for label in article.extra.get("people", []):
            people += 1
            people_hit += person_found(label, entities.actors)
        for label in article.extra.get("orgs", []):
            orgs += 1
            orgs_hit += org_found(label, entities.orgs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "country_f1": round(f1, 4),
        "country_precision": round(precision, 4),
        "country_recall": round(recall, 4),
        "people_recall": round(people_hit / people, 4) if people else 0.0,
        "org_recall": round(orgs_hit / orgs, 4) if orgs else 0.0,
        "people_labels": people,
        "org_labels": orgs,
        "country_labels": tp + fn,
        "missed_places": missed_places.most_common(10),
        "wrong_places": wrong_places.most_common(10),
    }


def print_misses(articles: list[RawArticle], found: list[Entities]) -> None:
    """Each labelled person and organisation not found, with what was found instead."""
    for article, entities in zip(articles, found, strict=True):
        for label in article.extra.get("people", []):
            if not person_found(label, entities.actors):
                print(f"person {label!r} in {article.source_id}: {entities.actors}")
        for label in article.extra.get("orgs", []):
            if not org_found(label, entities.orgs):
                print(f"org {label!r} in {article.source_id}: {entities.orgs}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reuters", type=Path, required=True, help="folder of reut2-*.sgm")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--limit", type=int, help="score only the first N articles")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show", type=int, default=0, help="print the N most frequent values")
    parser.add_argument("--misses", action="store_true", help="print each missed label")
    args = parser.parse_args(argv)

    articles = read_articles(args.reuters, args.limit)
    texts = [
        extraction_input(a.title, a.body, a.dateline, parse_date(a.date_text)) for a in articles
    ]
    started, cpu_before = time.perf_counter(), cpu_seconds()
    found = resolve_names(articles, extract_all(texts, args.workers))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    figures = score(articles, found)
    figures["docs"] = len(articles)
    figures["seconds"] = round(seconds, 2)
    figures["docs_per_s"] = round(len(articles) / seconds, 1)
    # On a shared machine the wall clock depends on the neighbours; CPU time does not.
    figures["cpu_s"] = round(cpu, 2)
    figures["docs_per_cpu_s"] = round(len(articles) / cpu, 1)
    figures["workers"] = args.workers
    if not args.json:
        print(f"articles            {len(articles)}  ({args.workers} workers, {seconds:.1f} s)")
        print(f"countries           P {figures['country_precision']:.3f}  "
              f"R {figures['country_recall']:.3f}  F1 {figures['country_f1']:.3f}  "
              f"({figures['country_labels']} labels)")  # fmt: skip
        print(f"people recall       {figures['people_recall']:.3f}  "
              f"({figures['people_labels']} labels)")  # fmt: skip
        print(f"org recall          {figures['org_recall']:.3f}  ({figures['org_labels']} labels)")
        load = os.getloadavg()[0]
        print(f"articles per second {figures['docs_per_s']:.1f}  "
              f"({figures['docs_per_cpu_s']:.1f} per CPU-second, load {load:.1f})")  # fmt: skip
        print(f"most missed places  {figures['missed_places']}")
        print(f"most wrong places   {figures['wrong_places']}")
        for kind in ("actors", "orgs", "countries"):
            if args.show:
                counts = Counter(v for e in found for v in getattr(e, kind))
                print(f"top {kind}: " + "; ".join(f"{v} {n}" for v, n in
                                                counts.most_common(args.show)))  # fmt: skip
        if args.misses:
            print_misses(articles, found)
    del figures["missed_places"], figures["wrong_places"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
