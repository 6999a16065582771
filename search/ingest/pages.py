"""Saved article pages: the main text and the page's metadata, by trafilatura and htmldate.

Nothing here reaches the network: pages are parsed from bytes into trees before either
library sees them (both fetch a URL when handed a string that looks like one).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trafilatura
from trafilatura.utils import load_html

from search.errors import InputError
from search.ingest.fields import WEB_URL
from search.ingest.markup import decode_markup
from search.models import Locator, RawArticle, RecordError

# The publication date, not the last update; archives reach back before htmldate's 1995 default.
DATE_OPTIONS = {"original_date": True, "outputformat": "%Y-%m-%d", "min_date": "1900-01-01"}
# Text shorter than this after the fast pass is looked for again with the fallbacks.
FALLBACK_BELOW_CHARS = 300
# A paragraph this short whose text is mostly link text is a pointer elsewhere, not prose.
LINK_PARAGRAPH_MAX_CHARS = 200
LINK_SHARE = 0.6
NO_MAIN_TEXT = "no article text found on the page (navigation or furniture only): not indexed"

# trafilatura logs every page it finds too short at WARNING; the run's report names each one.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def read_html(path: Path, data: bytes) -> Iterator[RawArticle | RecordError]:
    """One saved page as one article; a page with no article text in it is reported."""
    locator = Locator(path=str(path))
    try:
        html = decode_markup(data)
    except InputError as error:
        yield RecordError(locator, error.message)
        return
    yield page_to_article(html, locator)


def page_to_article(
    html: str, locator: Locator, *, url: str | None = None, fallback_date: str = ""
) -> RawArticle | RecordError:
    """An article from a page's HTML: main text, title, author, site, date and canonical URL.

    A crawl passes the URL it fetched (kept as the article's URL and id) and its capture
    date, used only when the page itself carries no date.
    """
    # Dates written only in the text ("Posted 7 February 2023") are looked for when there
    # is no capture date to fall back on: a date the text mentions may be another event's.
    document = extract_document(html, url, search_text_for_date=not fallback_date)
    if document is None:
        return RecordError(locator, NO_MAIN_TEXT)
    title = " ".join((document.title or "").split())
    body = drop_repeated_title(document.text or "", title)
    if not body.strip():
        return RecordError(locator, NO_MAIN_TEXT)
    canonical = document.url if document.url and WEB_URL.fullmatch(document.url) else None
    extra: dict[str, Any] = {}
    if url and canonical and canonical != url:
        extra["canonical_url"] = canonical
    if document.description:
        extra["description"] = document.description
    return RawArticle(
        locator=locator,
        title=title,
        body=body,
        date_text=document.date or fallback_date,
        url=url or canonical,
        source_id=url,
        source=document.sitename or document.hostname or None,
        author=document.author or None,
        extra=extra,
    )


def extract_document(html: str, url: str | None, *, search_text_for_date: bool) -> Any:
    """trafilatura's document for a page (text and metadata), or None when it finds no text.

    The fast pass does for most article pages; one with little or no text found is read
    again with the fallback extractors (jusText, readability), at about half the speed.
    """
    dates = {**DATE_OPTIONS, "url": url, "extensive_search": search_text_for_date}
    document = extract_once(html, url, dates, fast=True)
    if document is None or len(document.text or "") < FALLBACK_BELOW_CHARS:
        return extract_once(html, url, dates, fast=False) or document
    return document


def extract_once(html: str, url: str | None, dates: dict[str, Any], *, fast: bool) -> Any:
    """One trafilatura pass over a freshly parsed tree (a pass changes the tree it reads)."""
    try:
        tree = load_html(html)
        if tree is None:
            return None
        drop_link_paragraphs(tree)
        return trafilatura.bare_extraction(
            tree,
            url=url,
            fast=fast,
            with_metadata=True,
            favor_precision=True,  # furniture kept out matters more than a stray line lost
            include_comments=False,
            include_tables=True,
            date_extraction_params=dates,
        )
    except Exception:  # a library failing on one odd page must not end the run
        return None


def drop_link_paragraphs(tree: Any) -> None:
    """Remove short paragraphs that are mostly a link: "Read more: ...", "See also ...".

    trafilatura keeps them when they sit inside the article element, as sites put them.
    """
    for paragraph in list(tree.iter("p")):
        text = " ".join(paragraph.text_content().split())
        if not text or len(text) > LINK_PARAGRAPH_MAX_CHARS:
            continue
        linked = sum(len(" ".join(link.text_content().split())) for link in paragraph.iter("a"))
        if linked >= LINK_SHARE * len(text):
            paragraph.drop_tree()


def drop_repeated_title(text: str, title: str) -> str:
    """Paragraphs (trafilatura gives one a line) without a first one repeating the headline."""
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)
