"""Hand annotations that list every person and organisation an article names, so that
precision can be measured as well as recall (editors' labels name only what a story is
about). `python -m bench.entities --jsonl FILE --annotations bench/annotated/X.jsonl`
scores only the annotated articles, against the annotations, with the lenient rules.

An annotation file is JSON Lines: {"id": record id, "people": [...], "orgs": [...]},
written by reading each article before looking at what the extractor makes of it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from search.models import Entities, RawArticle


def read_annotations(path: Path) -> dict[str, dict[str, list[str]]]:
    """The annotations of a file, by record id; exits naming the line that is wrong."""
    if not path.is_file():
        sys.exit(f"error: no annotation file {path}")
    annotations = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            annotations[row["id"]] = {"people": list(row["people"]), "orgs": list(row["orgs"])}
        except (ValueError, KeyError, TypeError) as error:
            sys.exit(f"error: {path} line {number}: not an annotation ({error})")
    return annotations


def annotated_articles(articles: list[RawArticle], path: Path) -> list[RawArticle]:
    """The articles the file annotates, their people and organisation labels replaced by
    the annotations (country labels stay the editors')."""
    annotations = read_annotations(path)
    chosen = [a for a in articles if a.source_id in annotations]
    missing = annotations.keys() - {a.source_id for a in chosen}
    if missing:
        sys.exit(f"error: {path} annotates records not read: {sorted(missing)[:5]}")
    for article in chosen:
        labels = dict(article.extra.get("labels") or {})
        labels.update(annotations[article.source_id or ""])
        article.extra["labels"] = labels
    return chosen


def print_wrong(
    articles: list[RawArticle],
    found: list[Entities],
    same_person: Callable[[str, str], bool],
    same_org: Callable[[str, str], bool],
) -> None:
    """Each actor and organisation value that no annotation of its article matches."""
    for article, entities in zip(articles, found, strict=True):
        labels = article.extra["labels"]
        for kind, values, gold, same in (
            ("actor", entities.actors, labels["people"], same_person),
            ("org", entities.orgs, labels["orgs"], same_org),
        ):
            for value in values:
                if not any(same(g, value) for g in gold):
                    print(f"wrong {kind} {value!r} in {article.source_id}")
