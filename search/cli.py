"""The `newsarchive` command: turns arguments into library calls and errors into one line."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from search import config
from search.backend import SearchBackend, open_backend
from search.errors import BadRequest, NewsarchiveError, SettingError
from search.layout import check_index_dir
from search.render import EXPORT_FORMATS
from search.terminal import (
    EMPTY_ARCHIVE,
    ProgressBar,
    json_text,
    print_page,
    printable,
    shards_note,
    summary_line,
)

INDEX_DIR_OPTION = click.option(
    "--index-dir",
    default=None,
    help="Index directory, made if missing (its parent must exist)"
    " [default: $NEWSARCHIVE_INDEX_DIR or index_data/].",
)
BACKEND_OPTION = click.option(
    "--backend",
    metavar="URL",
    default=None,
    help="Search engine: whoosh:PATH or manticore://HOST:PORT/INDEX"
    " [default: $NEWSARCHIVE_BACKEND or whoosh: with the index directory].",
)


class NewsarchiveCommand(click.Command):
    """A command that checks every setting before it starts, after its help and eager options."""

    def invoke(self, ctx: click.Context) -> Any:
        config.check_settings()
        return super().invoke(ctx)


class NewsarchiveGroup(click.Group):
    """A click group that shows our errors as click's one-line errors."""

    command_class = NewsarchiveCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsarchiveError as error:
            raise click.ClickException(printable(command_line_message(error))) from None


def chosen_index_dir(option: str | None, *, writing: bool = False) -> Path:
    """The index directory the user chose, checked: a mistake is one line saying what to do."""
    if option == "":
        raise SettingError("--index-dir is empty: give a directory, or leave it out (index_data/)")
    if option:
        name = "--index-dir"
    elif config.setting("index_dir") != config.BY_NAME["index_dir"].default:
        name = config.BY_NAME["index_dir"].environment_variable
    else:
        name = "the index directory"
    path = config.index_dir(option)
    check_index_dir(path, name, writing=writing)
    return path


def chosen_backend(
    option: str | None, index_dir_option: str | None, *, writing: bool = False, **options: Any
) -> SearchBackend:
    """The backend the user chose (--backend, else NEWSARCHIVE_BACKEND, else Whoosh in the
    index directory), opened, its local directory checked: a mistake is one line."""
    if option is not None and not option.strip():
        raise SettingError(
            "--backend is empty: give whoosh:PATH or manticore://HOST:PORT/INDEX, or leave it out"
        )
    if index_dir_option == "":
        raise SettingError("--index-dir is empty: give a directory, or leave it out (index_data/)")
    index_dir = config.index_dir(index_dir_option)
    backend = open_backend(config.backend_url(option, index_dir), index_dir, **options)
    try:
        if Path(backend.state_dir) == index_dir:
            chosen_index_dir(index_dir_option, writing=writing)
        else:  # whoosh:PATH: the index lives in PATH
            name = "--backend" if option else config.BY_NAME["backend"].environment_variable
            check_index_dir(Path(backend.state_dir), name, writing=writing)
    except BaseException:
        backend.close()
        raise
    return backend


def command_line_message(error: NewsarchiveError) -> str:
    """The error's message, naming a parameter as the command line spells it (`--since`,
    `QUERY`) rather than as the URL does (`since`, `q`)."""
    parameter = getattr(error, "parameter", None)
    if not parameter or not error.message.startswith(f"{parameter}: "):
        return error.message
    spelt = "QUERY" if parameter == "q" else "--" + parameter.replace("_", "-")
    return spelt + error.message[len(parameter) :]


@click.group(cls=NewsarchiveGroup)
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Full-text, faceted search for news archives."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@INDEX_DIR_OPTION
@BACKEND_OPTION
@click.option("--rebuild", is_flag=True, help="Build a fresh index beside the live one, then swap.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Entity-extraction processes, here or in --dask local [default: number of CPU cores].",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="SCHEDULER",
    default=None,
    help="Extract entities in the workers of a Dask cluster: its scheduler's tcp://HOST:PORT,"
    " or `local` for one on this machine (needs newsarchive[dask]).",
)
def index(
    paths: tuple[Path, ...],
    index_dir: str | None,
    backend: str | None,
    rebuild: bool,
    workers: int | None,
    dask_address: str | None,
) -> None:
    """Index the articles in PATH... (files or directories, recursively)."""
    target = chosen_backend(backend, index_dir, writing=True)  # before the slow imports
    from search.indexer import index_paths

    bar = ProgressBar() if sys.stderr.isatty() else None
    try:
        with extraction_cluster(dask_address, workers) as extractor:  # unreachable: one line
            report = index_paths(
                paths,
                target,
                rebuild=rebuild,
                workers=workers or os.cpu_count() or 1,
                progress=bar,
                extractor=extractor,
            )
    finally:
        target.close()
    if bar:
        bar.clear()
    for problem in report.failures:
        click.echo(f"failed: {printable(str(problem))}", err=True)
    for note in report.warnings:
        click.echo(f"note: {printable(str(note))}", err=True)
    click.echo(summary_line(report, rebuild))


def extraction_cluster(address: str | None, workers: int | None) -> Any:
    """A context giving the Dask extractor of --dask (connected and checked), else None."""
    if address is None:
        return contextlib.nullcontext(None)
    from search.distributed import LOCAL, check_address, dask_extractor

    if workers is not None and check_address(address) != LOCAL:
        raise BadRequest("a Dask cluster has the workers it has: leave --workers out", "workers")
    return dask_extractor(address, workers)


def filter_options(command: Any) -> Any:
    """The options that narrow a search, shared by `search` and `export`."""
    options = [
        click.option(
            "--actor", multiple=True, help="Only articles naming this person (repeatable)."
        ),
        click.option(
            "--country", multiple=True, help="Only articles about this country (repeatable)."
        ),
        click.option(
            "--org", multiple=True, help="Only articles naming this organisation (repeatable)."
        ),
        click.option(
            "--source", multiple=True, help="Only articles from this outlet or feed (repeatable)."
        ),
        click.option(
            "--language", multiple=True, help="Only articles in this language, e.g. en, fr."
        ),
        click.option("--since", help="Earliest date, e.g. 1987-03-01 or 'March 1987'."),
        click.option("--until", help="Latest date, inclusive."),
        click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default=None),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command(name="search")
@click.argument("query", default="")
@filter_options
@click.option("--limit", type=click.IntRange(1, 1000), default=20, help="Results per page.")
@click.option("--page", type=click.IntRange(1), default=1)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of /api/search.")
@INDEX_DIR_OPTION
@BACKEND_OPTION
def search_command(
    query: str,
    limit: int,
    page: int,
    as_json: bool,
    index_dir: str | None,
    backend: str | None,
    **filters: Any,
) -> None:
    """Search the index for QUERY (Whoosh syntax; empty lists everything, newest first)."""
    from search.params import make_search_request
    from search.render import page_to_json

    request = make_search_request(query, page=page, per_page=limit, **filters)
    chosen = chosen_backend(backend, index_dir)
    try:
        result = chosen.search(request, config.setting("facet_size"))
        if as_json:
            click.echo(json_text(page_to_json(result)))
        else:
            print_page(result)
    finally:
        chosen.close()


@cli.command()
@click.argument("query", default="")
@filter_options
@click.option("--not-actor", multiple=True, help="Leave out articles naming this person.")
@click.option("--not-country", multiple=True, help="Leave out articles about this country.")
@click.option("--not-org", multiple=True, help="Leave out articles naming this organisation.")
@click.option("--not-source", multiple=True, help="Leave out articles from this outlet or feed.")
@click.option("--not-language", multiple=True, help="Leave out articles in this language.")
@click.option("--format", "export_format", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File [default: stdout]."
)
@INDEX_DIR_OPTION
@BACKEND_OPTION
def export(
    query: str,
    export_format: str,
    output: Path | None,
    index_dir: str | None,
    backend: str | None,
    **filters: Any,
) -> None:
    """Write every article matching QUERY, in the search's order, as CSV or JSON Lines."""
    from search.params import make_search_request
    from search.render import export_pieces

    request = make_search_request(query, **filters)
    chosen = chosen_backend(backend, index_dir)
    try:
        total, hits = chosen.export_hits(request)
        with click.open_file(str(output or "-"), "w", encoding="utf-8") as stream:
            for piece in export_pieces(hits, export_format):
                stream.write(piece)
    finally:
        chosen.close()
    if output:
        click.echo(f"Exported {total:,} articles to {printable(str(output))}.", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port; each does up to one core of Python work.",
)
@INDEX_DIR_OPTION
@BACKEND_OPTION
@click.option(
    "--help-settings",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, _, wanted: print_settings(ctx) if wanted else None,
    help="Show the NEWSARCHIVE_* settings with their defaults and exit.",
)
def serve(
    host: str, port: int, threads: int, workers: int, index_dir: str | None, backend: str | None
) -> None:
    """Serve the web UI and JSON API with a production WSGI server (waitress)."""
    from search.web import open_worker_backend
    from search.web.serving import bound_url, serve_app

    chosen_backend(backend, index_dir).close()  # a bad URL or an unreachable server: one line
    index_directory = config.index_dir(index_dir)
    url = config.backend_url(backend, index_directory)
    app = serving_app(index_directory, bound_url(host, port), url)
    processes = f", {workers} worker processes" if workers > 1 else ""
    click.echo(f"Serving newsarchive on http://{host}:{port}/{processes}  (Ctrl+C to stop)")
    serve_app(app, host, port, threads, workers, in_worker=lambda: open_worker_backend(app))


def print_settings(ctx: click.Context) -> None:
    """Print the settings table (variable, default, values, meaning) and exit."""
    click.echo(config.settings_table())
    ctx.exit()


def serving_app(index_dir: Path, address: str = "", backend_url: str = "") -> Any:
    """The app `serve` runs: never in debug mode, whatever FLASK_DEBUG says; its absolute
    links under NEWSARCHIVE_BASE_URL, else under the `address` it listens on; its backend
    `backend_url` (else NEWSARCHIVE_BACKEND, else Whoosh in `index_dir`)."""
    from search.web import create_app

    base_url = config.setting("base_url") or address
    settings = {"INDEX_DIR": str(index_dir), "DEBUG": False, "BASE_URL": base_url}
    if backend_url:
        settings["BACKEND"] = backend_url
    return create_app(settings)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@INDEX_DIR_OPTION
@BACKEND_OPTION
def stats(as_json: bool, index_dir: str | None, backend: str | None) -> None:
    """Article count, date range, undated count; the top actors, countries, orgs, sources
    and languages."""
    chosen = chosen_backend(backend, index_dir)
    try:
        numbers = chosen.stats()
    finally:
        chosen.close()
    if as_json:
        click.echo(json_text(numbers))
        return
    if numbers["articles"] == 0:
        click.echo(EMPTY_ARCHIVE, err=True)
    click.echo(f"articles: {numbers['articles']:,}  ({numbers['undated']:,} undated)")
    click.echo(f"dates:    {numbers['first_date'] or '-'} to {numbers['last_date'] or '-'}")
    for key in ("actors", "countries", "orgs", "sources", "languages"):
        top = printable(", ".join(f"{v['value']} ({v['count']})" for v in numbers[key]))
        click.echo(f"{key + ':':<11}{top or '-'}")
    if numbers["partial"]:
        click.echo(shards_note(numbers["missing_shards"]), err=True)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; unexpected errors end as one line too, never a traceback."""
    try:
        cli.main(args=argv, prog_name="newsarchive")
    except Exception as error:  # the last line of defence: click handles the expected ones
        click.echo(f"Error: unexpected {type(error).__name__}: {printable(str(error))}", err=True)
        sys.exit(2)
