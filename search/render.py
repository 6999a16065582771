"""Plain JSON-ready dicts of search pages and articles, shared by the API and the CLI."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from search.dates import format_date
from search.models import Article, Hit, SearchPage


def page_to_json(page: SearchPage) -> dict[str, Any]:
    """The /api/search body, exactly as DESIGN.md specifies it."""
    return {
        "query": page.request.query,
        "total": page.total,
        "page": page.request.page,
        "per_page": page.request.per_page,
        "hits": [hit_to_json(hit) for hit in page.hits],
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values]
            for name, values in page.facets.items()
        },
    }


def hit_to_json(hit: Hit) -> dict[str, Any]:
    """One hit as the API shows it: asdict without its deep copy (a sixth of an /api/search)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date,
        "actors": list(hit.actors),
        "countries": list(hit.countries),
        "orgs": list(hit.orgs),
        "snippet": hit.snippet,
        "url": hit.url,
    }


def article_to_json(article: Article) -> dict[str, Any]:
    """The /api/article/<id> body: the text, its date and every entity with its mentions."""
    date = article.date
    return {
        "id": article.id,
        "title": article.title,
        "date": format_date(date),
        "date_precision": date.precision,
        "date_note": date.reason,
        "date_text": article.date_text,
        "url": article.url,
        "source": article.source,
        "dateline": article.dateline,
        "actors": article.entities.actors,
        "countries": article.entities.countries,
        "orgs": article.entities.orgs,
        "mentions": [asdict(m) for m in article.entities.mentions],
        "body": article.body,
        "located_at": str(article.locator),
        "extra": article.extra,
    }
