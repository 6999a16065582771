"""The article page: paragraphs with highlighted mentions, and why each entity is there."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from flask import url_for
from werkzeug.datastructures import MultiDict

from search.dates import format_date
from search.language import DEFAULT_LANGUAGE, language_name
from search.models import Article, Mention
from search.render import public_location
from search.web.arguments import endpoint_url, entity_url, link, query_string
from search.web.context import FACET_LABELS

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def article_context(article: Article, args: MultiDict) -> dict[str, Any]:
    """The article page: paragraphs split into plain text and highlighted mentions."""
    subheadings = set(article.extra.get("subheadings") or [])
    body_mentions = [m for m in article.entities.mentions if m.field == "body"]
    return {
        "article": article,
        "date": format_date(article.date),
        "paragraphs": paragraphs(article.body, body_mentions, subheadings),
        "entities": entity_table(article.entities.mentions, article),
        "json_url": url_for("web.article_api", article_id=article.id),
        "back_url": endpoint_url("web.search_page") + query_string(args),
        "from_search": bool(args),
        "located": public_location(article.locator),
        # Reuters datelines end with the dash that led into the text: "LONDON, March 3 -".
        "dateline": (article.dateline or "").rstrip(" -–—"),
        "language": language_name(article.language) if article.language else None,
        # Extraction reads English only: say so rather than show empty lists as a finding.
        "not_extracted": (
            language_name(article.language)
            if article.language not in (None, DEFAULT_LANGUAGE)
            else None
        ),
    }


def paragraphs(body: str, mentions: list[Mention], subheadings: set[str]) -> list[dict[str, Any]]:
    """The body as paragraphs of segments: plain strings or mentions with a facet link."""
    result = []
    start = 0
    for match in [*PARAGRAPH_BREAK.finditer(body), None]:
        end = match.start() if match else len(body)
        text = body[start:end]
        if text.strip():
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            result.append(
                {
                    "heading": text.strip() in subheadings,
                    "segments": segments(body, start, end, inside),
                }
            )
        start = match.end() if match else len(body)
    return result


def segments(body: str, start: int, end: int, mentions: list[Mention]) -> list[dict[str, Any]]:
    """Split body[start:end] at the mentions inside it."""
    parts: list[dict[str, Any]] = []
    position = start
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start < position:
            continue  # overlapping mentions: the first one wins
        parts.append({"text": body[position : mention.start]})
        parts.append(
            {
                "text": body[mention.start : mention.end],
                "kind": mention.kind,
                "canonical": mention.canonical,
                "url": entity_url(mention.kind, mention.canonical),
            }
        )
        position = mention.end
    parts.append({"text": body[position:end]})
    return [p for p in parts if p["text"]]


def entity_table(mentions: list[Mention], article: Article) -> list[dict[str, Any]]:
    """Each entity value with the surface forms that produced it: why it is in the facets.

    Mentions that are no facet value are listed apart ("also mentioned"): countries
    named only in passing, surnames several people share, suppressed values."""
    surfaces: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for mention in mentions:
        surfaces[(mention.kind, mention.canonical)][mention.surface] += 1
    table = []
    for kind, label in FACET_LABELS.items():
        values = article.entities.values(kind)  # type: ignore[arg-type]
        rows = [
            {
                "value": value,
                "url": entity_url(kind, value),
                "filter_url": link(MultiDict(), add=((kind, value),)),
                "surfaces": dict(surfaces[(kind, value)]),
            }
            for value in values
        ]
        passing = sorted({m.canonical for m in mentions if m.kind == kind} - set(values))
        also = [
            {
                "value": value,
                "url": entity_url(kind, value),
                "surfaces": dict(surfaces[(kind, value)]),
            }
            for value in passing
        ]
        table.append({"kind": kind, "label": label, "rows": rows, "also": also})
    return table
