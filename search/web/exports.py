"""The search as a CSV download, an Atom feed and an OpenSearch description."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Response, render_template, request, url_for
from markupsafe import Markup

from search.models import Hit

CSV_COLUMNS = ("id", "title", "date", "actors", "countries", "orgs", "url", "snippet")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(hits: Iterable[Hit], filename: str = "newsarchive-search.csv") -> Response:
    """The hits as a UTF-8 CSV download, one row per article."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        row = {**vars(hit), "snippet": Markup(hit.snippet).striptags()}
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
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
