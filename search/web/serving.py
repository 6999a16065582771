"""Serving the app with waitress: threads in one process, or worker processes on one port.

waitress runs requests on Python threads, so one process does about one core's worth of
Python work however many threads it has. `workers` > 1 forks that many processes after
the app is built, each a waitress server with its own threads, all accepting on one
listening socket: the kernel hands each new connection to one of them. Each worker opens
its own backend (`in_worker`: files, searchers, connections) and keeps its own caches;
the parent only restarts a worker that dies and stops them all on SIGTERM or Ctrl+C.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

import waitress

from search.config import setting

IDENT = "newsarchive"
BACKLOG = 1024  # waitress's own default
RESTART_PAUSE_SECONDS = 1.0  # a worker that dies at once is not restarted in a tight loop
LONGEST_CLEANUP_SECONDS = 5  # how late past its timeout a silent connection may be closed
WAITRESS_SETTINGS = (
    "connection_limit",
    "channel_timeout",
    "max_request_header_size",
    "max_request_body_size",
)


WILDCARD_HOSTS = ("", "0.0.0.0", "::")


def bound_url(host: str, port: int) -> str:
    """The server's own address as a base URL; '' (relative links) for a wildcard host,
    whose public name only a configured base URL can tell."""
    if host in WILDCARD_HOSTS:
        return ""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def waitress_options(threads: int) -> dict[str, Any]:
    """waitress's limits, from the settings: none left to its defaults.

    Its defaults (100 connections, 120 s of silence) let ~100 clients that send half a
    header block every other client for two minutes; a connection is cheap to keep in
    waitress's event loop, so the limit is high and silence is cut short. poll() rather
    than select(): select() fails past 1,024 open descriptors.
    """
    options: dict[str, Any] = {name: setting(name) for name in WAITRESS_SETTINGS}
    options.update(
        threads=threads,
        ident=IDENT,
        backlog=BACKLOG,
        cleanup_interval=min(LONGEST_CLEANUP_SECONDS, options["channel_timeout"]),
        asyncore_use_poll=True,
    )
    return options


InWorker = Callable[[], None]


def serve_app(
    app: Any,
    host: str,
    port: int,
    threads: int,
    workers: int = 1,
    in_worker: InWorker | None = None,
) -> None:
    """Serve `app` on host:port until stopped, in `workers` processes of `threads` threads;
    `in_worker` runs first in each worker process (to open the app's backend there)."""
    if workers <= 1:
        waitress.serve(app, host=host, port=port, **waitress_options(threads))
        return
    listener = listening_socket(host, port)
    try:
        supervise(app, listener, threads, workers, in_worker)
    finally:
        listener.close()


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket for host:port (IPv4 or IPv6, as the host is)."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(BACKLOG)
    return listener


def supervise(
    app: Any,
    listener: socket.socket,
    threads: int,
    workers: int,
    in_worker: InWorker | None = None,
) -> None:
    """Fork the workers, restart any that dies, stop them all when told to stop."""
    running: set[int] = set()
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(running):
            _signal(pid, signal.SIGTERM)

    previous = {name: signal.signal(name, stop) for name in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(workers):
            if not stopping:  # Ctrl+C while starting: start no more
                running.add(start_worker(app, listener, threads, in_worker))
        while running:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            running.discard(pid)
            if not stopping:
                print(f"{IDENT}: worker {pid} ended ({status}); starting another", file=sys.stderr)
                time.sleep(RESTART_PAUSE_SECONDS)
                running.add(start_worker(app, listener, threads, in_worker))
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


def start_worker(
    app: Any, listener: socket.socket, threads: int, in_worker: InWorker | None = None
) -> int:
    """Fork one waitress server on the shared socket; its pid."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if in_worker is not None:
            in_worker()
        waitress.serve(app, sockets=[listener], **waitress_options(threads))
        status = 0
    except KeyboardInterrupt:
        status = 0
    except BaseException as error:  # one line for the log, as every error we print
        print(f"{IDENT}: worker {os.getpid()} failed: {type(error).__name__}: {error}",
              file=sys.stderr)  # fmt: skip
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)  # never return into the parent's code


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended already
        os.kill(pid, number)
