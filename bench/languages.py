"""Language detection: articles per second, and which articles it calls not English.

    python -m bench.languages ../shared/data/reuters21578/reut2-00[0-5].sgm   # Reuters dev
    python -m bench.languages ../shared/data/wikinews samples

Reads the files as `newsarchive index` does, detects each article's language as the
indexer does (search.language.detect_language), and prints the rate, the languages
found, and every article called something other than English, to inspect by eye.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from search.ingest import read_paths
from search.language import detect_language, identifier
from search.models import RawArticle


def main() -> None:
    """Time detection over the given files and list the articles not called English."""
    parser = argparse.ArgumentParser(description="Language detection speed and labels.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--show", type=int, default=50, help="non-English articles to list")
    options = parser.parse_args()
    articles = [r for r in read_paths(options.paths) if isinstance(r, RawArticle)]
    identifier()  # the model loads once per process; not part of the rate
    started = time.perf_counter()
    languages = [detect_language(a.title, a.body) for a in articles]
    seconds = time.perf_counter() - started
    counts = Counter(languages)
    others = [(a, code) for a, code in zip(articles, languages, strict=True) if code != "en"]
    print(f"{len(articles):,} articles in {seconds:.2f} s: {len(articles) / seconds:,.0f}/s")
    print("languages:", ", ".join(f"{code} {count:,}" for code, count in counts.most_common()))
    share = len(others) / max(1, len(articles))
    print(f"not English: {len(others):,} ({share:.2%})")
    for article, code in others[: options.show]:
        print(f"- {code} {article.locator}: {(article.title + ' | ' + article.body)[:90]!r}")


if __name__ == "__main__":
    main()
