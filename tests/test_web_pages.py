"""Facets, histogram, entity pages, exports and respelling through Flask's test client.

Every expected number is derived from the index itself (the JSON API or the CSV export),
never written down.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from search.web import create_app
from tests.indexing import index_into

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def api(client, **params) -> dict:
    """The JSON search for some parameters."""
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def exported(client, **params) -> list[dict[str, str]]:
    """Every matching article, as the CSV export lists them."""
    response = client.get("/export.csv", query_string=params)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def hrefs(html: str, css_class: str) -> list[str]:
    """The (unescaped) href of every <a> with a class."""
    pattern = (
        rf'<a[^>]*class="{css_class}"[^>]*href="([^"]*)"'
        rf'|<a[^>]*href="([^"]*)"[^>]*class="{css_class}"'
    )
    return [(a or b).replace("&amp;", "&") for a, b in re.findall(pattern, html)]


def two_countries(client) -> tuple[str, str]:
    """The two most frequent countries of the archive."""
    countries = api(client)["facets"]["country"]
    return countries[0]["value"], countries[1]["value"]


def test_several_values_combine_with_and_or_with_the_or_switch(client) -> None:
    first, second = two_countries(client)
    with_first = {row["id"] for row in exported(client, country=first)}
    with_second = {row["id"] for row in exported(client, country=second)}
    both = api(client, country=[first, second])
    either = api(client, country=[first, second], country_op="or")
    assert both["total"] == len(with_first & with_second)
    assert either["total"] == len(with_first | with_second)
    assert either["total"] > max(len(with_first), len(with_second)) or with_first == with_second


def test_facet_counts_agree_with_the_hits_of_the_filtered_query(client) -> None:
    first, _ = two_countries(client)
    rows = exported(client, country=first)
    counted = api(client, country=first)["facets"]["actor"]
    assert counted  # else the loop below checks nothing
    for value in counted:
        assert value["count"] == sum(value["value"] in row["actors"].split("; ") for row in rows)


def test_or_switch_and_chips_on_the_page(client) -> None:
    first, second = two_countries(client)
    html = client.get("/search", query_string={"country": [first, second]}).get_data(as_text=True)
    assert f"Country: {first}" in html and f"Country: {second}" in html and "Clear all" in html
    any_link = re.search(r'<a href="([^"]*)" data-operator="any">', html)
    assert any_link and "country_op=or" in any_link.group(1)
    switched = client.get(any_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Country (any of): " + first in switched
    for url in hrefs(html, "chip removable"):
        remaining = parse_qs(urlsplit(url).query).get("country", [])
        assert len(remaining) == 1


def test_exclude_links_leave_the_value_out(client) -> None:
    first, _ = two_countries(client)
    html = client.get("/search").get_data(as_text=True)
    exclude = next(
        url for url in hrefs(html, "exclude") if f"not_country={first}" in url.replace("+", " ")
    )
    page = client.get(exclude).get_data(as_text=True)
    assert f"Not country: {first}" in page
    rest = api(client, not_country=first)
    assert all(first not in hit["countries"] for hit in rest["hits"])
    assert rest["total"] == api(client)["total"] - api(client, country=first)["total"]


def test_operator_must_be_and_or_or(client) -> None:
    response = client.get("/api/search?actor_op=xor")
    assert response.status_code == 400 and "actor_op=or" in response.get_json()["error"]
    page = client.get("/search?country_op=maybe")
    assert page.status_code == 400 and "country_op=and" in page.get_data(as_text=True)


def test_facet_page_lists_every_value_with_counts_and_filters(client) -> None:
    rows = exported(client)
    countries = {value for row in rows for value in row["countries"].split("; ") if value}
    html = client.get("/facet/country").get_data(as_text=True)
    listed = re.findall(r'<a class="value" href="[^"]*" aria-label="Filter by ([^"]*)"', html)
    assert set(listed) == countries
    first, _ = two_countries(client)
    narrowed = client.get("/facet/country", query_string={"contains": first[1:4].lower()})
    names = re.findall(r'aria-label="Filter by ([^"]*)"', narrowed.get_data(as_text=True))
    assert first in names and all(first[1:4].lower() in n.lower() for n in names)
    assert client.get("/facet/weather").status_code == 404


def test_facet_page_keeps_the_current_search(client) -> None:
    first, _ = two_countries(client)
    html = client.get("/facet/actor", query_string={"country": first}).get_data(as_text=True)
    expected = api(client, country=first)["facets"]["actor"]
    counts = re.findall(
        r'aria-label="Filter by ([^"]*)">([^<]*)</a>\s*<span class="count">([\d,]+)', html
    )
    assert {(name, int(count)) for name, _, count in counts} >= {
        (v["value"], v["count"]) for v in expected
    }
    assert f'name="country" value="{first}"' in html  # the filter box keeps the search


def test_histogram_drills_from_years_to_months_to_days(client) -> None:
    html = client.get("/search").get_data(as_text=True)
    years = hrefs(html, "bar-link")
    assert years and "<svg" in html
    year_url = years[-1]
    year = parse_qs(urlsplit(year_url).query)["since"][0]
    months_page = client.get(year_url).get_data(as_text=True)
    assert "Per month" in months_page
    month_url = hrefs(months_page, "bar-link")[0]
    month = parse_qs(urlsplit(month_url).query)["since"][0]
    assert month.startswith(year + "-")
    days_page = client.get(month_url).get_data(as_text=True)
    assert "Per day" in days_page
    day_urls = hrefs(days_page, "bar-link")
    day_totals = sum(api(client, **parse_qs(urlsplit(u).query))["total"] for u in day_urls)
    month_total = api(client, since=month, until=month)["total"]
    labels = re.findall(r'aria-label="(\d{4}-\d\d-\d\d): (\d+) article', days_page)
    assert sum(int(count) for _, count in labels) == day_totals <= month_total


def test_typed_dates_keep_the_other_filters(client) -> None:
    first, _ = two_countries(client)
    html = client.get("/search", query_string={"country": first, "q": "trade"}).get_data(
        as_text=True
    )
    form = html[html.index('<form class="dates"') :]
    form = form[: form.index("</form>")]
    assert f'name="country" value="{first}"' in form and 'name="q" value="trade"' in form
    assert (
        api(client, since="March 2022", until="2022-03-31")["total"]
        == api(client, since="2022-03", until="2022-03")["total"]
    )


def test_entity_page_shows_counts_dates_timeline_and_related(client) -> None:
    first, _ = two_countries(client)
    html = client.get(f"/country/{first}").get_data(as_text=True)
    newest = api(client, country=first, sort="newest")
    oldest = api(client, country=first, sort="oldest")
    assert f"<h1>{first}</h1>" in html
    assert f">{newest['total']}</a></dd>" in html
    assert f"<dd>{oldest['hits'][0]['date']}</dd>" in html
    assert f"<dd>{newest['hits'][0]['date']}</dd>" in html
    assert '<svg class="chart"' in html and "Seen with" in html
    for hit in newest["hits"][:3]:
        assert f'href="/article/{hit["id"]}"' in html
    lifts = [float(x) for x in re.findall(r'class="lift">×([\d.]+)', html)]
    assert lifts


def test_related_entities_are_ranked_by_lift(client, samples_search) -> None:
    from search.backends.whoosh.summaries import profile_entity

    first, _ = two_countries(client)
    profile = profile_entity(samples_search, "country", first)
    everything = api(client)["total"]
    assert all(profile.related.values())  # else the loop below checks nothing
    for kind, rows in profile.related.items():
        assert [r.lift for r in rows] == sorted((r.lift for r in rows), reverse=True)
        assert all(r.lift > 0 for r in rows)
        for row in rows:
            assert row.value != first or kind != "country"
            pair = [first, row.value] if kind == "country" else first
            both = api(
                client, **{"country": pair, **({} if kind == "country" else {kind: row.value})}
            )
            both = both["total"]
            alone = api(client, **{kind: row.value})["total"]
            assert row.together == both
            assert abs(row.lift - both * everything / (alone * profile.total)) < 0.01


def test_every_facet_value_and_chip_links_to_its_entity_page(client) -> None:
    html = client.get("/search").get_data(as_text=True)
    profiles = hrefs(html, "profile")
    assert profiles and all(re.match(r"/(actor|country|org)/", url) for url in profiles)
    chip = re.search(r'<a class="chip (actor|country|org)" href="([^"]*)">', html)
    assert chip and client.get(chip.group(2)).status_code == 200


def test_unknown_entity_is_a_404_page_with_a_message(client) -> None:
    response = client.get("/actor/<script>Nobody</script>")
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and "No article mentions" in text
    assert "<script>Nobody" not in text
    assert client.get("/org/").status_code == 404


def test_csv_export_has_every_match_in_order(client) -> None:
    data = api(client, sort="oldest")
    rows = exported(client, sort="oldest")
    assert len(rows) == data["total"]
    assert [row["id"] for row in rows[:20]] == [hit["id"] for hit in data["hits"]]
    assert list(rows[0]) == [
        *("id", "title", "date", "actors", "countries", "orgs"),
        *("source", "language", "url", "snippet"),
    ]
    assert client.get("/export.csv?sort=sideways").status_code == 400


def test_csv_export_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    records = [
        {"id": "f1", "title": '=HYPERLINK("http://x","y") talks', "body": "+1 Tokyo -2 @me"},
        {"id": "f2", "title": "@SUM(A1) in Tokyo", "body": "-cmd Tokyo"},
    ]
    (tmp_path / "f.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    index_into([tmp_path / "f.jsonl"], tmp_path / "index")
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    rows = list(
        csv.reader(io.StringIO(app.test_client().get("/export.csv").get_data(as_text=True)))
    )
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@" for cell in row), row
    assert {row[1] for row in rows[1:]} == {"'" + r["title"] for r in records}
    app.extensions["backend"].close()


def test_atom_feed_is_newest_first_and_well_formed(client) -> None:
    response = client.get("/feed.atom", query_string={"q": "trade"})
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    expected = api(client, q="trade", sort="newest")
    assert len(entries) == min(expected["total"], 50)
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[:20] == [hit["title"] for hit in expected["hits"]]
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_opensearch_description_is_linked_and_valid(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'rel="search" type="application/opensearchdescription+xml"' in html
    description = ElementTree.fromstring(client.get("/opensearch.xml").data)
    template = description.find(f"{OPENSEARCH}Url").get("template")
    assert template.endswith("/search?q={searchTerms}")


def test_did_you_mean_offers_a_close_spelling_that_finds_articles(client) -> None:
    title = api(client, sort="oldest")["hits"][0]["title"]
    word = max(re.findall(r"[a-z]{7,}", title), key=len)
    typo = word[:2] + word[3] + word[2] + word[4:]  # two letters swapped
    assert api(client, q=typo)["total"] == 0
    html = client.get("/search", query_string={"q": typo}).get_data(as_text=True)
    link = re.search(r'Did you mean <a href="([^"]*)">([^<]*)</a>', html)
    assert link, html[:3000]
    assert api(client, q=link.group(2))["total"] > 0


def test_a_syntax_error_keeps_the_search_page_with_the_message_and_tips(client) -> None:
    response = client.get("/search", query_string={"q": "oil AND (prices"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error" role="alert"' in html and "bracket" in html
    assert 'id="q"' in html and "Search tips" in html and 'value="oil AND (prices"' in html


def test_pagination_reaches_the_last_page(client) -> None:
    total = api(client)["total"]
    html = client.get("/search?sort=oldest").get_data(as_text=True)
    last = -(-total // 20)
    assert f">{last}</a>" in html
    data = api(client, sort="oldest", page=last)
    assert len(data["hits"]) == total - 20 * (last - 1)
