"""Settings in one table: name, default and help, overridable by NEWSARCHIVE_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default value and what it is for."""

    name: str
    default: Any
    help: str

    @property
    def environment_variable(self) -> str:
        return f"NEWSARCHIVE_{self.name.upper()}"


SETTINGS = [
    Setting("index_dir", "index_data", "Directory holding the index."),
    Setting("per_page", 20, "Results per page."),
    Setting("facet_size", 30, "Values shown per entity facet."),
    Setting("max_query_length", 1000, "Longest query text accepted, in characters."),
    Setting("max_page", 500, "Deepest result page that can be asked for."),
    Setting(
        "result_cache_mb",
        32,
        "Memory for the web server's cache of whole search results, per process and index "
        "version (a new index starts it empty); 0 turns it off.",
    ),
]
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def setting(name: str) -> Any:
    """A setting's value: its environment variable if set, else its default."""
    default = DEFAULTS[name]
    raw = os.environ.get(f"NEWSARCHIVE_{name.upper()}")
    if raw is None or raw == "":
        return default
    return type(default)(raw)


def index_dir(override: str | Path | None = None) -> Path:
    """The index directory: an explicit value, else NEWSARCHIVE_INDEX_DIR, else index_data/."""
    return Path(override if override else setting("index_dir"))
