"""The search as a streamed CSV or JSON Lines download, an Atom feed, an OpenSearch description."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from flask import Response, current_app, render_template, stream_with_context, url_for
from markupsafe import Markup

from search.models import Hit
from search.render import export_pieces

EXPORT_TYPES = {"csv": "text/csv", "jsonl": "application/jsonl"}
# What XML 1.0 forbids (its Char production): C0 controls but tab, LF and CR; lone
# surrogates; U+FFFE and U+FFFF. One such character makes a whole feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(body: str) -> str:
    """A rendered XML document without the characters XML 1.0 cannot carry."""
    return NOT_XML.sub("", body)


def public_url(path: str) -> str:
    """A URL for other sites and readers: under the configured base URL, else `path`
    as it is (relative). Never built from the request's Host header, which anyone sets."""
    base = current_app.config.get("BASE_URL") or ""
    return base.rstrip("/") + path if base else path


def stable_id(path: str, kind: str, name: str) -> str:
    """An Atom id: the public URL when there is a base URL, else a URN (ids are absolute)."""
    url = public_url(path)
    return url if "://" in url else f"urn:newsarchive:{kind}:{quote(name, safe='')}"


def export_response(total: int, hits: Iterable[Hit], export_format: str, filename: str) -> Response:
    """Every hit as a streamed CSV or JSON Lines download; nothing is held in memory."""
    return Response(
        stream_with_context(export_pieces(hits, export_format)),
        mimetype=EXPORT_TYPES[export_format],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Total-Count": str(total),
        },
    )


def atom_response(
    title: str, hits: list[Hit], self_path: str, html_path: str, subtitle: str | None = None
) -> Response:
    """The hits as an Atom feed; every text is escaped by the template. `subtitle` (Atom's
    <subtitle>) says when the feed is partial."""
    entries = []
    for hit in hits:
        path = url_for("web.article_page", article_id=hit.id)
        entries.append(
            {
                "hit": hit,
                "url": public_url(path),
                "id": stable_id(path, "article", hit.id),
                "updated": atom_date(hit.date),
                "summary": Markup(hit.snippet).striptags(),
            }
        )
    updated = next((e["updated"] for e in entries if e["updated"]), atom_date(None))
    body = render_template(
        "feed.xml",
        title=title,
        subtitle=subtitle,
        entries=entries,
        updated=updated,
        self_url=public_url(self_path),
        html_url=public_url(html_path),
        feed_id=stable_id(self_path, "feed", self_path),
    )
    return Response(xml_text(body), mimetype="application/atom+xml")


def atom_date(label: str | None) -> str:
    """An RFC 3339 timestamp from a 2022, 2022-11 or 2022-11-09 label (now when undated)."""
    if not label:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [*label.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def opensearch_response() -> Response:
    """The OpenSearch description that lets a browser add this archive as a search engine."""
    base = current_app.config.get("BASE_URL") or ""
    body = render_template(
        "opensearch.xml",
        search_url=public_url(url_for("web.search_page")),
        feed_url=public_url(url_for("web.export_atom")),
        icon_url=public_url(url_for("static", filename="favicon.svg")),
        host=urlsplit(base).netloc if base else "",
    )
    return Response(xml_text(body), mimetype="application/opensearchdescription+xml")
