"""What every response gets on its way out: gzip for pages and JSON, long caching for static files.

Static files are linked with a hash of their content (`style.css?v=1a2b3c4d5e6f`), so a
browser may keep them for a year: a changed file is a new URL. A link with an old hash
still gets the file, without the promise.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request

COMPRESSED_TYPES = frozenset({"text/html", "application/json", "application/atom+xml"})
MIN_COMPRESSED_BYTES = 1024  # smaller bodies gain less than gzip's own overhead costs
GZIP_LEVEL = 6
HASH_CHARS = 12
YEAR_SECONDS = 365 * 24 * 3600
DAY_SECONDS = 24 * 3600  # a static file asked for without its current hash may change


def register_assets(app: Flask) -> None:
    """Add content hashes to static URLs, and the caching and compression of responses."""
    static_folder = Path(str(app.static_folder))

    @app.url_defaults
    def add_content_hash(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            values["v"] = content_hash(static_folder / values["filename"])

    app.after_request(cache_static_files(static_folder))
    app.after_request(compress)


def cache_static_files(static_folder: Path) -> Any:
    """An after_request hook: a static file asked for by its current hash is cached for a year,
    by another name for a day."""

    def hook(response: Any) -> Any:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args["v"] == content_hash(static_folder / filename):
            response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
        else:
            response.headers["Cache-Control"] = f"public, max-age={DAY_SECONDS}"
        return response

    return hook


@lru_cache(maxsize=64)
def content_hash(path: Path) -> str:
    """The first characters of a file's SHA-256 ('' for no such file); read once per process."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_CHARS]
    except OSError:
        return ""


def compress(response: Any) -> Any:
    """Gzip a page, JSON body or feed for a client that accepts it; streams are left alone."""
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.mimetype not in COMPRESSED_TYPES
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
        or "Content-Encoding" in response.headers
        or not 200 <= response.status_code < 600
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_COMPRESSED_BYTES:
        return response
    response.set_data(gzip.compress(body, GZIP_LEVEL))
    response.headers["Content-Encoding"] = "gzip"
    return response
