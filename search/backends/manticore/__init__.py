"""The Manticore/Sphinx backend: SphinxQL over the MySQL protocol to a head and its shards."""

from search.backends.manticore.backend import ManticoreBackend

__all__ = ["ManticoreBackend"]
