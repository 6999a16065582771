"""Write docs/screenshots/*.png of the search, article and actor pages on the samples index.

Run `python -m tests.browser.screenshots` from the checkout; it indexes samples/ and the
seed article into a temporary directory, serves them and saves desktop-width PNGs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from search.indexer import index_paths
from tests.browser.server import browser, serve

PROJECT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT / "docs" / "screenshots"
SEED = PROJECT.parent / "shared" / "data" / "seed" / "000_f011afa450b4fe03.txt"
DESKTOP = {"width": 1280, "height": 900}
SHOTS = {
    "search.png": "/search?q=trade&country=Nigeria",
    "article.png": None,  # the first hit of a search for Peskov
    "actor.png": "/actor/Dmitry%20Peskov",
}


def main() -> int:
    """Index, serve, and photograph each page."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        index_dir = Path(temporary) / "index"
        index_paths([PROJECT / "samples", *([SEED] if SEED.exists() else [])], index_dir)
        with serve(index_dir) as base_url, browser() as chromium:
            tab = chromium.new_page(viewport=DESKTOP)  # type: ignore[attr-defined]
            for name, path in SHOTS.items():
                if path is None:
                    tab.goto(base_url + "/search?q=Peskov")
                    tab.locator(".hit h2 a").first.click()
                else:
                    tab.goto(base_url + path)
                tab.screenshot(path=str(OUTPUT / name), full_page=False)
                print(OUTPUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
