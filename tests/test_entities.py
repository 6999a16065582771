"""Entities analysts can trust: salient countries, states of their time, names resolved across
the archive, the alias file and the extraction cache — on real text through the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.backends.whoosh.live_index import SearchIndex
from search.backends.whoosh.query import run_search
from search.entities import ArticleText, extract_entities
from search.entities.aliases import parse_aliases
from search.entities.archive import NameTable
from search.entities.countries import find_countries
from search.errors import InputError
from search.models import SearchRequest
from tests.indexing import index_into


def canonicals(text: str, year: int | None) -> list[str]:
    return [m.canonical for m in find_countries(text, "body", year)]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("Officials in Moscow said the Kremlin agreed.", 1987, ["Soviet Union", "Soviet Union"]),
        ("Officials in Moscow said the Kremlin agreed.", 2022, ["Russia", "Russia"]),
        ("Officials in Moscow said the Kremlin agreed.", None, ["Russia", "Russia"]),
        ("Germany's exports rose, Bonn said.", 1987, ["West Germany", "West Germany"]),
        ("Germany's exports rose, Berlin said.", 1995, ["Germany", "Germany"]),
        ("Zagreb and Belgrade talked.", 1987, ["Yugoslavia", "Yugoslavia"]),
        ("Burma and Zaire signed.", 1987, ["Myanmar", "DR Congo"]),  # renamed: one state
    ],
)
def test_states_are_those_of_the_articles_year(text: str, year: int | None, expected) -> None:
    assert canonicals(text, year) == expected


def test_the_country_facet_holds_what_the_story_is_about() -> None:
    story = ArticleText(
        title="Japan cuts its discount rate",
        body=(
            "The Bank of Japan cut its discount rate to 2.5 pct, the central bank said.\n"
            "    The move had been expected by dealers. A similar cut in France last year\n"
            "had little effect, one analyst said."
        ),
        dateline="TOKYO, March 3 -",
        year=1987,
    )
    entities = extract_entities([story])[0]
    assert entities.countries == ["Japan"]
    mentioned = {m.canonical for m in entities.mentions if m.kind == "country"}
    assert "France" in mentioned  # still a mention: highlighted and searchable
    fields = {m.field for m in entities.mentions if m.canonical == "Japan"}
    assert {"title", "dateline", "body"} <= fields


def test_a_dateline_alone_makes_its_country_salient() -> None:
    story = ArticleText("Rates steady", "Dealers said rates were steady.", "LONDON, March 3 -")
    assert extract_entities([story])[0].countries == ["United Kingdom"]


def resolved(stories: list[ArticleText]) -> list:
    """Extraction, then names counted and resolved across these stories, as indexing does."""
    found = extract_entities(stories)
    names = NameTable()
    for entities in found:
        names.add(entities)
    resolver = names.resolver(story.body for story in stories)
    return [resolver.resolve(e, s.title, s.body) for e, s in zip(found, stories, strict=True)]


REAGAN_ARCHIVE = [
    ArticleText("Budget talks", "President Ronald Reagan met lawmakers. Reagan said no."),
    ArticleText("Trade bill", "Ronald Reagan vetoed the bill on Tuesday, aides said."),
    ArticleText("Summit", "Ronald Reagan will travel to Venice in June."),
    ArticleText("Taxes", "Reagan told reporters that he would not raise taxes."),
    ArticleText("Farm aid", "The farm bill went to Reagan, who is expected to sign it."),
    ArticleText("REAGAN SAYS HE WILL VETO HIGHWAY BILL", ""),
]


def test_a_surname_alone_is_the_archives_full_name() -> None:
    found = resolved(REAGAN_ARCHIVE)
    assert found[3].actors == ["Ronald Reagan"]
    assert found[4].actors == ["Ronald Reagan"]
    # The model never reads an all-caps headline; the archive knows the name.
    assert found[5].actors == ["Ronald Reagan"]
    assert [m.surface for m in found[5].mentions if m.kind == "actor"] == ["REAGAN"]


def test_an_ambiguous_surname_stays_as_written() -> None:
    stories = [
        ArticleText("A", "Treasury Secretary James Baker spoke in Paris on Monday."),
        ArticleText("B", "Chief of staff Howard Baker spoke at the White House."),
        ArticleText("C", "Analyst Anna Baker said the market was calm."),
        ArticleText("D", "Later, Baker said the talks would go on."),
    ]
    found = resolved(stories)
    # Three people, no way to tell which: the story is still about a Baker.
    assert found[3].actors == ["Baker"]


def test_nicknames_and_middle_initials_are_one_person() -> None:
    stories = [
        ArticleText("A", "House Speaker Jim Wright said the vote was close."),
        ArticleText("B", "Speaker Jim Wright told reporters the bill would pass."),
        ArticleText("C", "Democratic leader James Wright disagreed on Friday."),
    ]
    found = resolved(stories)
    assert {name for e in found for name in e.actors} == {"Jim Wright"}


def test_alias_file_errors_name_the_file_and_what_is_wrong() -> None:
    with pytest.raises(InputError, match=r"aliases\.toml: not valid TOML"):
        parse_aliases("[actor\n", "aliases.toml")
    with pytest.raises(InputError, match=r"'person' is not one of actor, country, org"):
        parse_aliases('[person]\n"A" = ["B"]\n', "aliases.toml")
    with pytest.raises(InputError, match=r"must be a list of names"):
        parse_aliases('[actor]\n"A" = [1]\n', "aliases.toml")


def facet(index_dir: Path, kind: str) -> dict[str, int]:
    index = SearchIndex(index_dir)
    try:
        page = run_search(index, SearchRequest(per_page=1))
        return {value.value: value.count for value in page.facets[kind]}
    finally:
        index.close()


STORIES = [
    {"id": "s1", "title": "Port deal", "body": "Minister Amina Okafor said the port deal with "
     "Helix Shipping Ltd was signed in Lagos.", "date": "2021-03-04"},
    {"id": "s2", "title": "Port opens", "body": "Amina Okafor opened the port of Lagos with "
     "Helix Shipping Ltd on Friday.", "date": "2021-05-04"},
    {"id": "s3", "title": "Trade", "body": "Trade with Ghana would grow, Okafor told reporters.",
     "date": "2021-06-04"},
]  # fmt: skip


def test_aliases_apply_on_rebuild_from_the_cache_without_extraction(tmp_path: Path) -> None:
    source = tmp_path / "wire.jsonl"
    source.write_text("\n".join(json.dumps(s) for s in STORIES) + "\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    first = index_into([source], index_dir)
    assert first.cached == 0
    before = facet(index_dir, "actor")
    assert before == {"Amina Okafor": 3}
    assert facet(index_dir, "org") == {"Helix Shipping Ltd": 2}

    (index_dir / "aliases.toml").write_text(
        '[actor]\n"Amina N. Okafor" = ["Amina Okafor"]\n[suppress]\norg = ["Helix Shipping Ltd"]\n',
        encoding="utf-8",
    )
    rerun = index_into([source], index_dir)  # not a rebuild: says how to apply the aliases
    assert any("index --rebuild" in note.reason for note in rerun.warnings)

    rebuilt = index_into([source], index_dir, rebuild=True)
    assert rebuilt.cached == len(STORIES)  # nothing extracted again
    assert facet(index_dir, "actor") == {"Amina N. Okafor": 3}
    assert facet(index_dir, "org") == {}

    (index_dir / "aliases.toml").write_text("[actor\n", encoding="utf-8")
    with pytest.raises(InputError, match="aliases.toml: not valid TOML"):
        index_into([source], index_dir, rebuild=True)
    assert facet(index_dir, "actor") == {"Amina N. Okafor": 3}  # the live index is untouched


def test_article_page_says_which_countries_are_only_mentioned(tmp_path: Path) -> None:
    from search.web import create_app

    story = {
        "id": "r1",
        "title": "Japan cuts its discount rate",
        "body": "The Bank of Japan cut its discount rate, the central bank said in Tokyo.\n"
        "Dealers recalled a similar cut in France last year.",
        "date": "1987-03-03",
    }
    source = tmp_path / "wire.jsonl"
    source.write_text(json.dumps(story) + "\n", encoding="utf-8")
    index_into([source], tmp_path / "index")
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    try:
        page = app.test_client().get("/article/r1").get_data(as_text=True)
        data = app.test_client().get("/api/article/r1").get_json()
    finally:
        app.extensions["backend"].close()
    assert "Also mentioned, not in the facet:" in page and "France" in page
    assert data["countries"] == ["Japan"]
    assert any(m["canonical"] == "France" for m in data["mentions"])


# An agency named alone in most stories, and once by the name of one of its units.
AGENCY_ARCHIVE = [
    ("Cut", "The debt was cut by Halvard Ratings. Halvard said more could follow."),
    ("Shrug", "Investors shrugged off the warning, Halvard told clients on Monday."),
    ("Note", "Analysts at Halvard expect rates to rise, Halvard said in a note."),
    ("Again", "The outlook is negative, Halvard said, citing weak exports."),
]


def test_a_frequent_short_name_is_not_absorbed_by_a_rare_longer_one() -> None:
    found = resolved([ArticleText(title, body) for title, body in AGENCY_ARCHIVE])
    assert found[0].orgs == ["Halvard Ratings"]  # the article itself says the longer name
    assert [e.orgs for e in found[1:]] == [["Halvard"]] * 3


def test_one_person_whatever_the_case_of_a_particle() -> None:
    stories = [
        ArticleText("A", "Emirati investor Hamid bin Rashed bought the stake."),
        ArticleText("B", "Hamid Bin Rashed declined to comment on the deal."),
        ArticleText("C", "Hamid bin Rashed's fund, Sahra Capital, paid cash."),
    ]
    assert {name for e in resolved(stories) for name in e.actors} == {"Hamid bin Rashed"}


MODERN_WIRE = Path(__file__).parent / "fixtures" / "modern_wire.jsonl"


def modern_wire() -> list[dict]:
    lines = MODERN_WIRE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_modern_wire_people_are_exactly_the_labelled_ones() -> None:
    # Original stories in today's wire style (credits, bylines, slideshows, all-caps
    # headlines, results lists, particle and Korean names); every name is labelled.
    records = modern_wire()
    stories = [ArticleText(r["headline"], r["body"], year=int(r["published"][:4])) for r in records]
    for record, entities in zip(records, resolved(stories), strict=True):
        labels = record["labels"]
        assert set(entities.actors) == set(labels["people"]), record["id"]
        assert set(entities.orgs) <= set(labels["orgs"]), record["id"]


def test_a_political_group_is_the_party_the_archive_names() -> None:
    stories = [
        ArticleText("A", "The Republican Party chose its candidate on Monday."),
        ArticleText("B", "Leaders of the Republican Party met in Ohio on Friday."),
        ArticleText("C", "Republicans in the Senate blocked the bill, and Democrats said they "
                    "would try again."),
        ArticleText("D", "Catholics and Muslims prayed together in the city."),
    ]  # fmt: skip
    found = resolved(stories)
    assert "Republican Party" in found[2].orgs
    assert all("Democrat" not in org for org in found[2].orgs)  # no party of that name here
    assert found[3].orgs == [] and all(m.kind != "org" for m in found[3].mentions)


def test_an_organisation_is_one_value_whatever_the_spelling_of_its_name() -> None:
    stories = [
        ArticleText("Output", "The Organization of Petroleum Exporting Countries met on Monday."),
        ArticleText("Quotas", "Members of the Organisation of Petroleum Exporting Countries met."),
        ArticleText("Prices", "The Organisation of Petroleum Exporting Countries meets in June."),
        ArticleText("Ceiling", "OPEC output is below its ceiling, dealers said."),
    ]
    # British and American spellings are one body, and its acronym is that body too.
    assert [e.orgs for e in resolved(stories)] == [
        ["Organisation of Petroleum Exporting Countries"]
    ] * 4


def test_a_well_known_surname_in_a_headline_stays_as_written() -> None:
    stories = [
        ArticleText("A", "President Dahlquist met lawmakers on Monday."),
        ArticleText("B", "Dahlquist told reporters he would not raise taxes."),
        ArticleText("C", "Asked about the budget, Dahlquist said he would wait."),
        ArticleText("E", "Senator Dahlquist said the vote would be close."),
        ArticleText("D", "Governor Anna Dahlquist of Ohio and Senator Paul Dahlquist disagreed."),
        ArticleText("DAHLQUIST TO VETO BUDGET BILL", ""),
    ]
    # No full name dominates the surname, but the archive knows it well: the model never
    # reads an all-caps headline, the archive does.
    assert resolved(stories)[-1].actors == ["Dahlquist"]


def test_a_name_becomes_a_longer_one_only_where_the_article_allows_it() -> None:
    stories = [
        ArticleText("A", "Analysts at Reuters Breakingviews said the bid was too rich."),
        ArticleText("B", "Reuters Breakingviews columnists doubted the merger on Monday."),
        ArticleText("C", "The price is high, Reuters Breakingviews argued in a column."),
        ArticleText("D", "Treasury Secretary James Baker said the dollar was too weak."),
        ArticleText("E", "Treasury Secretary James Baker met bankers in Paris."),
        ArticleText("F", "Treasury Secretary James Baker told Congress that rates would fall."),
        ArticleText("G", "The company told Reuters on Monday that it would sell the unit."),
        ArticleText("H", "Howard Baker and Susan Baker opened the school on Friday. Baker said "
                    "it would teach 300 children."),
    ]  # fmt: skip
    found = resolved(stories)
    assert found[0].orgs == ["Reuters Breakingviews"]
    # The archive's longer name says what this article does not: it stays as written.
    assert found[6].orgs == ["Reuters"]
    # Two bearers of the surname in the article: it is none of the archive's.
    assert "James Baker" not in found[7].actors
    assert {"Howard Baker", "Susan Baker"} <= set(found[7].actors)


def test_a_surname_several_well_known_people_share_stays_as_written_in_a_headline() -> None:
    stories = [
        ArticleText("A", "Treasury Secretary James Okonkwo said the dollar was too weak."),
        ArticleText("B", "Treasury Secretary James Okonkwo met bankers in Paris."),
        ArticleText("C", "James Okonkwo told Congress that rates would fall."),
        ArticleText("D", "Senator Grace Okonkwo said the bill would pass."),
        ArticleText("E", "Senator Grace Okonkwo voted against the budget."),
        ArticleText("F", "Senator Grace Okonkwo told reporters she would run again."),
        ArticleText("TREASURY'S OKONKWO SAYS DOLLAR TOO WEAK", ""),
    ]
    # Neither bearer dominates the surname; the headline still names a person.
    assert resolved(stories)[-1].actors == ["Okonkwo"]


def test_a_surname_companies_share_is_a_person_after_an_office_in_a_headline() -> None:
    stories = [
        ArticleText("A", "Treasury Secretary James Okafor said the dollar was too weak."),
        ArticleText("B", "Treasury Secretary James Okafor met bankers in Paris."),
        ArticleText("C", "Treasury Secretary James Okafor told Congress rates would fall."),
        ArticleText("D", "Okafor Hughes Inc said profit rose. Okafor Hughes Inc shares fell."),
        ArticleText("E", "Okafor Hughes Inc cut its dividend, the company said."),
        ArticleText("F", "Okafor Hughes Inc will sell its drilling unit."),
        ArticleText("G", "Secretary Okafor said on Monday that the dollar was too weak."),
        ArticleText("TREASURY'S OKAFOR SAYS DOLLAR TOO WEAK", ""),
        ArticleText("OKAFOR HUGHES TO CUT JOBS", ""),
    ]
    found = resolved(stories)
    assert found[-2].actors == ["James Okafor"]
    assert found[-1].actors == []  # no office before it: maybe the company
    # The archive's company says what this article does not ("Hughes"): a person still.
    assert found[-3].orgs == [] and [a.split()[-1] for a in found[-3].actors] == ["Okafor"]


def test_a_placeholder_never_takes_a_name_with_it() -> None:
    from collections import Counter

    from search.entities.compatible import ArticleNames
    from search.entities.mapping import build_mapping
    from search.models import Mention

    # "Telstra" read as a group of people in some articles ("Telstra (group)", no party
    # of that name) and as a company in others: the company stays.
    counts = Counter({("org", "Telstra (group)"): 5, ("org", "Telstra"): 3,
                      ("actor", "Winter Outlook (unconfirmed)"): 2,
                      ("actor", "Outlook"): 1})  # fmt: skip
    mapping = build_mapping(counts)
    assert mapping[("org", "Telstra (group)")] is None
    assert ("org", "Telstra") not in mapping
    assert mapping.get(("actor", "Outlook")) is None
    # Within an article too: the group is no longer name of the company.
    mentions = [Mention("org", "Telstra (group)", "Telstra", "body", 0, 7),
                Mention("org", "Telstra", "Telstra", "body", 20, 27)]  # fmt: skip
    assert ArticleNames.of(mentions, "Telstra ... Telstra").target(("org", "Telstra"), None) is None


def test_an_organisation_seen_only_at_sentence_starts_waits_for_the_archive() -> None:
    from collections import Counter

    from search.entities.mapping import build_mapping
    from search.entities.organisations import org_mentions
    from search.entities.spans import Span

    texts = {"title": "", "body": "Telstra cut prices. Farmers said so."}
    spans = [Span("org", "Telstra", "body", 0, 7), Span("org", "Farmers", "body", 20, 27)]
    assert [m.canonical for m in org_mentions(spans, texts)] == [
        "Telstra (unconfirmed)", "Farmers (unconfirmed)"
    ]  # fmt: skip
    # Another article names Telstra mid-sentence; nobody names Farmers so.
    counts = Counter({("org", "Telstra (unconfirmed)"): 1, ("org", "Telstra"): 2,
                      ("org", "Farmers (unconfirmed)"): 3})  # fmt: skip
    mapping = build_mapping(counts)
    assert mapping[("org", "Telstra (unconfirmed)")] == ("org", "Telstra")
    assert mapping[("org", "Farmers (unconfirmed)")] is None
