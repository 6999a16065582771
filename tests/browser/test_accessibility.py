"""axe-core finds nothing wrong on every kind of page, at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests.browser.accessibility import axe_violations
from tests.conftest import STORY_WORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = {
    "search": "/search?q=trade",
    "filtered": "/search?country=Kenya&country=Nigeria&country_op=or&since=2020",
    "empty": "/search?q=zzzznothing",
    "facet": "/facet/org",
    "entity": "/country/Kenya",
    "error": "/search?since=notadate",
    "not found": "/article/no-such-article",
}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(chromium, base_url, name: str, viewport) -> None:
    context = chromium.new_context(viewport=viewport or {"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(base_url + PAGES[name])
    try:
        assert axe_violations(tab) == []
    finally:
        context.close()


def test_axe_finds_no_violations_on_an_article(page, base_url) -> None:
    page.goto(base_url + f"/search?q={STORY_WORD}")
    page.locator(".hit h2 a").first.click()
    page.wait_for_selector("article h1")
    assert axe_violations(page) == []
