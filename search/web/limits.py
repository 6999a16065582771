"""What one request may cost: checked before any view runs, and headers every answer gets.

A request is refused before its parameters are parsed when its target is too long, and
before any page is built when it sends too many parameters or too many values for one
filter: the refusal is a short page or JSON body that names the limit and echoes nothing
of the request, so an abusive request costs about what its bytes cost to read.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from search.config import setting
from search.errors import BadRequest, NewsarchiveError
from search.web.arguments import LIST_PARAMS

DYNAMIC_CACHE_CONTROL = "no-cache"  # pages change with every index commit: revalidate


class URLTooLong(NewsarchiveError):
    """The request target is longer than the server reads."""

    status = 414


def check_request_limits() -> None:
    """Refuse a request whose URL, parameter count or filter values exceed the settings."""
    target = len(request.path.encode("utf-8", "surrogateescape")) + len(request.query_string)
    longest = setting("max_url_length")
    if target > longest:
        raise URLTooLong(
            f"The address is {target:,} bytes long; the server reads at most {longest:,} "
            "(NEWSARCHIVE_MAX_URL_LENGTH). Shorten the query or remove filters."
        )
    count = sum(len(values) for values in request.args.listvalues())
    most = setting("max_parameters")
    if count > most:
        raise BadRequest(
            f"The request sends {count:,} parameters; use at most {most:,} "
            "(NEWSARCHIVE_MAX_PARAMETERS)."
        )
    most_values = setting("max_facet_values")
    for name in LIST_PARAMS:
        values = len(request.args.getlist(name))
        if values > most_values:
            raise BadRequest(
                f"{values:,} values given; use at most {most_values:,} per filter "
                "(NEWSARCHIVE_MAX_FACET_VALUES).",
                name,
            )


def response_headers(response: Any) -> Any:
    """Cache-Control on dynamic answers (assets.py caches static files); 405s say which
    methods the route allows."""
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = DYNAMIC_CACHE_CONTROL
    return response


def register_limits(app: Flask) -> None:
    """Check every request's limits first, and add the headers to every answer."""
    app.url_map.merge_slashes = False  # its redirect would be built from the Host header
    app.before_request(check_request_limits)
    app.after_request(response_headers)
