"""Template contexts: every URL a template needs is computed here, never in the template."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from flask import url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from search.config import setting
from search.dates import format_date
from search.language import DEFAULT_LANGUAGE, language_name
from search.models import (
    ENTITY_KINDS,
    ONE_VALUE_KINDS,
    Article,
    FacetValue,
    Mention,
    SearchPage,
    default_operator,
)
from search.web.arguments import SearchLinks, endpoint_url, entity_url, link, query_string
from search.web.histogram import histogram_context

FACET_LABELS = {"actor": "People", "country": "Countries", "org": "Organisations"}
# The sidebar's facets: the entities, then where and in what language articles appeared.
FILTER_LABELS = {**FACET_LABELS, "source": "Sources", "language": "Languages"}
KIND_LABELS = {
    "actor": "Person",
    "country": "Country",
    "org": "Organisation",
    "source": "Source",
    "language": "Language",
}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "oldest": "Oldest"}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_HIT_CHIPS = 6
PAGE_WINDOW = 3


def search_context(page: SearchPage | None, args: MultiDict) -> dict[str, Any]:
    """Everything search.html shows; `page` is None when the request could not run."""
    context: dict[str, Any] = {
        "q": args.get("q", ""),
        "since": args.get("since", ""),
        "until": args.get("until", ""),
        "sort": args.get("sort", ""),
        "active": active_filters(args),
        # The search box keeps the active filters when the words change.
        "hidden": [(k, v) for k, v in args.items(multi=True) if k not in ("q", "page")],
        "date_hidden": [
            (k, v) for k, v in args.items(multi=True) if k not in ("since", "until", "page")
        ],
        "clear_url": endpoint_url("web.search_page"),
        "exports": export_links(args),
        "page": page,
        "error": None,
        "suggestion": None,
    }
    if page is None:
        return context
    context.update(
        hits=[hit_context(hit) for hit in page.hits],
        facets=[facet_context(name, page.facets[name], args) for name in FILTER_LABELS],
        histogram=histogram_context(page, args),
        sorts=[
            {
                "label": label,
                "url": link(args, add=(("sort", value),), drop=("sort",)),
                "selected": page.request.sort == value,
            }
            for value, label in SORT_LABELS.items()
        ],
        pages=pagination(page, args),
    )
    return context


def export_links(args: MultiDict) -> list[dict[str, Any]]:
    """The same search as JSON, CSV, JSON Lines and an Atom feed."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != "page"]
    query = query_string(pairs)
    return [
        {"label": "JSON", "url": endpoint_url("web.search_api") + query},
        {"label": "CSV", "url": export_url("csv") + query, "download": True},
        {"label": "JSON Lines", "url": export_url("jsonl") + query, "download": True},
        {"label": "Atom feed", "url": endpoint_url("web.export_atom") + query},
    ]


def export_url(export_format: str) -> str:
    """The streamed export of a search in one format, without its parameters."""
    return endpoint_url("web.export", export_format=export_format)


def suggestion_link(args: MultiDict, suggestion: str) -> dict[str, str]:
    """'Did you mean': the respelt query with the same filters."""
    return {"text": suggestion, "url": link(args, add=(("q", suggestion),), drop=("q",))}


def hit_context(hit: Any) -> dict[str, Any]:
    """One result with its safe snippet and links for its entity chips."""
    # The snippet is escaped by the highlighter; only its <mark> tags are markup.
    return {
        **vars(hit),
        "snippet": Markup(hit.snippet),
        "article_url": endpoint_url("web.article_page", article_id=hit.id),
        "chips": hit_chips(hit),
    }


def hit_chips(hit: Any) -> list[dict[str, str]]:
    """A hit's first entity values, each linking to its entity page."""
    return [
        {"kind": kind, "value": value, "url": entity_url(kind, value)}
        for kind, values in (("actor", hit.actors), ("country", hit.countries), ("org", hit.orgs))
        for value in values[:MAX_HIT_CHIPS]
    ]


def facet_context(name: str, values: list[FacetValue], args: MultiDict) -> dict[str, Any]:
    """One entity facet: values with counts and their links, the AND/OR switch, more…"""
    links = SearchLinks(args)
    return {
        "name": name,
        "label": FILTER_LABELS[name],
        "values": [facet_row(name, value, args, links) for value in values],
        "operator": operator_switch(name, args),
        "more_url": link(args, endpoint="web.facet_page", kind=name),
    }


def facet_row(
    name: str, value: FacetValue, args: MultiDict, links: SearchLinks | None = None
) -> dict[str, Any]:
    """One facet value: toggle (include), exclude and entity-page links."""
    links = links or SearchLinks(args)
    pair = (name, value.value)
    selected = value.value in args.getlist(name)
    return {
        "value": value.value,
        "label": value_label(name, value.value),
        "count": value.count,
        "count_label": f"{value.count:,}",
        "selected": selected,
        "toggle_url": links.link(remove=(pair,)) if selected else links.link(add=(pair,)),
        "exclude_url": links.link(add=((f"not_{name}", value.value),), remove=(pair,)),
        # Only people, countries and organisations have a page of their own.
        "entity_url": entity_url(name, value.value) if name in ENTITY_KINDS else None,
    }


def value_label(name: str, value: str) -> str:
    """A facet value as a reader reads it: a language's name with its code, else the value."""
    if name == "language" and language_name(value) != value:
        return f"{language_name(value)} ({value})"
    return value


def operator_switch(name: str, args: MultiDict) -> list[dict[str, Any]] | None:
    """'Match all' / 'match any' links for a facet with selected values; none for a facet
    with one value per article, where only 'any' can match."""
    if not args.getlist(name) or name in ONE_VALUE_KINDS:
        return None
    key = f"{name}_op"
    current = (args.get(key) or "and").lower()
    return [
        {
            "label": label,
            "url": link(args, add=((key, value),) if value == "or" else (), drop=(key,)),
            "selected": current == value,
        }
        for value, label in (("and", "all"), ("or", "any"))
    ]


def active_filters(args: MultiDict) -> list[dict[str, str]]:
    """A removable chip for every active filter."""
    chips = []
    for kind, label in KIND_LABELS.items():
        combination = (args.get(f"{kind}_op") or default_operator(kind)).lower()
        any_of = combination == "or" and len(args.getlist(kind)) > 1
        for value in args.getlist(kind):
            prefix = f"{label} (any of)" if any_of else label
            shown = value_label(kind, value)
            chips.append(
                {"label": f"{prefix}: {shown}", "url": link(args, remove=((kind, value),))}
            )
        for value in args.getlist(f"not_{kind}"):
            pair = (f"not_{kind}", value)
            shown = value_label(kind, value)
            chips.append(
                {"label": f"Not {label.lower()}: {shown}", "url": link(args, remove=(pair,))}
            )
    for key, label in (("since", "Since"), ("until", "Until")):
        if args.get(key):
            chips.append({"label": f"{label} {args[key]}", "url": link(args, drop=(key,))})
    return chips


def pagination(page: SearchPage, args: MultiDict) -> dict[str, Any]:
    """Previous/next, first/last links and a window of page numbers around the current one."""
    current, last = page.request.page, min(page.page_count, setting("max_page"))

    base = link(args)
    separator = "&" if "?" in base else "?"

    def to(number: int) -> str:
        return f"{base}{separator}page={number}"

    window = range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)
    return {
        "prev_url": to(current - 1) if current > 1 else None,
        "next_url": to(current + 1) if current < last else None,
        "first_url": to(1) if window.start > 1 else None,
        "last_url": to(last) if window.stop <= last else None,
        "last": last,
        "links": [{"number": n, "url": to(n), "current": n == current} for n in window],
    }


def article_context(article: Article, args: MultiDict) -> dict[str, Any]:
    """The article page: paragraphs split into plain text and highlighted mentions."""
    subheadings = set(article.extra.get("subheadings") or [])
    body_mentions = [m for m in article.entities.mentions if m.field == "body"]
    return {
        "article": article,
        "date": format_date(article.date),
        "language": language_name(article.language) if article.language else None,
        # Extraction reads English only: say so rather than show empty lists as a finding.
        "not_extracted": (
            language_name(article.language)
            if article.language not in (None, DEFAULT_LANGUAGE)
            else None
        ),
        "paragraphs": paragraphs(article.body, body_mentions, subheadings),
        "entities": entity_table(article.entities.mentions, article),
        "json_url": url_for("web.article_api", article_id=article.id),
        "back_url": url_for("web.search_page"),
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
