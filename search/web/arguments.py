"""URL parameters into a SearchRequest, and search URLs out of parameters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from search.models import SearchRequest
from search.params import make_search_request

LIST_PARAMS = ("actor", "country", "org", "not_actor", "not_country", "not_org")
SINGLE_PARAMS = ("since", "until", "sort", "page", "actor_op", "country_op", "org_op")


def request_from_args(args: MultiDict, per_page: int, **overrides: Any) -> SearchRequest:
    """The SearchRequest a URL's parameters describe; `overrides` replace single parameters."""
    single: dict[str, Any] = {name: args.get(name) for name in SINGLE_PARAMS}
    single.update(overrides)
    lists: dict[str, Any] = {name: args.getlist(name) for name in LIST_PARAMS}
    return make_search_request(args.get("q", ""), per_page=per_page, **lists, **single)


def link(
    args: MultiDict,
    *,
    add: tuple = (),
    remove: tuple = (),
    drop: tuple = (),
    endpoint: str = "web.search_page",
    **values: Any,
) -> str:
    """A URL with some (key, value) pairs added or removed; always back to page 1."""
    pairs = [
        (k, v)
        for k, v in args.items(multi=True)
        if (k, v) not in remove and k not in drop and k != "page"
    ]
    pairs += [pair for pair in add if pair not in pairs]
    return url_for(endpoint, **values) + query_string([(k, v) for k, v in pairs if v != ""])


def query_string(pairs: list[tuple[str, str]] | MultiDict) -> str:
    """'?a=1&b=2', or '' when there is nothing to say."""
    if isinstance(pairs, MultiDict):
        pairs = list(pairs.items(multi=True))
    query = urlencode(pairs)
    return f"?{query}" if query else ""


def entity_url(kind: str, value: str) -> str:
    """The page of one actor, country or organisation."""
    return url_for("web.entity_page", kind=kind, name=value)
