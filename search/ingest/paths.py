"""Which paths are read: regular files only, found without following loops, opened without blocking.

Anything else a folder or a command line holds (a FIFO, a device, a socket, a dangling link,
a link loop, a link to a directory) is reported as a skipped path with its reason; it is
never opened, because opening a FIFO waits for a writer and reading a device never ends.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from search.errors import InputError
from search.models import Locator, RecordError

# What a path is when it is not a regular file or a directory, by its mode's type bits.
NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def find_files(paths: Iterable[str | Path]) -> Iterator[Path | RecordError]:
    """The regular files under the given paths, in order; every other path as a RecordError."""
    for given in paths:
        path = Path(given)
        kind = path_kind(path)
        if kind == "directory":
            yield from walk_directory(path)
        elif kind == "file":
            yield path
        else:
            yield RecordError(Locator(path=str(path)), kind)


def walk_directory(top: Path) -> Iterator[Path | RecordError]:
    """Every regular file under a directory by name; hidden ones skipped, linked folders too."""
    # A stack, not recursion: a tree thousands of levels deep must not exhaust Python's stack.
    stack = [iter(list_directory(top))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif isinstance(entry, RecordError):
            yield entry
        elif is_real_directory(entry):
            stack.append(iter(list_directory(Path(entry.path))))
        else:
            yield from classify_entry(Path(entry.path))


def list_directory(directory: Path) -> list[os.DirEntry[str] | RecordError]:
    """The entries of a directory that are not hidden, by name; or why it cannot be read."""
    try:
        with os.scandir(directory) as entries:
            found = sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        reason = f"cannot read directory: {describe(error)}"
        return [RecordError(Locator(path=str(directory)), reason)]
    return [entry for entry in found if not entry.name.startswith(".")]


def is_real_directory(entry: os.DirEntry[str]) -> bool:
    """True for a directory that is not a link (lstat errors leave it to be classified)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def classify_entry(path: Path) -> Iterator[Path | RecordError]:
    """A file found in a directory, or why it is skipped."""
    kind = path_kind(path)
    if kind == "file":
        yield path
    elif kind == "directory":
        # A linked directory can point back up the tree, so links are not followed here.
        reason = "skipped: a symbolic link to a directory, not followed; give the directory"
        yield RecordError(Locator(path=str(path)), reason)
    else:
        yield RecordError(Locator(path=str(path)), kind)


def path_kind(path: Path) -> str:
    """'file', 'directory', or why the path is skipped (following links, never opening it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return stat_failure(path, error)
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return "file"
    return not_regular(mode)


def stat_failure(path: Path, error: OSError) -> str:
    """Why a path that cannot be looked at is skipped: missing, a dangling link, a loop."""
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            target = os.readlink(path)
            return f"skipped: a dangling symbolic link to {target!r}, which does not exist"
        return "no such file or directory"
    if error.errno == errno.ELOOP:
        return "skipped: a symbolic link loop (the links point at each other)"
    return f"skipped: {describe(error)}"


def not_regular(mode: int) -> str:
    """Why a path of this mode is not read."""
    kind = NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
    return f"skipped: {kind}, not a regular file; only regular files are read"


def open_regular(path: Path) -> BinaryIO:
    """A regular file open for reading; InputError for anything else, which is never read.

    O_NONBLOCK makes opening a FIFO return at once (it would wait for a writer), and
    the type is checked again on the open file: the path may have changed since it
    was found.
    """
    try:
        descriptor = os.open(path, OPEN_FLAGS)
    except OSError as error:
        raise InputError(f"cannot read file: {describe(error)}") from error
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(not_regular(mode))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def describe(error: OSError) -> str:
    """An OS error's reason without the path, which the locator already names."""
    return error.strerror or str(error)
