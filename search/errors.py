"""One exception hierarchy: each error carries an HTTP status and a message for the user."""

from __future__ import annotations


class NewsarchiveError(Exception):
    """Base of every error we show to a user; `message` says what to change."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(NewsarchiveError):
    """The user's query or a parameter cannot be used as given."""

    status = 400


class NotFound(NewsarchiveError):
    """The article or page asked for does not exist."""

    status = 404


class IndexMissing(NewsarchiveError):
    """There is no index yet where one was expected."""

    status = 503


class IndexBusy(NewsarchiveError):
    """Another indexer holds the index's write lock."""

    status = 409


class InputError(NewsarchiveError):
    """A file or record cannot be read; readers turn it into a RecordError."""

    status = 400


class SettingError(NewsarchiveError):
    """A NEWSARCHIVE_* setting holds a value that cannot be used."""

    status = 500
