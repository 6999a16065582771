"""URL parameters into a SearchRequest, and search URLs out of parameters."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from search.models import SearchRequest
from search.params import LIST_PARAMETERS, OPERATOR_PARAMETERS, make_search_request

URL_CACHE_SIZE = 8192  # entity pages and encoded pairs: a page links ~300 of them
LIST_PARAMS = LIST_PARAMETERS  # every facet's selected and excluded values
SINGLE_PARAMS = ("since", "until", "sort", "page", *OPERATOR_PARAMETERS)


def request_from_args(
    args: MultiDict, per_page: int, date_example: datetime | None = None, **overrides: Any
) -> SearchRequest:
    """The SearchRequest a URL's parameters describe; `overrides` replace single parameters."""
    single: dict[str, Any] = {name: args.get(name) for name in SINGLE_PARAMS}
    single.update(overrides)
    lists: dict[str, Any] = {name: args.getlist(name) for name in LIST_PARAMETERS}
    return make_search_request(
        args.get("q", ""), per_page=per_page, date_example=date_example, **lists, **single
    )


class SearchLinks:
    """Links to variations of one search: its parameters read once for a page's many links."""

    def __init__(self, args: MultiDict, endpoint: str = "web.search_page", **values: Any) -> None:
        self.pairs = [(k, v) for k, v in args.items(multi=True) if k != "page"]
        self.base = endpoint_url(endpoint, **values)

    def link(self, add: tuple = (), remove: tuple = (), drop: tuple = ()) -> str:
        """The search with some (key, value) pairs added or removed; always back to page 1."""
        pairs = [pair for pair in self.pairs if pair not in remove and pair[0] not in drop]
        pairs += [pair for pair in add if pair not in pairs]
        return self.base + query_string([(k, v) for k, v in pairs if v != ""])


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
    return SearchLinks(args, endpoint, **values).link(add, remove, drop)


def query_string(pairs: list[tuple[str, str]] | MultiDict) -> str:
    """'?a=1&b=2', or '' when there is nothing to say (what urlencode gives, pair by pair)."""
    if isinstance(pairs, MultiDict):
        pairs = list(pairs.items(multi=True))
    query = "&".join(_encoded_pair(str(k), str(v)) for k, v in pairs)
    return f"?{query}" if query else ""


def entity_url(kind: str, value: str) -> str:
    """The page of one actor, country or organisation."""
    return endpoint_url("web.entity_page", kind=kind, name=value)


def endpoint_url(endpoint: str, **values: Any) -> str:
    """url_for(endpoint, **values), remembered: a search page links ~300 URLs, mostly the same.

    A URL without host depends only on the endpoint, its values and the script root the
    app is mounted at, so those are the key.
    """
    return _built_url(request.script_root, endpoint, tuple(sorted(values.items())))


@lru_cache(maxsize=URL_CACHE_SIZE)
def _built_url(script_root: str, endpoint: str, values: tuple[tuple[str, Any], ...]) -> str:
    return url_for(endpoint, **dict(values))


@lru_cache(maxsize=URL_CACHE_SIZE)
def _encoded_pair(key: str, value: str) -> str:
    return f"{quote_plus(key)}={quote_plus(value)}"
