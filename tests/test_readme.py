"""The README against the code: its format table and its command lines say what the code does.

As sqlite-utils does for its docs: the lists are read from the code (the registered
readers, the click group), so a new format, command or option fails here until the
README shows it.
"""

from __future__ import annotations

import re

import click
import pytest

from search.cli import cli
from search.ingest import FORMAT_BY_SUFFIX, READERS
from tests.conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
HELP_OPTIONS = {"--help"}


def section(title: str) -> str:
    """The README's text under a `## title` heading, up to the next one."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def synopsis() -> dict[str, str]:
    """Each command of the command-line synopsis and the options text shown for it."""
    block = re.search(r"```sh\n(.*?)```", section("Command line"), re.S)
    assert block, "the Command line section has no ```sh block"
    commands: dict[str, str] = {}
    current = ""
    for line in block.group(1).splitlines():
        started = re.match(r"\.venv/bin/newsarchive (\w+)(.*)", line)
        if started:
            current = started.group(1)
            commands[current] = started.group(2)
        else:
            commands[current] += line
    return commands


def shown_options(text: str) -> dict[str, str | None]:
    """The options in a synopsis text, with the literal value shown after one, if any."""
    found = re.findall(r"\[(--[a-z][a-z-]*)(?: ([^\]]+))?\]", text)
    # A required option stands outside brackets: `--format csv|jsonl`.
    found += re.findall(r"(?<![\[\w-])(--[a-z][a-z-]*) ([^\s\[\]]+)", text)
    return {name: value or None for name, value in found}


def option_names(command: click.Command) -> dict[str, click.Option]:
    """A command's long options by name, help left out."""
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in param.opts
        if name.startswith("--") and name not in HELP_OPTIONS
    }


def literal_value(option: click.Option) -> str:
    """What the synopsis shows after an option that takes no placeholder: choices or default."""
    if isinstance(option.type, click.Choice):
        return "|".join(map(str, option.type.choices))
    return str(option.default)


def format_rows() -> dict[str, list[str]]:
    """The rows of the input-format table: format name and the extensions it lists."""
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]*`\.[^|]*) \|", section("Input formats"), re.M)
    return {name: re.findall(r"`(\.[a-z0-9]+)`", extensions) for name, extensions in rows}


def common_options() -> set[str]:
    """The options every command takes."""
    return set.intersection(*(set(option_names(c)) for c in cli.commands.values()))


def test_the_synopsis_lists_every_command_and_only_those() -> None:
    assert sorted(synopsis()) == sorted(cli.commands)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_option_shown_exists_and_every_option_is_shown(name: str) -> None:
    options = option_names(cli.commands[name])
    shown = shown_options(synopsis().get(name, ""))
    assert set(shown) <= set(options), f"{name}: the README shows options it does not have"
    missing = set(options) - set(shown) - common_options()
    assert not missing, f"{name}: the README's synopsis lacks {sorted(missing)}"
    for option, value in shown.items():
        if value is None or value.isupper():
            continue  # a placeholder such as N or DIR
        expected = literal_value(options[option])
        assert value == expected, f"{name} {option}: README shows {value}, code has {expected}"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_described(name: str) -> None:
    assert f"- **{name}** " in section("Command line")


def test_options_every_command_takes_and_the_group_options_are_named() -> None:
    text = section("Command line")
    for option in common_options():
        assert f"Every command takes `{option}`" in text
    for param in cli.params:
        for name in param.opts:
            if name not in HELP_OPTIONS:
                assert f"`newsarchive {name}`" in text, name


def test_the_format_table_lists_every_extension_of_every_reader() -> None:
    rows = format_rows()
    listed = [extension for extensions in rows.values() for extension in extensions]
    assert sorted(listed) == sorted(FORMAT_BY_SUFFIX), "extensions in the README's table"
    assert {FORMAT_BY_SUFFIX[extension] for extension in listed} == set(READERS)
