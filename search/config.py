"""Settings in one table: name, default, allowed values and help, overridable by NEWSARCHIVE_*.

Every command and the app factory check all of them at start-up (`check_settings`), so
a bad value is one line naming its variable before any work, never an error per request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.errors import SettingError


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, allowed range (for numbers) and what it is for."""

    name: str
    default: str | int
    help: str
    lowest: int = 0
    highest: int = 0
    choices: tuple[str, ...] = ()  # the words a text setting takes; none for a path
    pattern: str = ""  # for text: a value must match it (fully), or be empty
    described: str = ""  # for text: the allowed values in words

    @property
    def environment_variable(self) -> str:
        """The variable that overrides the default."""
        return f"NEWSARCHIVE_{self.name.upper()}"

    @property
    def allowed(self) -> str:
        """The values the setting takes, in words."""
        if self.choices:
            return " or ".join(f"`{choice}`" for choice in self.choices)
        if isinstance(self.default, str):
            return self.described or "any path"
        return f"a whole number from {self.lowest:,} to {self.highest:,}"

    def parse(self, raw: str) -> str | int:
        """The value of the variable's text, or a SettingError naming the variable."""
        if self.choices and raw.strip().lower() not in self.choices:
            raise SettingError(f"{self.environment_variable} must be {self.allowed}, not {raw!r}")
        if isinstance(self.default, str):
            if self.pattern and not re.fullmatch(self.pattern, raw.strip()):
                raise SettingError(
                    f"{self.environment_variable} must be {self.allowed}, not {raw!r}"
                )
            if self.choices:
                return raw.strip().lower()
            return raw.strip() if self.pattern else raw
        try:
            number = int(raw.strip())
        except ValueError:
            number = None
        if number is None or not self.lowest <= number <= self.highest:
            raise SettingError(f"{self.environment_variable} must be {self.allowed}, not {raw!r}")
        return number


# What one request may ask: each refusal is a 400 (414 for the URL) naming the limit.
REQUEST_LIMITS = [
    Setting(
        "max_url_length",
        16_384,
        "Longest request target (path and query string) the app reads, in bytes; longer "
        "ones are refused with 414 before any parameter is read.",
        256,
        1_000_000,
    ),
    Setting(
        "max_parameters",
        50,
        "Most URL parameters one request may send (a page links every filter's removal "
        "with all of them, so its size grows with this times the request's).",
        1,
        10_000,
    ),
    Setting(
        "max_facet_values",
        20,
        "Most values one filter may list (actor=…&actor=…), repeated ones included.",
        1,
        1_000,
    ),
]
# waitress, per server process: chosen so that idle or slow clients cannot starve others.
SERVER_LIMITS = [
    Setting(
        "connection_limit",
        500,
        "Most connections `serve` keeps open at once, per process; past it new ones wait "
        "in the listen queue.",
        1,
        100_000,
    ),
    Setting(
        "channel_timeout",
        20,
        "Seconds a connection may stay silent (idle, or stalled in a request) before it is closed.",
        1,
        3_600,
    ),
    Setting(
        "max_request_header_size",
        65_536,
        "Largest request line and headers, in bytes; a bigger request gets 431.",
        1_024,
        10_000_000,
    ),
    Setting(
        "max_request_body_size",
        65_536,
        "Largest request body, in bytes (every route is read-only).",
        0,
        10_000_000,
    ),
    Setting(
        "base_url",
        "",
        "The site's public address (scheme, host, optional path) used in the absolute "
        "links of the Atom feed and the OpenSearch description; empty: the address the "
        "server was started on. Never taken from the request's Host header.",
        pattern=r"(https?://[A-Za-z0-9.\-\[\]:]+(/[^\s?#]*)?)?",
        described="an http:// or https:// URL, or empty",
    ),
]

SETTINGS = [
    Setting("index_dir", "index_data", "Directory holding the index."),
    Setting(
        "backend",
        "",
        "The search engine: `whoosh:PATH`, the embedded Whoosh index in PATH (empty: "
        "`whoosh:` with the index directory), or `manticore://HOST:PORT/INDEX`, a Manticore "
        "Search (or Sphinx) server, the index directory then keeping the extraction cache, "
        "the alias files and the writer's lock.",
        pattern=r"(?i:whoosh:.*|manticore://\S+)?",
        described="`whoosh:PATH`, `manticore://HOST:PORT/INDEX` or empty",
    ),
    Setting("per_page", 20, "Results per page.", 1, 500),
    Setting("facet_size", 30, "Values shown per entity facet.", 0, 10_000),
    Setting("max_query_length", 1000, "Longest query text accepted, in characters.", 1, 1_000_000),
    Setting("max_page", 500, "Deepest result page that can be asked for.", 1, 1_000_000),
    Setting(
        "max_article_mb",
        5,
        "Largest article indexed, in MB: a text file or JSON line bigger than this, or an "
        "article with more million characters of title and text, is reported as failed.",
        1,
        10_000,
    ),
    Setting(
        "result_cache_mb",
        32,
        "Memory for the web server's cache of whole search results, per process and index "
        "version (a new index starts it empty); 0 turns it off.",
        0,
        1_000_000,
    ),
    Setting(
        "date_order",
        "month-first",
        "How since and until read a date whose day and month could be swapped: 10/03/1987 is "
        "3 October month first (the US convention), 10 March day first. Dotted dates "
        "(10.03.1987) are always day first. Search pages show how each date was read.",
        choices=("month-first", "day-first"),
    ),
    *REQUEST_LIMITS,
    *SERVER_LIMITS,
]
BY_NAME = {setting.name: setting for setting in SETTINGS}


def setting(name: str, environment: Mapping[str, str] = os.environ) -> Any:
    """A setting's value: its environment variable if set, else its default."""
    definition = BY_NAME[name]
    raw = environment.get(definition.environment_variable, "")
    return definition.parse(raw) if raw.strip() else definition.default


def check_settings(environment: Mapping[str, str] = os.environ) -> None:
    """Read every setting once, so that a bad value stops start-up with its variable's name."""
    for definition in SETTINGS:
        setting(definition.name, environment)


def settings_table() -> str:
    """The settings as a Markdown table: the README's, and `serve --help-settings`."""
    rows = [
        "| variable | default | values | meaning |",
        "|---|---|---|---|",
        *(
            f"| `{s.environment_variable}` | {_shown(s.default)} | {s.allowed} | {s.help} |"
            for s in SETTINGS
        ),
    ]
    return "\n".join(rows)


def day_first(environment: Mapping[str, str] = os.environ) -> bool:
    """True when ambiguous numeric dates in since/until are read day first."""
    return bool(setting("date_order", environment) == "day-first")


def _shown(default: str | int) -> str:
    return f"`{default}`" if default != "" else "(empty)"


def backend_url(override: str | None, index_directory: Path) -> str:
    """The backend's URL: an explicit value, else NEWSARCHIVE_BACKEND, else `whoosh:` with
    the index directory."""
    return override or setting("backend") or f"whoosh:{index_directory}"


def index_dir(override: str | Path | None = None) -> Path:
    """The index directory: an explicit value, else NEWSARCHIVE_INDEX_DIR, else index_data/."""
    return Path(override if override else setting("index_dir"))
