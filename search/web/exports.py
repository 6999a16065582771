"""The search as a streamed CSV or JSON Lines download, an Atom feed, an OpenSearch description."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask import Response, render_template, request, stream_with_context, url_for
from markupsafe import Markup

from search.models import Hit
from search.render import export_pieces

EXPORT_TYPES = {"csv": "text/csv", "jsonl": "application/jsonl"}


def export_response(
    total: int, hits: Iterable[Hit], export_format: str, filename: str
) -> Response:
    """Every hit as a streamed CSV or JSON Lines download; nothing is held in memory."""
    return Response(
        stream_with_context(export_pieces(hits, export_format)),
        mimetype=EXPORT_TYPES[export_format],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Total-Count": str(total),
        },
    )


def atom_response(title: str, hits: list[Hit], self_url: str, html_url: str) -> Response:
    """The hits as an Atom feed; every text is escaped by the template."""
    entries = [
        {
            "hit": hit,
            "url": url_for("web.article_page", article_id=hit.id, _external=True),
            "updated": atom_date(hit.date),
            "summary": Markup(hit.snippet).striptags(),
        }
        for hit in hits
    ]
    updated = next((e["updated"] for e in entries if e["updated"]), atom_date(None))
    body = render_template(
        "feed.xml",
        title=title,
        entries=entries,
        updated=updated,
        self_url=self_url,
        html_url=html_url,
        feed_id=self_url,
    )
    return Response(body, mimetype="application/atom+xml")


def atom_date(label: str | None) -> str:
    """An RFC 3339 timestamp from a 2022, 2022-11 or 2022-11-09 label (now when undated)."""
    if not label:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [*label.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def opensearch_response() -> Response:
    """The OpenSearch description that lets a browser add this archive as a search engine."""
    body = render_template(
        "opensearch.xml",
        search_url=url_for("web.search_page", _external=True),
        feed_url=url_for("web.export_atom", _external=True),
        icon_url=url_for("static", filename="favicon.svg", _external=True),
        host=request.host,
    )
    return Response(body, mimetype="application/opensearchdescription+xml")
