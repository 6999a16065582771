"""Template contexts: every URL a template needs is computed here, never in the template."""

from __future__ import annotations

import re
from calendar import month_abbr
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from search.dates import format_date
from search.models import Article, FacetValue, Mention, SearchPage

FACET_LABELS = {"actor": "People", "country": "Countries", "org": "Organisations"}
KIND_LABELS = {"actor": "Person", "country": "Country", "org": "Organisation"}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "oldest": "Oldest"}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def link(args: MultiDict, *, add: tuple = (), remove: tuple = (), drop: tuple = ()) -> str:
    """The search URL with some (key, value) pairs added or removed; always back to page 1."""
    pairs = [
        (k, v)
        for k, v in args.items(multi=True)
        if (k, v) not in remove and k not in drop and k != "page"
    ]
    pairs += [pair for pair in add if pair not in pairs]
    query = urlencode([(k, v) for k, v in pairs if v != ""])
    return url_for("web.search_page") + (f"?{query}" if query else "")


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
        "clear_url": url_for("web.search_page"),
        "json_url": url_for("web.search_api") + _query_string(args),
        "page": page,
        "error": None,
    }
    if page is None:
        return context
    context.update(
        hits=[hit_context(hit) for hit in page.hits],
        facets=[facet_context(name, page.facets[name], args) for name in FACET_LABELS],
        years=date_context(page.facets["date"], args),
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


def hit_context(hit: Any) -> dict[str, Any]:
    """One result with its safe snippet and links for its entity chips."""
    chips = [
        {"kind": kind, "value": value, "url": link(MultiDict(), add=((kind, value),))}
        for kind, values in (("actor", hit.actors), ("country", hit.countries), ("org", hit.orgs))
        for value in values[:6]
    ]
    # The snippet is escaped by the highlighter; only its <mark> tags are markup.
    return {
        **vars(hit),
        "snippet": Markup(hit.snippet),
        "article_url": url_for("web.article_page", article_id=hit.id),
        "chips": chips,
    }


def facet_context(name: str, values: list[FacetValue], args: MultiDict) -> dict[str, Any]:
    """One entity facet: values with counts, each with its include and exclude links."""
    selected = set(args.getlist(name))
    excluded = set(args.getlist(f"not_{name}"))
    rows = []
    for value in values:
        is_selected = value.value in selected
        pair = (name, value.value)
        rows.append(
            {
                "value": value.value,
                "count": value.count,
                "selected": is_selected,
                "toggle_url": link(args, remove=(pair,))
                if is_selected
                else link(args, add=(pair,)),
                "exclude_url": link(args, add=((f"not_{name}", value.value),)),
            }
        )
    return {"name": name, "label": FACET_LABELS[name], "values": rows, "excluded": sorted(excluded)}


def date_context(values: list[FacetValue], args: MultiDict) -> list[dict[str, Any]]:
    """Years with their months; each links to a since/until range for that period."""
    months: dict[str, list[FacetValue]] = defaultdict(list)
    for value in values:
        months[value.value[:4] if value.value != "undated" else "undated"].append(value)
    years = []
    for year, entries in months.items():
        years.append(
            {
                "label": "Undated" if year == "undated" else year,
                "count": sum(e.count for e in entries),
                "url": None if year == "undated" else _period_link(args, year),
                "selected": args.get("since") == year and args.get("until") == year,
                "months": [] if year == "undated" else [_month(args, e) for e in entries],
            }
        )
    return years


def _month(args: MultiDict, value: FacetValue) -> dict[str, Any]:
    if len(value.value) == 4:
        return {"label": "month unknown", "count": value.count, "url": None, "selected": False}
    label = month_abbr[int(value.value[5:7])]
    selected = args.get("since") == value.value and args.get("until") == value.value
    return {
        "label": label,
        "count": value.count,
        "url": _period_link(args, value.value),
        "selected": selected,
    }


def _period_link(args: MultiDict, period: str) -> str:
    return link(args, add=(("since", period), ("until", period)), drop=("since", "until"))


def active_filters(args: MultiDict) -> list[dict[str, str]]:
    """A removable chip for every active filter."""
    chips = []
    for kind, label in KIND_LABELS.items():
        for value in args.getlist(kind):
            chips.append({"label": f"{label}: {value}", "url": link(args, remove=((kind, value),))})
        for value in args.getlist(f"not_{kind}"):
            pair = (f"not_{kind}", value)
            chips.append(
                {"label": f"Not {label.lower()}: {value}", "url": link(args, remove=(pair,))}
            )
    for key, label in (("since", "Since"), ("until", "Until")):
        if args.get(key):
            chips.append({"label": f"{label} {args[key]}", "url": link(args, drop=(key,))})
    return chips


def pagination(page: SearchPage, args: MultiDict) -> dict[str, Any]:
    """Previous/next links and a window of page numbers around the current one."""
    current, last = page.request.page, page.page_count

    def to(number: int) -> str:
        base = link(args)
        return base + ("&" if "?" in base else "?") + f"page={number}"

    window = range(max(1, current - 3), min(last, current + 3) + 1)
    return {
        "prev_url": to(current - 1) if current > 1 else None,
        "next_url": to(current + 1) if current < last else None,
        "links": [{"number": n, "url": to(n), "current": n == current} for n in window],
    }


def _query_string(args: MultiDict) -> str:
    query = urlencode(list(args.items(multi=True)))
    return f"?{query}" if query else ""


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
                "url": link(MultiDict(), add=((mention.kind, mention.canonical),)),
            }
        )
        position = mention.end
    parts.append({"text": body[position:end]})
    return [p for p in parts if p["text"]]


def entity_table(mentions: list[Mention], article: Article) -> list[dict[str, Any]]:
    """Each entity value with the surface forms that produced it: why it is in the facets."""
    surfaces: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for mention in mentions:
        surfaces[(mention.kind, mention.canonical)][mention.surface] += 1
    table = []
    for kind, label in FACET_LABELS.items():
        values = article.entities.values(kind)  # type: ignore[arg-type]
        rows = [
            {
                "value": value,
                "url": link(MultiDict(), add=((kind, value),)),
                "surfaces": dict(surfaces[(kind, value)]),
            }
            for value in values
        ]
        table.append({"kind": kind, "label": label, "rows": rows})
    return table
