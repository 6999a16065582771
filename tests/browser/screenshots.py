"""Write docs/screenshots/*.png of the search, article and actor pages on the samples index.

Run `python -m tests.browser.screenshots` from the checkout; it indexes samples/ and the
seed article into a temporary directory, serves them and saves PNGs at 1280 px, and the
search page at 390 px too (a phone: the filters are one line above the results).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser.server import browser, serve
from tests.indexing import index_into

PROJECT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT / "docs" / "screenshots"
SEED = PROJECT.parent / "shared" / "data" / "seed" / "000_f011afa450b4fe03.txt"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SEARCH = "/search?q=trade&country=Nigeria"
SHOTS = {  # name: (path, viewport)
    "search.png": (SEARCH, DESKTOP),
    "search-390.png": (SEARCH, PHONE),
    "article.png": (None, DESKTOP),  # the first hit of a search for Peskov
    "actor.png": ("/actor/Dmitry%20Peskov", DESKTOP),
}


def main() -> int:
    """Index, serve, and photograph each page."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        index_dir = Path(temporary) / "index"
        index_into([PROJECT / "samples", *([SEED] if SEED.exists() else [])], index_dir)
        with serve(index_dir) as base_url, browser() as chromium:
            for name, (path, viewport) in SHOTS.items():
                tab = chromium.new_page(viewport=viewport)  # type: ignore[attr-defined]
                if path is None:
                    tab.goto(base_url + "/search?q=Peskov")
                    tab.locator(".hit h2 a").first.click()
                else:
                    tab.goto(base_url + path)
                tab.screenshot(path=str(OUTPUT / name), full_page=False)
                tab.close()
                print(OUTPUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
