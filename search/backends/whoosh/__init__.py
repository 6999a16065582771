"""The Whoosh backend: the embedded default, an index directory searched in this process."""

from search.backends.whoosh.backend import WhooshBackend

__all__ = ["WhooshBackend"]
