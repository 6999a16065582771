"""How many articles of an archive have a dateline or byline taken off their body, and which.

    python -m bench.leads samples ../shared/data/reuters21578 ../shared/data/wikinews
    python -m bench.leads --reuters-joined ../shared/data/reuters21578

Prints the counts per file type, then a random sample of the cuts (what was taken, what the
body started with and starts with now) to inspect by eye for first sentences eaten.
`--reuters-joined` measures recall instead: each Reuters record's <DATELINE> is put back in
front of its <BODY>, as other wires send it, and the dateline must come off exactly.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path

from search.ingest import read_records
from search.ingest.reuters import unescape
from search.leads import split_lead
from search.models import RawArticle


def raw_articles(paths: list[str]) -> list[RawArticle]:
    """Every article under the paths, as its reader gives it (before the lead is taken)."""
    files = [
        p
        for given in map(Path, paths)
        for p in (sorted(given.rglob("*")) if given.is_dir() else [given])
    ]
    return [
        record
        for path in files
        if path.is_file() and not path.name.startswith(".")
        for record in read_records(path)
        if isinstance(record, RawArticle)
    ]


JOINED = re.compile(r"<DATELINE>(.*?)</DATELINE>\s*<BODY>(.{0,60})", re.S)


def reuters_joined(directory: str, sample: int, seed: int) -> None:
    """How many Reuters datelines, put back before their bodies, come off exactly."""
    rows = []
    for path in sorted(Path(directory).glob("*.sgm")):
        for match in JOINED.finditer(path.read_text(encoding="latin-1")):
            dateline, start = unescape(match.group(1)), unescape(match.group(2))
            lead = split_lead(dateline + start)
            exact = lead.place is not None and lead.body.strip()[:15] == start.strip()[:15]
            rows.append((exact, dateline.strip(), lead.place, lead.body[:40]))
    exact = sum(row[0] for row in rows)
    print(
        f"{len(rows):,} Reuters datelines put back: {exact:,} taken off exactly "
        f"({exact / max(1, len(rows)):.1%})"
    )
    random.Random(seed).shuffle(rows)
    for row in rows[:sample]:
        print("-", row)


def main() -> None:
    """Count and show the leads split_lead takes off the bodies of the given archives."""
    parser = argparse.ArgumentParser(description="Datelines and bylines taken off bodies.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--reuters-joined", action="store_true", help="measure recall")
    options = parser.parse_args()
    if options.reuters_joined:
        reuters_joined(options.paths[0], options.sample, options.seed)
        return
    totals: Counter[str] = Counter()
    cuts = []
    for record in raw_articles(options.paths):
        kind = Path(record.locator.path).parent.name
        totals[kind] += 1
        lead = split_lead(record.body)
        if lead.body is not record.body:
            totals[kind + " cut"] += 1
            totals[kind + " dateline"] += lead.place is not None
            totals[kind + " byline"] += lead.author is not None
            cuts.append((record, lead))
    for key, count in sorted(totals.items()):
        print(f"{key:<28}{count:>7,}")
    random.Random(options.seed).shuffle(cuts)
    for record, lead in cuts[: options.sample]:
        taken = record.body[: len(record.body) - len(lead.body)]
        print(
            f"- {record.locator}: took {taken!r} -> place={lead.place!r} "
            f"author={lead.author!r} agency={lead.agency!r}; now {lead.body[:60]!r}"
        )


if __name__ == "__main__":
    main()
