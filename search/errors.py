"""One exception hierarchy: each error carries an HTTP status and a message for the user."""

from __future__ import annotations


class NewsarchiveError(Exception):
    """Base of every error we show to a user; `message` says what to change."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(NewsarchiveError):
    """The user's query or a parameter cannot be used as given.

    With the parameter's name, the message starts with it ("since: cannot read …"), so
    a user who set several knows which one to change.
    """

    status = 400

    def __init__(self, message: str, parameter: str | None = None) -> None:
        if parameter:
            first_word = message.split(" ", 1)[0]
            if not (len(first_word) > 1 and first_word.isupper()):  # keep "AND", "URL"
                message = message[:1].lower() + message[1:]
            message = f"{parameter}: {message}"
        super().__init__(message)
        self.parameter = parameter


class NotFound(NewsarchiveError):
    """The article or page asked for does not exist."""

    status = 404


class IndexMissing(NewsarchiveError):
    """There is no index yet where one was expected."""

    status = 503


class IndexBusy(NewsarchiveError):
    """Another indexer holds the index's write lock."""

    status = 409


class EngineMismatch(NewsarchiveError):
    """The installed search engine library is not the version the project was written for."""

    status = 500


class InputError(NewsarchiveError):
    """A file or record cannot be read; readers turn it into a RecordError."""

    status = 400


class SettingError(NewsarchiveError):
    """A NEWSARCHIVE_* setting holds a value that cannot be used."""

    status = 500


class BackendUnavailable(NewsarchiveError):
    """The search server (or every shard of it) cannot be reached or did not answer in time;
    the message names its URL."""

    status = 503


class PartialAnswer(BackendUnavailable):
    """Some shards of a distributed archive did not answer, where a partial answer would
    mislead: an export (silently smaller), an article that may sit on a missing shard, or
    any answer when the caller asked `missing_shards=fail`. A 503, naming the shards."""

    def __init__(self, missing_shards: list[str], what: str = "the answer") -> None:
        self.missing_shards = list(missing_shards)
        plural = "s" if len(self.missing_shards) > 1 else ""
        super().__init__(
            f"Part of the archive did not answer (shard{plural} "
            f"{', '.join(self.missing_shards)}), so {what} would leave out their articles; "
            "try again in a moment."
        )


class ClusterUnavailable(NewsarchiveError):
    """The Dask cluster asked for (`index --dask`) cannot be reached, started or used: no
    workers, other versions, no model on a worker; the message names its address."""

    status = 503
