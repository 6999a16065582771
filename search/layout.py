"""Where an index lives on disk: generations, the `current` pointer, the writer's lock."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.errors import IndexBusy, SettingError

CURRENT = "current"
GENERATIONS = "generations"
LOCK = "indexer.lock"
_HELD: set[Path] = set()  # index directories whose writer lock this process holds
_HELD_LOCK = threading.Lock()


def current_generation(index_dir: Path) -> Path | None:
    """The directory of the live index, or None when nothing has been indexed yet."""
    pointer = index_dir / CURRENT
    if not pointer.is_symlink():
        return None
    target = pointer.resolve()
    return target if target.is_dir() else None


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty directory for an index that is not live yet."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    generations = index_dir / GENERATIONS
    generations.mkdir(parents=True, exist_ok=True)
    for attempt in range(1000):
        path = generations / f"{stamp}-{os.getpid()}-{attempt}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise RuntimeError(f"could not create a new index generation in {generations}")


def make_current(index_dir: Path, generation: Path) -> None:
    """Point `current` at a finished generation in one atomic rename."""
    previous = current_generation(index_dir)
    temporary = index_dir / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(generation.relative_to(index_dir))
    os.replace(temporary, index_dir / CURRENT)
    _remove_old_generations(index_dir, keep={generation, previous})


def _remove_old_generations(index_dir: Path, keep: set[Path | None]) -> None:
    # The generation live until now stays: readers may still be searching it. Everything
    # else goes, including the half-written generations of indexers that were killed;
    # the caller holds the writer lock, so no other indexer is writing one right now.
    kept = {path.resolve() for path in keep if path is not None}
    for stale in (index_dir / GENERATIONS).iterdir():
        if stale.resolve() not in kept:
            shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock; refuse clearly if another indexer holds it.

    A POSIX record lock (lockf), not flock: children the indexer forks (Whoosh's
    multi-process writer) would share an flock and keep it after the indexer is
    killed, refusing every later run; a record lock belongs to this process alone
    and dies with it. Record locks do not exclude the same process, so a set of
    the directories this process holds does that.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    key = index_dir.resolve()
    with _HELD_LOCK:
        if key in _HELD:
            raise _busy(index_dir)
        _HELD.add(key)
    try:
        with open(index_dir / LOCK, "w") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # EACCES or EAGAIN, as the platform has it
                raise _busy(index_dir) from None
            try:
                yield
            finally:
                fcntl.lockf(handle, fcntl.LOCK_UN)
    finally:
        with _HELD_LOCK:
            _HELD.discard(key)


def check_index_dir(index_dir: Path, name: str, *, writing: bool) -> None:
    """SettingError, saying what to do, unless the path can hold an index (made if writing).

    Only the last level is created: a missing parent is more likely a typo than a wish
    for a tree of new directories.
    """
    try:
        mode = index_dir.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:  # ENOTDIR: a file on the way; ELOOP, EACCES: say so
        reason = f"{_obstacle(index_dir) or error.strerror}; give a path inside a directory"
        raise _bad_place(index_dir, name, reason) from None
    if mode is not None and not stat.S_ISDIR(mode):
        reason = f"it is {_kind(mode)}, not a directory; give a directory for the index"
        raise _bad_place(index_dir, name, reason)
    if writing:
        _make_writable(index_dir, name, exists=mode is not None)


def _make_writable(index_dir: Path, name: str, *, exists: bool) -> None:
    parent = index_dir.absolute().parent
    if not exists and not parent.is_dir():
        reason = f"its parent {parent} does not exist; create it first (only one level is made)"
        raise _bad_place(index_dir, name, reason)
    try:
        index_dir.mkdir(exist_ok=True)
        with open(index_dir / LOCK, "a"):  # the file the writer locks: written to anyway
            pass
    except OSError as error:
        reason = f"cannot write there ({error.strerror}); choose a directory you can write to"
        raise _bad_place(index_dir, name, reason) from None


def _obstacle(index_dir: Path) -> str | None:
    """Why a path cannot be a directory: an ancestor that is a file, if there is one."""
    for ancestor in index_dir.absolute().parents:
        if ancestor.exists() and not ancestor.is_dir():
            return f"{ancestor} is {_kind(ancestor.stat().st_mode)}, not a directory"
    return None


def _kind(mode: int) -> str:
    kinds = {stat.S_IFREG: "a file", stat.S_IFCHR: "a character device", stat.S_IFIFO: "a FIFO"}
    return kinds.get(stat.S_IFMT(mode), "a special file")


def _bad_place(index_dir: Path, name: str, reason: str) -> SettingError:
    return SettingError(f"{name} {index_dir}: {reason}")


def _busy(index_dir: Path) -> IndexBusy:
    return IndexBusy(f"another indexer is writing to {index_dir}; wait for it to finish")
