"""The entity benchmark's JSON Lines mode: labels read, split by year, scored leniently."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.entities import looks_like_person, main, same_org, same_person, year_split

# Written for this test: two labelled stories in a dev year, one in a check year.
RECORDS = [
    {
        "id": "t-1",
        "title": "Port workers end strike in Valparaiso",
        "date": "2005-03-02",
        "body": "Dockers in Chile returned to work on Tuesday. Labour minister Ricardo "
        "Solar told reporters the deal with the International Labour Organization "
        "observers present was fair. Solar said wages would rise.",
        "labels": {
            "countries": ["Chile"],
            "people": ["Ricardo Solar", "Nobody Mentioned"],
            "orgs": ["ILO"],
        },
    },
    {
        "id": "t-2",
        "title": "Norway opens wind auction",
        "date": "2004-11-20",
        "body": "Norway's energy ministry opened bids for offshore wind farms on Monday.",
        "labels": {"countries": ["Norway"], "people": [], "orgs": []},
    },
    {
        "id": "t-3",
        "title": "Kenya and Uganda sign rail deal",
        "date": "2007-06-01",
        "body": "Kenya and Uganda signed a railway agreement in Nairobi on Friday.",
        "labels": {"countries": ["Kenya", "Uganda"], "people": [], "orgs": []},
    },
]


def test_lenient_rules_match_as_the_acceptance_checks_do() -> None:
    assert same_person("Ronald Reagan", "Reagan")
    assert same_person("Ursula von der Leyen", "Ursula von der Leyen")
    assert not same_person("Ronald Reagan", "Nancy Reagan-Smith")
    assert same_org("International Labour Organization", "ILO")
    assert same_org("Reuters", "Reuters Breakingviews")  # one holds the other as words
    assert not same_org("Reuters", "Reutersville")
    assert year_split("2005-03-02") == year_split("2004-01-01") == "dev"
    assert year_split("2007-03-02") == year_split("2006-01-01") == "check"
    assert looks_like_person("Ursula von der Leyen")
    assert not looks_like_person("Acme Holdings Ltd")
    assert not looks_like_person("Slideshow (5 images)")


@pytest.mark.parametrize("split, docs", [("dev", 2), ("check", 1), ("all", 3)])
def test_jsonl_mode_scores_labelled_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], split: str, docs: int
) -> None:
    path = tmp_path / "labelled.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in RECORDS)
    main(["--jsonl", str(path), "--split", split, "--workers", "1", "--json"])
    figures = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert figures["docs"] == docs
    assert figures["split"] == split
    if split == "dev":
        # Ricardo Solar is found, the unmentioned name cannot be: recall one half.
        assert figures["people_recall"] == 0.5
        assert figures["people_labels"] == 2
        assert figures["country_recall"] == 1.0
    if split == "check":
        assert figures["people_labels"] == 0
        assert figures["country_labels"] == 2


def test_end_to_end_scores_what_the_index_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scoring the index built by `newsarchive index` gives what scoring extraction gives:
    the benchmark measures the product, not a copy of its pipeline."""
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in RECORDS), encoding="utf-8")
    figures = []
    for extra in ([], ["--end-to-end"]):
        main(["--jsonl", str(path), "--workers", "1", "--json", *extra])
        figures.append(json.loads(capsys.readouterr().out.splitlines()[-1]))
    in_memory, indexed = figures
    assert indexed["end_to_end"] and not in_memory["end_to_end"]
    for key in ("country_precision", "country_recall", "people_recall", "org_recall"):
        assert indexed[key] == in_memory[key], key
    assert indexed["country_labels"] == 4


def test_annotations_score_precision_and_recall_of_the_annotated_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in RECORDS), encoding="utf-8")
    annotations = tmp_path / "annotated.jsonl"
    # Every name of t-1, as a reader lists them; a made-up one to cost recall.
    row = {"id": "t-1", "people": ["Ricardo Solar", "Ana Nadie"],
           "orgs": ["International Labour Organization"]}  # fmt: skip
    annotations.write_text(json.dumps(row) + "\n", encoding="utf-8")
    main(["--jsonl", str(path), "--annotations", str(annotations), "--workers", "1", "--json"])
    figures = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert figures["docs"] == 1
    assert figures["people_labels"] == 2 and figures["people_recall"] == 0.5
    assert figures["people_precision"] == 1.0  # Ricardo Solar, the one actor value
    annotations.write_text('{"id": "t-1", "people": "Ricardo Solar"\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="line 1"):
        main(["--jsonl", str(path), "--annotations", str(annotations), "--json"])
