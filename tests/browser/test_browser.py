"""What a journalist sees and does in a real browser: search, facets, histogram, pages, CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.conftest import STORY_WORD

pytestmark = pytest.mark.browser


def total(page) -> int:
    """The result count the page shows."""
    return int(page.locator(".summary .total strong").inner_text().replace(",", ""))


def test_search_then_include_and_exclude_a_facet_value(page, base_url) -> None:
    page.goto(base_url + "/")
    everything = total(page)
    page.get_by_label("Search the archive").fill("trade")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=trade"))
    found = total(page)
    assert 0 < found < everything
    assert page.locator(".hit mark").count() > 0
    value = page.locator("#facet-country ~ ul .value").first
    name = value.inner_text().strip()
    count = int(value.locator("xpath=following-sibling::span[1]").inner_text().replace(",", ""))
    value.click()
    page.wait_for_url(re.compile(r"country="))
    assert total(page) == count
    assert page.locator(".chip.removable", has_text=f"Country: {name}").is_visible()
    page.locator(".chip.removable", has_text=f"Country: {name}").click()
    assert total(page) == found
    page.get_by_label(f"Exclude {name}").first.click()
    page.wait_for_url(re.compile(r"not_country="))
    assert total(page) == found - count
    assert page.locator(".chip.removable", has_text=f"Not country: {name}").is_visible()
    page.get_by_role("link", name="Clear all").click()
    assert total(page) == everything


def test_histogram_drills_down_to_a_month(page, base_url) -> None:
    page.goto(base_url + "/")
    bars = page.locator(".histogram a.bar-link")
    assert bars.count() > 1
    year_bar = bars.last
    label = year_bar.get_attribute("aria-label")
    year, count = re.match(r"(\d{4}): (\d+)", label).groups()
    year_bar.click()
    page.wait_for_url(re.compile(rf"since={year}&until={year}"))
    assert total(page) == int(count)
    assert page.get_by_text("Per month").is_visible()
    month_bar = page.locator(".histogram a.bar-link").first
    month_count = int(re.search(r": (\d+) article", month_bar.get_attribute("aria-label"))[1])
    month_bar.click()
    page.wait_for_url(re.compile(rf"since={year}-\d\d"))
    assert total(page) == month_count
    assert page.get_by_text("Per day").is_visible()


def test_open_an_article_and_an_actor_page(page, base_url) -> None:
    page.goto(base_url + f"/search?q={STORY_WORD}")
    page.locator(".hit h2 a").first.click()
    assert page.locator("article h1").is_visible()
    mention = page.locator("a.mention.actor", has_text="Kiprono").first
    assert mention.is_visible()
    mention.click()
    page.wait_for_url(re.compile(r"/actor/"))
    assert page.locator("h1").inner_text() == "Samuel Kiprono"
    found = page.request.get(base_url + "/api/search?actor=Samuel+Kiprono").json()["total"]
    assert page.locator(".figures dd").first.inner_text() == str(found)
    assert page.locator("svg.chart").is_visible()
    assert page.get_by_role("heading", name="Seen with").is_visible()


def test_download_the_search_as_csv(page, base_url) -> None:
    page.goto(base_url + "/search?q=trade")
    found = total(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = download_info.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == found
    shown = page.locator(".hit h2 a").first.inner_text()
    assert rows[0]["title"] == shown


def test_facet_more_page_filters_as_you_type_and_without_script(page, base_url) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="More countries…").click()
    items = page.locator("#facet-list li")
    before = items.count()
    page.get_by_label("Find a country", exact=True).fill("zzzz-none")
    assert page.locator("#facet-list li:visible").count() == 0
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"contains=zzzz-none"))
    assert before > 1 and page.locator("#facet-list .value").count() == 0


def test_keyboard_reaches_facets_and_results_with_visible_focus(page, base_url) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("j")
    focused = page.evaluate("document.activeElement.closest('.hit') !== null")
    assert focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_narrow_screen_has_no_horizontal_scroll(chromium, base_url) -> None:
    context = chromium.new_context(viewport={"width": 320, "height": 700})
    tab = context.new_page()
    for path in ("/", "/search?q=trade", "/country/Kenya", "/facet/actor"):
        tab.goto(base_url + path)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
    context.close()


def test_no_script_still_searches_and_filters(chromium, base_url) -> None:
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "/")
    tab.locator("#facet-actor ~ ul .value").first.click()
    assert tab.locator(".chip.removable").count() == 1
    context.close()
