"""Settings in one table: name, default, allowed values and help, overridable by NEWSARCHIVE_*.

Every command and the app factory check all of them at start-up (`check_settings`), so
a bad value is one line naming its variable before any work, never an error per request.
"""

from __future__ import annotations

import os
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
            return "any path"
        return f"a whole number from {self.lowest:,} to {self.highest:,}"

    def parse(self, raw: str) -> str | int:
        """The value of the variable's text, or a SettingError naming the variable."""
        if self.choices and raw.strip().lower() not in self.choices:
            raise SettingError(f"{self.environment_variable} must be {self.allowed}, not {raw!r}")
        if isinstance(self.default, str):
            return raw.strip().lower() if self.choices else raw
        try:
            number = int(raw.strip())
        except ValueError:
            number = None
        if number is None or not self.lowest <= number <= self.highest:
            raise SettingError(f"{self.environment_variable} must be {self.allowed}, not {raw!r}")
        return number


SETTINGS = [
    Setting("index_dir", "index_data", "Directory holding the index."),
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
            f"| `{s.environment_variable}` | `{s.default}` | {s.allowed} | {s.help} |"
            for s in SETTINGS
        ),
    ]
    return "\n".join(rows)


def day_first(environment: Mapping[str, str] = os.environ) -> bool:
    """True when ambiguous numeric dates in since/until are read day first."""
    return bool(setting("date_order", environment) == "day-first")


def index_dir(override: str | Path | None = None) -> Path:
    """The index directory: an explicit value, else NEWSARCHIVE_INDEX_DIR, else index_data/."""
    return Path(override if override else setting("index_dir"))
