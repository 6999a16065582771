"""Issue 18 in a real browser: state kept, phones first-class, shortcuts that can be off."""

from __future__ import annotations

import re

import pytest

from tests.browser.server import serve

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def total(page) -> int:
    """The result count the page shows."""
    return int(page.locator(".summary .total strong").inner_text().replace(",", ""))


def test_back_from_an_article_returns_to_the_same_search(page, base_url) -> None:
    page.goto(base_url + "/search?sort=oldest")
    page.get_by_role("link", name="Next →").click()
    page.locator("#facet-country ~ ul .value").first.click()
    page.wait_for_url(re.compile(r"country="))
    if page.get_by_role("link", name="Next →").count():
        page.get_by_role("link", name="Next →").click()
        page.wait_for_url(re.compile(r"page=2"))
    search_url = page.url
    page.locator(".hit h2 a").last.click()
    page.wait_for_selector("article h1")
    page.get_by_role("link", name="← Back to the results").click()
    page.wait_for_url(search_url)
    assert page.url == search_url


def test_phone_shows_the_filters_first_and_tabs_in_screen_order(chromium, base_url) -> None:
    context = chromium.new_context(viewport=PHONE)
    tab = context.new_page()
    tab.goto(base_url + "/search?q=trade")
    toggle = tab.locator("#filters > summary")
    first_hit = tab.locator(".hit").first
    assert toggle.is_visible()
    assert toggle.bounding_box()["y"] < first_hit.bounding_box()["y"] < PHONE["height"]
    assert not tab.locator("#facet-country").is_visible()
    tops = []
    for _ in range(12):  # every Tab stop lies at or below the one before it
        tab.keyboard.press("Tab")
        box = tab.evaluate("document.activeElement.getBoundingClientRect().top + scrollY")
        tops.append(box)
        if tab.evaluate("document.activeElement.closest('.hit') !== null"):
            break
    assert tops == sorted(tops), tops
    toggle.click()
    assert tab.locator("#facet-country").is_visible()
    tab.locator("#facet-country ~ ul .value").first.click()
    tab.wait_for_url(re.compile(r"country="))
    assert tab.locator(".chip.removable").count() == 1
    context.close()


def test_desktop_shows_the_filters_without_a_toggle(page, base_url) -> None:
    page.goto(base_url + "/search?q=trade")
    assert page.locator("#facet-country").is_visible()
    assert not page.locator("#filters > summary").is_visible()


def test_slash_puts_the_cursor_after_the_words_and_shortcuts_can_be_off(page, base_url) -> None:
    page.goto(base_url + "/search?q=trade")
    page.locator(".hit h2 a").first.focus()
    page.keyboard.press("/")
    page.keyboard.type(" wheat")
    assert page.locator("#q").input_value() == "trade wheat"
    page.locator(".syntax summary").click()
    assert page.get_by_text("next, previous result").is_visible()
    page.get_by_label("Use these single-key shortcuts").uncheck()
    page.reload()
    page.locator(".hit h2 a").first.focus()
    page.keyboard.press("j")
    first_hit = "document.activeElement.closest('.hit') === document.querySelector('.hit')"
    assert page.evaluate(first_hit)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") != "q"


def test_more_page_live_filter_searches_every_value(chromium, samples_index) -> None:
    with serve(samples_index, {"FACET_PAGE_LIMIT": 3}) as url:
        context = chromium.new_context()
        tab = context.new_page()
        values = [v["value"] for v in tab.request.get(url + "/api/search").json()["facets"]["org"]]
        tab.goto(url + "/facet/org")
        shown = tab.locator("#facet-list .value").all_inner_texts()
        assert len(shown) == 3 and len(values) > 3
        wanted = next(v for v in values if v not in shown)
        needle = wanted[1:6].lower()
        matching = [v for v in values if needle in v.lower()]
        tab.get_by_label("Find an organisation").fill(needle)
        tab.wait_for_url(re.compile(r"contains="))
        tab.locator("#facet-list .value", has_text=wanted).wait_for()
        count_line = tab.locator("#facet-count").inner_text()
        assert count_line.startswith(f"{len(matching)} value"), count_line
        assert f"containing “{needle}”" in count_line
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_histogram_bars_are_tap_targets_with_a_visible_focus(chromium, base_url, viewport) -> None:
    context = chromium.new_context(viewport=viewport)
    tab = context.new_page()
    tab.goto(base_url + "/")
    if tab.locator("#filters > summary").is_visible():
        tab.locator("#filters > summary").click()
    bars = tab.locator(".histogram a.bar-link")
    assert bars.count() > 1
    for number in range(bars.count()):
        box = bars.nth(number).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    slot = bars.first.locator(".slot")
    before = slot.evaluate("e => getComputedStyle(e).stroke")
    bars.first.focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")  # focus by keyboard, so that :focus-visible applies
    after = slot.evaluate("e => getComputedStyle(e).stroke + ' ' + getComputedStyle(e).fill")
    assert after != before and "none" not in after
    context.close()


def test_entity_timeline_labels_sit_under_its_ends(page, base_url) -> None:
    page.goto(base_url + "/country/Kenya")
    chart = page.locator(".entity-page svg.chart").bounding_box()
    labels = page.locator(".entity-page .axis span")
    last_bar = page.locator(".entity-page .chart rect.bar").last.bounding_box()
    first_label, last_label = labels.first.bounding_box(), labels.last.bounding_box()
    assert abs(first_label["x"] - chart["x"]) < 2
    assert abs(last_label["x"] + last_label["width"] - (chart["x"] + chart["width"])) < 2
    assert last_bar["x"] + last_bar["width"] > chart["x"] + chart["width"] - 48


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    """WCAG's contrast ratio of two sRGB colours (0–255 channels)."""

    def luminance(rgb: tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb[:3]]  # fmt: skip
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_outline_stands_out_three_to_one(page, base_url) -> None:
    page.goto(base_url + "/search?q=trade")
    page.locator(".sort a").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # by keyboard, so that :focus-visible applies
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor]; }"
    )
    assert style[0] != "none"
    outline = tuple(float(n) for n in re.findall(r"[\d.]+", style[1])[:3])
    assert contrast(outline, (255, 255, 255)) >= 3, style
