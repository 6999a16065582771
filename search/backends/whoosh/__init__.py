"""The Whoosh backend: the embedded default, an index directory searched in this process."""

from search.backends.whoosh import moved
from search.backends.whoosh.backend import WhooshBackend

moved.install()  # before any index is opened: older TOCs name the old module paths

__all__ = ["WhooshBackend"]
