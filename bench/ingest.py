"""Time and check the page readers: saved HTML pages and a WARC crawl of them.

Run with `python -m bench.ingest [--pages N] [--seed S] [--repeat-every K] [--json]`.

Generates N article pages (bench/pagegen.py: several site layouts, each page wrapped in
navigation, a cookie banner, related links, comments, a newsletter box and a footer),
writes them as .html files and as one gzipped WARC in which every K-th page is captured
twice (an older capture first), then reads both with the project's readers exactly as
`newsarchive index` does (one process, file by file) and prints:

- pages per second of reading and extraction, for the HTML files and for the WARC
  (wall clock and CPU time; the load average beside them, as the machine is shared);
- checks on what was extracted: pages whose body holds every article paragraph, pages
  whose body holds any furniture, pages whose date is the publication date (not the
  later update), titles found, and the captures merged.

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pagegen import FURNITURE, GeneratedPage, generate_pages
from bench.webarchive import Capture, write_warc
from search.ingest import read_paths
from search.models import RawArticle, RecordError


def cpu_seconds() -> float:
    """CPU time used by this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def write_inputs(pages: list[GeneratedPage], folder: Path, repeat_every: int) -> tuple[Path, Path]:
    """The pages as .html files in one folder, and as a WARC with repeated captures."""
    html = folder / "html"
    html.mkdir()
    for number, page in enumerate(pages):
        (html / f"page-{number:05d}.html").write_text(page.html, encoding="utf-8")
    captures = []
    for number, page in enumerate(pages):
        if repeat_every and number % repeat_every == 0:
            older = page.html.replace(page.paragraphs[-1], "An earlier version of this story.")
            captures.append(Capture(page.url, "2024-01-01T00:00:00Z", older.encode()))
        captures.append(Capture(page.url, "2024-02-01T00:00:00Z", page.html.encode()))
    warc = write_warc(folder / "crawl.warc.gz", captures, compress=True)
    return html, warc


def read_timed(path: Path) -> tuple[list[RawArticle], list[RecordError], float, float]:
    """Every record of a path, and the wall and CPU seconds reading them took."""
    started, cpu_before = time.perf_counter(), cpu_seconds()
    records = list(read_paths([path]))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    articles = [r for r in records if isinstance(r, RawArticle)]
    return articles, [r for r in records if isinstance(r, RecordError)], seconds, cpu


def check(pages: list[GeneratedPage], articles: list[RawArticle], by_url: bool) -> dict[str, Any]:
    """How many extracted articles hold their whole text, no furniture, the right date."""
    expected = {page.url if by_url else page.title: page for page in pages}
    complete = leaking = dated = titled = 0
    for article in articles:
        page = expected.get(article.url if by_url else article.title)
        if page is None:
            continue
        titled += 1
        complete += all(paragraph in article.body for paragraph in page.paragraphs)
        body = article.body.lower()
        leaking += any(marker in body for marker in FURNITURE)
        dated += article.date_text[:10] == page.published.isoformat()
    return {
        "complete": complete,
        "with_furniture": leaking,
        "right_date": dated,
        "titles_found": titled,
    }


def measure(path: Path, pages: list[GeneratedPage], by_url: bool) -> dict[str, Any]:
    """Read one input, time it, and check what it gave."""
    articles, errors, seconds, cpu = read_timed(path)
    return {
        "articles": len(articles),
        "errors": len(errors),
        "seconds": round(seconds, 2),
        "pages_per_s": round(len(articles) / seconds, 1),
        "pages_per_cpu_s": round(len(articles) / cpu, 1),
        "merged": sum(article.merged for article in articles),
        **check(pages, articles, by_url),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages to generate")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--repeat-every",
        type=int,
        default=10,
        help="capture every K-th page twice in the WARC (0: never)",
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    pages = generate_pages(args.pages, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as scratch:
        html, warc = write_inputs(pages, Path(scratch), args.repeat_every)
        figures = {"pages": len(pages), "seed": args.seed, "load": round(os.getloadavg()[0], 1)}
        figures["html"] = measure(html, pages, by_url=False)
        figures["warc"] = measure(warc, pages, by_url=True)
    if not args.json:
        for name in ("html", "warc"):
            found = figures[name]
            print(
                f"{name:<5} {found['articles']} articles, {found['errors']} errors in "
                f"{found['seconds']} s: {found['pages_per_s']} pages/s "
                f"({found['pages_per_cpu_s']} per CPU-second); whole text "
                f"{found['complete']}, with furniture {found['with_furniture']}, publication "
                f"date {found['right_date']}, merged {found['merged']}"
            )
        print(f"load average {figures['load']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
