"""What the command line shows on a terminal: index progress, its summary, result tables."""

from __future__ import annotations

import html
import json
import re
import time
from typing import Any

import click

from search.models import IndexReport, SearchPage, without_surrogates

EMPTY_ARCHIVE = "The archive is empty: add articles with `newsarchive index PATH`."
# What a terminal acts on instead of showing: C0 and C1 controls (ESC sequences, CSI, a
# newline that forges a line) and the bidirectional overrides that reorder what is shown.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In JSON, C0 controls are escaped already; the rest are escaped the same way.
JSON_CONTROL = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """Text safe to print: controls escaped (`\\n`, `\\x1b`), undecodable bytes as U+FFFD."""
    return CONTROL.sub(escape_control, without_surrogates(str(text)))


def escape_control(match: re.Match[str]) -> str:
    """A control character as Python writes it in a string literal."""
    character = match.group()
    code = ord(character)
    return NAMED_ESCAPES.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def json_text(data: Any) -> str:
    """JSON for a terminal or a pipe: valid UTF-8, no control character left unescaped."""
    text = without_surrogates(json.dumps(data, ensure_ascii=False, indent=2))
    return JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class ProgressBar:
    """A progress bar with rate and time left on stderr, redrawn at most five times a second."""

    def __init__(self) -> None:
        self.stage = ""
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, report: IndexReport) -> None:
        now = time.monotonic()
        if report.stage != self.stage:
            self.stage, self.started = report.stage, now  # each stage has its own rate
        if now - self.last < 0.2 or not report.todo:
            return
        self.last = now
        total, done = report.todo, min(report.done, report.todo)
        rate = done / max(now - self.started, 1e-6)
        left = (total - done) / rate if rate else 0
        filled = int(30 * done / total)
        click.echo(
            f"\r{report.stage:<10} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}"
            f" articles · {rate:,.0f}/s · {int(left) // 60}m{int(left) % 60:02d}s left ",
            nl=False,
            err=True,
        )

    def clear(self) -> None:
        """Remove the bar from the terminal."""
        click.echo("\r\033[K", nl=False, err=True)


def summary_line(report: IndexReport, rebuild: bool) -> str:
    """The one line that ends an index run: counts and time."""
    verb = "Rebuilt the index" if rebuild else "Indexed"
    # Every record read is accounted for: it is in the index now, or listed above as failed.
    in_index = report.added + report.updated + report.unchanged
    # Articles an edited file no longer holds are gone from the index, not records seen.
    removed = f", {report.removed:,} removed" if report.removed else ""
    # Older captures of a crawled page are read, but one article stands for them all.
    if report.merged:
        removed += f", {report.merged:,} older captures of the same pages merged"
    return (
        f"{verb}: {report.seen:,} records seen = {in_index:,} indexed + {report.failed:,} failed,"
        f" in {report.seconds:.1f} s: {report.added:,} added, {report.updated:,} updated,"
        f" {report.unchanged:,} unchanged, {report.failed:,} failed{removed}"
        f" ({len(report.warnings):,} notes; entities of {report.cached:,} from the cache)."
    )


def print_page(page: SearchPage) -> None:
    """A readable table of hits and the top facet values."""
    first = (page.request.page - 1) * page.request.per_page
    click.echo(f"{page.total:,} articles; page {page.request.page} of {page.page_count}")
    for number, hit in enumerate(page.hits, start=first + 1):
        countries = printable(", ".join(hit.countries[:3]))
        click.echo(
            f"{number:>4}  {hit.date or 'undated':<10}  "
            + click.style(printable(hit.title[:70]), bold=True)
            + (f"  [{countries}]" if countries else "")
            + f"  id={printable(hit.id)}"
        )
        click.echo(f"      {terminal_snippet(hit.snippet)}")
    for name in ("actor", "country", "org", "source", "language"):
        top = printable(", ".join(f"{v.value} ({v.count})" for v in page.facets[name][:6]))
        click.echo(f"{name:>8}: {top or '-'}")
    if page.archive_total == 0:
        click.echo(EMPTY_ARCHIVE, err=True)
    if page.partial:
        click.echo(partial_note(page), err=True)


def partial_note(page: SearchPage) -> str:
    """One line saying which shards did not answer, so counts are not taken as whole."""
    return shards_note(page.missing_shards)


def shards_note(missing_shards: list[str]) -> str:
    """The note of partial_note for any answer that names its missing shards."""
    shards = printable(", ".join(missing_shards))
    return (
        f"note: partial answer: shard{'s' if len(missing_shards) > 1 else ''} {shards} "
        "did not answer; the total and counts leave out their articles"
    )


def terminal_snippet(snippet: str) -> str:
    """The HTML snippet for a terminal: <mark> as bold, entities unescaped, one line."""
    # Unescaped and made printable piece by piece, before the bold's own escape sequences.
    pieces = re.split(r"<mark[^>]*>(.*?)</mark>", snippet)
    shown = [
        click.style(text, bold=True) if marked else text
        for marked, text in ((i % 2, snippet_text(piece)) for i, piece in enumerate(pieces))
    ]
    return "".join(shown).strip()[:200]


def snippet_text(piece: str) -> str:
    """A piece of an HTML snippet as one printable line."""
    return printable(re.sub(r"\s+", " ", html.unescape(piece)))
