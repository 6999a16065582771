"""The Manticore/Sphinx backend: SphinxQL over the MySQL protocol to a head and its shards.

`ManticoreBackend` is imported when first asked for, so that `python -m
search.backends.manticore.config` runs its module once (no runpy warning).
"""

from typing import Any

__all__ = ["ManticoreBackend"]


def __getattr__(name: str) -> Any:
    if name == "ManticoreBackend":
        from search.backends.manticore.backend import ManticoreBackend

        return ManticoreBackend
    raise AttributeError(name)
