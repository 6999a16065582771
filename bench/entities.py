"""Score the entity extractor against editors' labels: Reuters-21578, JSON Lines, or files.

Run with `python -m bench.entities --reuters DIR [--split dev|check|all] [--json]
[--limit N] [--workers N]`, `python -m bench.entities --jsonl FILE [--split ...]`, or
`python -m bench.entities --files PATH... [--split ...]`; `--annotations FILE` with
`--jsonl` scores hand annotations that list every name (see bench/annotations.py).

A dev/check split keeps tuning honest: tune on `dev`, report `check` beside it.
Reuters: dev is reut2-000..005, check reut2-006..010 (`all`, the default, reads every
reut2-*.sgm in DIR). JSON Lines: articles are split by year in alternate pairs of
years, dev holding 2005, 2009, 2013 (and 2004, 2008, 2012), check 2007, 2011, 2015 (and
2006, 2010, 2014), so that both parts span the whole period; undated records are dev.

Reuters mode reads every file with the project's own reader, extracts the
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

JSON Lines mode reads records with a `labels` object (`countries`, `people`, `orgs`:
full names, as Wikinews' editors give them) and scores them leniently, as the
project's acceptance checks do: an actor value matches a labelled person if equal or
with the same last word; an org value matches a labelled organisation if equal, if one
holds the other as whole words, or if one is the other's initials; countries are
compared as canonical names (the gazetteer reads the labels). Labels that name what an
article is *about* are incomplete, so only recall is printed for people and
organisations, unless `--complete-labels` says every name in the text is labelled
(then precision too).

Files mode reads files and folders of any format and scores the records whose
publisher tagged them (NITF, NewsML-G2: the reader's `labels`) as JSON Lines mode does:
tagged people and organisations, and the tagged places that are countries.

Every mode prints the share of actor values that look like person names (capitalised
words, lower-case particles only inside, no digits or symbols, no company suffix); a
low share means facet values that are not people.

The last line is one JSON object: country_f1, country_precision, country_recall,
people_recall, org_recall, person_like_share, docs_per_s (and the counts behind them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from bench.annotations import annotated_articles, print_wrong
from search.backends.whoosh import WhooshBackend
from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import export_hits
from search.dates import parse_date
from search.entities import extraction_input
from search.entities.aliases import default_aliases
from search.entities.archive import NameTable
from search.entities.countries import canonical_country
from search.extraction import extract_all
from search.identity import make_article_id
from search.indexer import index_paths
from search.ingest import read_paths
from search.models import Entities, RawArticle, SearchRequest

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
REUTERS_SPLIT = {"dev": range(0, 6), "check": range(6, 11)}
# Inside a person's name, lower-case words are particles ("Ursula von der Leyen").
NAME_WORD = re.compile(r"[A-ZÀ-ÞĀ-Ž][\w'’.-]*|[A-Z]\.")
NAME_PARTICLE = re.compile(r"[a-z]{1,4}|[a-z]{1,3}['’]")
COMPANY_WORDS = {"Inc", "Corp", "Co", "Ltd", "Plc", "PLC", "LLC", "AG", "SA", "NV", "Group",
                 "Bank", "Party", "Ministry", "University", "Council", "Committee"}  # fmt: skip


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
    return [resolver.resolve(e, a.title, a.body) for a, e in pairs]


def split_files(directory: Path, split: str) -> list[Path]:
    """DIR's reut2-*.sgm files in the split asked for."""
    files = sorted(directory.glob("reut2-*.sgm"))
    if split != "all":
        files = [f for f in files if int(f.stem.split("-")[-1]) in REUTERS_SPLIT[split]]
    if not files:
        sys.exit(f"error: no reut2-*.sgm files of the {split} split in {directory}")
    return files


def read_articles(directory: Path, limit: int | None, split: str = "all") -> list[RawArticle]:
    """The Reuters articles of DIR's reut2-*.sgm files in the split asked for."""
    files = split_files(directory, split)
    articles = [r for r in read_paths(files) if isinstance(r, RawArticle)]
    return articles[:limit] if limit else articles


def read_labelled(path: Path, limit: int | None, split: str = "all") -> list[RawArticle]:
    """The records of a JSON Lines file (gzipped or not) that carry a `labels` object."""
    if not path.is_file():
        sys.exit(f"error: no file {path}")
    records = [r for r in read_paths([path]) if isinstance(r, RawArticle)]
    labelled = [r for r in records if isinstance(r.extra.get("labels"), dict)]
    if not labelled:
        sys.exit(f"error: no record of {path} has a labels object")
    chosen = [r for r in labelled if split == "all" or year_split(r.date_text) == split]
    return chosen[:limit] if limit else chosen


def read_tagged(paths: list[Path], limit: int | None, split: str = "all") -> list[RawArticle]:
    """The records of files of any format that carry publisher labels, ready for scoring."""
    tagged = [r for r in read_paths(paths) if isinstance(r, RawArticle) and r.labels]
    if not tagged:
        sys.exit("error: no record of those files carries publisher labels (NITF, NewsML-G2)")
    for record in tagged:
        places = record.labels.get("places") or []
        record.extra["labels"] = {
            "people": record.labels.get("people") or [],
            "orgs": record.labels.get("orgs") or [],
            # Tagged cities and regions are not country labels; tagged countries are.
            "countries": [place for place in places if canonical_country(place)],
        }
    chosen = [r for r in tagged if split == "all" or year_split(r.date_text) == split]
    return chosen[:limit] if limit else chosen


def year_split(date_text: str) -> str:
    """dev or check by the year in a date: alternate pairs of years (2004-05 dev, 2006-07
    check, ...), so that both parts span the period and neither is one era."""
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", date_text)
    if not match:
        return "dev"
    return "dev" if int(match.group(1)) // 2 % 2 == 0 else "check"


def looks_like_person(value: str) -> bool:
    """Whether a facet value is shaped like a person's name (not whether it is one)."""
    words = value.split()
    if not 1 <= len(words) <= 5 or any(c.isdigit() for c in value):
        return False
    if words[-1].rstrip(".") in COMPANY_WORDS or not NAME_WORD.fullmatch(words[0]):
        return False
    inner_ok = all(NAME_WORD.fullmatch(w) or NAME_PARTICLE.fullmatch(w) for w in words[1:-1])
    return inner_ok and bool(NAME_WORD.fullmatch(words[-1])) and not value.isupper()


def same_person(gold: str, value: str) -> bool:
    """The lenient rule: equal, or the same last word (accents, case and hyphens aside)."""
    gold_words = fold(gold).replace("-", " ").split()
    value_words = fold(value).replace("-", " ").split()
    return bool(gold_words and value_words) and gold_words[-1] == value_words[-1]


def same_org(gold: str, value: str) -> bool:
    """The lenient rule: equal, one holds the other as whole words, or one is the other's
    initials."""
    a, b = fold(gold).replace(".", ""), fold(value).replace(".", "")
    if not a or not b:
        return False
    if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    return (" " in a and initials(gold) == b.replace(" ", "")) or (
        " " in b and initials(value) == a.replace(" ", "")
    )


def country_scores(pairs: list[tuple[set[str], set[str]]]) -> dict[str, Any]:
    """Micro precision, recall and F1 over (labelled, predicted) country sets."""
    tp = sum(len(labels & predicted) for labels, predicted in pairs)
    fp = sum(len(predicted - labels) for labels, predicted in pairs)
    fn = sum(len(labels - predicted) for labels, predicted in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    missed: Counter[str] = Counter(c for labels, predicted in pairs for c in labels - predicted)
    wrong: Counter[str] = Counter(c for labels, predicted in pairs for c in predicted - labels)
    return {
        "country_f1": round(f1, 4),
        "country_precision": round(precision, 4),
        "country_recall": round(recall, 4),
        "country_labels": tp + fn,
        "missed_places": missed.most_common(10),
        "wrong_places": wrong.most_common(10),
    }


def person_like_share(found: list[Entities]) -> float:
    """The share of actor values (over all articles) shaped like a person's name."""
    values = [v for e in found for v in e.actors]
    return round(sum(map(looks_like_person, values)) / len(values), 4) if values else 0.0


def ratio(hit: int, total: int) -> float:
    return round(hit / total, 4) if total else 0.0


def score_labelled(
    articles: list[RawArticle], found: list[Entities], complete: bool
) -> dict[str, Any]:
    """Scores against JSON Lines `labels`, with the lenient matching rules."""
    pairs = []
    counts = Counter[str]()
    for article, entities in zip(articles, found, strict=True):
        labels = article.extra["labels"]
        places = {canonical_country(c) or c for c in labels.get("countries") or []}
        pairs.append((places, set(entities.countries)))
        for kind, gold, values, same in (
            ("people", labels.get("people") or [], entities.actors, same_person),
            ("orgs", labels.get("orgs") or [], entities.orgs, same_org),
        ):
            counts[f"{kind}_labels"] += len(gold)
            counts[f"{kind}_hit"] += sum(any(same(g, v) for v in values) for g in gold)
            counts[f"{kind}_values"] += len(values)
            counts[f"{kind}_right"] += sum(any(same(g, v) for g in gold) for v in values)
    figures = country_scores(pairs)
    figures["people_recall"] = ratio(counts["people_hit"], counts["people_labels"])
    figures["org_recall"] = ratio(counts["orgs_hit"], counts["orgs_labels"])
    if complete:
        figures["people_precision"] = ratio(counts["people_right"], counts["people_values"])
        figures["org_precision"] = ratio(counts["orgs_right"], counts["orgs_values"])
    figures["people_labels"], figures["org_labels"] = counts["people_labels"], counts["orgs_labels"]
    return figures


def found_by_index(
    articles: list[RawArticle], sources: list[Path] | None, workers: int
) -> list[Entities]:
    """Each article's facet values as the product gives them: `newsarchive index` into a
    scratch directory, then every article read back through the export of an empty search.

    Reuters files are indexed as they are (`sources`); JSON Lines records are written
    back as the records they were, labels and all, so that the index reads what a user's
    file would hold.
    """
    with tempfile.TemporaryDirectory(prefix="bench-entities-") as scratch:
        if sources is None:
            sources = [Path(scratch) / "articles.jsonl"]
            with sources[0].open("w", encoding="utf-8") as out:
                for article in articles:
                    out.write(json.dumps(as_record(article)) + "\n")
        index_dir = Path(scratch) / "index"
        report = index_paths(sources, WhooshBackend(index_dir), workers=workers)
        if report.failed:
            sys.exit(f"error: {report.failed} records failed to index")
        index = SearchIndex(index_dir)
        try:
            _, hits = export_hits(index, SearchRequest(sort="oldest"))
            by_id = {hit.id: Entities(hit.actors, hit.countries, hit.orgs) for hit in hits}
        finally:
            index.close()
    return [by_id.get(make_article_id(article), Entities()) for article in articles]


def as_record(article: RawArticle) -> dict[str, Any]:
    """A JSON Lines record holding what a RawArticle was read from."""
    record = {"id": article.source_id, "title": article.title, "body": article.body,
              "date": article.date_text, "url": article.url, "source": article.source}  # fmt: skip
    return {**{k: v for k, v in record.items() if v is not None}, **article.extra}


def score(articles: list[RawArticle], found: list[Entities]) -> dict[str, Any]:
    """Scores against Reuters' PLACES, PEOPLE (surnames) and ORGS (codes) labels."""
    pairs = []
    people = people_hit = orgs = orgs_hit = 0
    for article, entities in zip(articles, found, strict=True):
        labels = {name for code in article.extra.get("places", []) if (name := place_name(code))}
        pairs.append((labels, set(entities.countries)))
        for label in article.extra.get("people", []):
            people += 1
            people_hit += person_found(label, entities.actors)
        for label in article.extra.get("orgs", []):
            orgs += 1
            orgs_hit += org_found(label, entities.orgs)
    figures = country_scores(pairs)
    figures["people_recall"] = ratio(people_hit, people)
    figures["org_recall"] = ratio(orgs_hit, orgs)
    figures["people_labels"], figures["org_labels"] = people, orgs
    return figures


def print_misses(articles: list[RawArticle], found: list[Entities]) -> None:
    """Each labelled person and organisation not found, with what was found instead."""
    for article, entities in zip(articles, found, strict=True):
        labels = article.extra.get("labels")
        if isinstance(labels, dict):
            print_labelled_misses(article, entities, labels)
            continue
        for label in article.extra.get("people", []):
            if not person_found(label, entities.actors):
                print(f"person {label!r} in {article.source_id}: {entities.actors}")
        for label in article.extra.get("orgs", []):
            if not org_found(label, entities.orgs):
                print(f"org {label!r} in {article.source_id}: {entities.orgs}")


def print_labelled_misses(article: RawArticle, entities: Entities, labels: dict) -> None:
    """Each labelled name and country of a JSON Lines record not found, and what was."""
    for gold in labels.get("people") or []:
        if not any(same_person(gold, v) for v in entities.actors):
            print(f"person {gold!r} in {article.source_id}: {entities.actors}")
    for gold in labels.get("orgs") or []:
        if not any(same_org(gold, v) for v in entities.orgs):
            print(f"org {gold!r} in {article.source_id}: {entities.orgs}")
    places = {canonical_country(c) or c for c in labels.get("countries") or []}
    if places != set(entities.countries):
        print(f"countries of {article.source_id}: labelled {sorted(places)}, "
              f"found {entities.countries}")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--reuters", type=Path, help="folder of reut2-*.sgm")
    source.add_argument("--jsonl", type=Path, help="JSON Lines file with a labels object")
    source.add_argument("--files", type=Path, nargs="+",
                        help="files or folders; records with publisher labels")  # fmt: skip
    parser.add_argument("--split", choices=("dev", "check", "all"), default="all",
                        help="dev or check part (see the module's help), or all")  # fmt: skip
    parser.add_argument(
        "--annotations",
        type=Path,
        help="with --jsonl: score only these hand-annotated articles, P and R",
    )
    parser.add_argument("--complete-labels", action="store_true",
                        help="every name is labelled: print precision too")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--limit", type=int, help="score only the first N articles")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show", type=int, default=0, help="print the N most frequent values")
    parser.add_argument("--misses", action="store_true", help="print each missed label")
    parser.add_argument("--end-to-end", action="store_true",
                        help="index into a scratch folder; score what the index holds")  # fmt: skip
    args = parser.parse_args(argv)
    if args.end_to_end and args.reuters and args.limit:
        parser.error("--end-to-end indexes whole Reuters files: leave out --limit")

    if args.reuters:
        articles = read_articles(args.reuters, args.limit, args.split)
    elif args.files:
        articles = read_tagged(args.files, args.limit, args.split)
    else:
        articles = read_labelled(args.jsonl, args.limit, args.split)
        if args.annotations:
            articles = annotated_articles(articles, args.annotations)
    texts = [
        extraction_input(a.title, a.body, a.dateline, parse_date(a.date_text)) for a in articles
    ]
    started, cpu_before = time.perf_counter(), cpu_seconds()
    if args.end_to_end:
        files = split_files(args.reuters, args.split) if args.reuters else args.files
        found = found_by_index(articles, files, args.workers)
    else:
        found = resolve_names(articles, extract_all(texts, args.workers))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    if args.reuters:
        figures = score(articles, found)
    else:
        complete = args.complete_labels or args.annotations is not None
        figures = score_labelled(articles, found, complete)
    figures["person_like_share"] = person_like_share(found)
    figures["split"] = args.split
    figures["docs"] = len(articles)
    figures["seconds"] = round(seconds, 2)
    figures["docs_per_s"] = round(len(articles) / seconds, 1)
    # On a shared machine the wall clock depends on the neighbours; CPU time does not.
    figures["cpu_s"] = round(cpu, 2)
    figures["docs_per_cpu_s"] = round(len(articles) / cpu, 1)
    figures["workers"] = args.workers
    figures["end_to_end"] = args.end_to_end
    if not args.json:
        print(f"articles            {len(articles)}  ({args.workers} workers, {seconds:.1f} s)")
        print(f"countries           P {figures['country_precision']:.3f}  "
              f"R {figures['country_recall']:.3f}  F1 {figures['country_f1']:.3f}  "
              f"({figures['country_labels']} labels)")  # fmt: skip
        print(f"people recall       {figures['people_recall']:.3f}  "
              f"({figures['people_labels']} labels)")  # fmt: skip
        print(f"org recall          {figures['org_recall']:.3f}  ({figures['org_labels']} labels)")
        if "people_precision" in figures:
            print(f"people precision    {figures['people_precision']:.3f}")
            print(f"org precision       {figures['org_precision']:.3f}")
        print(f"person-like actors  {figures['person_like_share']:.3f}")
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
            if args.annotations:
                print_wrong(articles, found, same_person, same_org)
    del figures["missed_places"], figures["wrong_places"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
