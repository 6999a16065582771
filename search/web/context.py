"""Template contexts: every URL a template needs is computed here, never in the template."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from search.config import setting
from search.models import ENTITY_KINDS, ONE_VALUE_KINDS, FacetValue, SearchPage
from search.web.arguments import (
    LIST_PARAMS,
    SINGLE_PARAMS,
    SearchLinks,
    endpoint_url,
    entity_url,
    link,
    query_string,
)
from search.web.histogram import histogram_context
from search.web.labels import (
    active_filters,
    date_placeholders,
    dated_range,
    page_title,
    value_label,
)

FACET_LABELS = {"actor": "People", "country": "Countries", "org": "Organisations"}
# The sidebar's facets: the entities, then where and in what language articles appeared.
FILTER_LABELS = {**FACET_LABELS, "source": "Sources", "language": "Languages"}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "oldest": "Oldest"}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_HIT_CHIPS = 6
PAGE_WINDOW = 3


def search_context(
    page: SearchPage | None,
    args: MultiDict,
    failed: str | None = None,
    any_counts: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Everything search.html shows; `page` is None when the request could not run.

    `failed` names the parameter that could not be used: a new search from the box does
    not carry it on, and the date fields keep what was typed so that it can be fixed.
    `any_counts` holds, for facets in "any" mode, counts without the facet's own filter.
    """
    kept = [(k, v) for k, v in args.items(multi=True) if k != failed]
    context: dict[str, Any] = {
        "q": echoed(args.get("q", "")),
        "since": echoed(args.get("since", "")),
        "until": echoed(args.get("until", "")),
        "sort": echoed(args.get("sort", "")),
        "title": page_title(args, page.request.page if page else 1),
        "active": active_filters(args),
        # The search box keeps the active filters when the words change.
        "hidden": echoed_pairs(kept, ("q", "page")),
        "date_hidden": echoed_pairs(kept, ("since", "until", "page")),
        "date_placeholders": date_placeholders(None, None),
        "clear_url": endpoint_url("web.search_page"),
        "exports": [],  # a search that could not run has nothing to export
        "page": page,
        "error": None,
        "suggestion": None,
    }
    if page is None:
        return context
    back = query_string(MultiDict(args))
    context.update(
        exports=export_links(args),
        hits=[hit_context(hit, back) for hit in page.hits],
        facets=[
            facet_context(name, page, args, (any_counts or {}).get(name)) for name in FILTER_LABELS
        ],
        histogram=histogram_context(page, args),
        date_placeholders=date_placeholders(*dated_range(page.facets["date"])),
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


def echoed(value: str) -> str:
    """A parameter as the page repeats it: cut to the longest query, so that a refused
    100 KB value is not sent back several times over."""
    return value[: setting("max_query_length")]


def echoed_pairs(pairs: list[tuple[str, str]], skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """The search's own parameters (unknown ones dropped) as hidden inputs repeat them."""
    known = ("q", *LIST_PARAMS, *SINGLE_PARAMS)
    return [(k, echoed(v)) for k, v in pairs if k in known and k not in skip]


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


def hit_context(hit: Any, back: str = "") -> dict[str, Any]:
    """One result with its safe snippet and links for its entity chips.

    `back` is the search's query string: the article page links back to the same query,
    filters, sort and page.
    """
    # The snippet is escaped by the highlighter; only its <mark> tags are markup.
    return {
        **vars(hit),
        "snippet": Markup(hit.snippet),
        "article_url": endpoint_url("web.article_page", article_id=hit.id) + back,
        "chips": hit_chips(hit),
    }


def hit_chips(hit: Any) -> list[dict[str, str]]:
    """A hit's first entity values, each linking to its entity page."""
    return [
        {"kind": kind, "value": value, "url": entity_url(kind, value)}
        for kind, values in (("actor", hit.actors), ("country", hit.countries), ("org", hit.orgs))
        for value in values[:MAX_HIT_CHIPS]
    ]


def facet_context(
    name: str, page: SearchPage, args: MultiDict, loosened: dict[str, int] | None = None
) -> dict[str, Any]:
    """One entity facet: values with counts and their links, the AND/OR switch, more…"""
    links = SearchLinks(args)
    return {
        "name": name,
        "label": FILTER_LABELS[name],
        "values": [
            facet_row(name, value, args, links, click_total(page, name, value, loosened))
            for value in page.facets[name]
        ],
        "operator": operator_switch(name, args),
        "adds": loosened is not None,
        "more_url": link(args, endpoint="web.facet_page", kind=name),
    }


def click_total(
    page: SearchPage, name: str, value: FacetValue, loosened: dict[str, int] | None
) -> int | None:
    """In "any" mode, the results clicking an unselected value gives: the matches now, plus
    the value's articles that carry none of the selected values. None in "all" mode."""
    if loosened is None or value.value in getattr(page.request, name, []):
        return None
    return page.total + loosened.get(value.value, value.count) - value.count


def facet_row(
    name: str,
    value: FacetValue,
    args: MultiDict,
    links: SearchLinks | None = None,
    click_count: int | None = None,
) -> dict[str, Any]:
    """One facet value: toggle (include), exclude and entity-page links.

    `click_count`, in "any" mode, is what clicking the value gives, and is shown instead.
    """
    links = links or SearchLinks(args)
    pair = (name, value.value)
    selected = value.value in args.getlist(name)
    shown = value.count if click_count is None else click_count
    return {
        "value": value.value,
        "label": value_label(name, value.value),
        "count": shown,
        "count_label": f"{shown:,}",
        "count_title": "results with this value added" if click_count is not None else "",
        "selected": selected,
        "toggle_url": links.link(remove=(pair,)) if selected else links.link(add=(pair,)),
        "exclude_url": links.link(add=((f"not_{name}", value.value),), remove=(pair,)),
        # Only people, countries and organisations have a page of their own.
        "entity_url": entity_url(name, value.value) if name in ENTITY_KINDS else None,
    }


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
        # Pages stop at max_page: say so, and how to reach the rest.
        "beyond": page.total - last * page.request.per_page if page.page_count > last else 0,
        "paged": last * page.request.per_page,
    }
