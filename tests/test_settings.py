"""Settings: every NEWSARCHIVE_* value is checked at start-up and refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.config import SETTINGS, check_settings, setting, settings_table
from search.errors import SettingError
from search.web import create_app
from tests.conftest import PROJECT

NUMBERS = [s for s in SETTINGS if isinstance(s.default, int)]


def test_a_bad_value_is_refused_naming_its_variable() -> None:
    with pytest.raises(SettingError) as refused:
        check_settings({"NEWSARCHIVE_PER_PAGE": "abc"})
    assert refused.value.message == (
        "NEWSARCHIVE_PER_PAGE must be a whole number from 1 to 500, not 'abc'"
    )


@pytest.mark.parametrize("definition", NUMBERS, ids=lambda s: s.name)
def test_every_number_is_checked_for_type_and_range(definition) -> None:
    variable = definition.environment_variable
    for bad in ("abc", "2.5", str(definition.lowest - 1), str(definition.highest + 1)):
        with pytest.raises(SettingError, match=f"^{variable} must be a whole number from"):
            check_settings({variable: bad})
    for good in (definition.lowest, definition.highest, definition.default):
        assert setting(definition.name, {variable: f" {good} "}) == good
    assert setting(definition.name, {variable: ""}) == definition.default


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_refuses_to_start_with_a_bad_setting(command: str, tmp_path: Path) -> None:
    result = CliRunner(env={"NEWSARCHIVE_PER_PAGE": "abc"}).invoke(
        cli,
        [
            command,
            *(["x"] if command in ("index", "search") else []),
            *(["--format", "csv"] if command == "export" else []),
            *("--index-dir", str(tmp_path)),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: NEWSARCHIVE_PER_PAGE must be a whole number from 1 to 500, not 'abc'\n"
    )


def test_the_app_factory_refuses_a_bad_setting(monkeypatch, samples_index: Path) -> None:
    monkeypatch.setenv("NEWSARCHIVE_RESULT_CACHE_MB", "lots")
    with pytest.raises(SettingError, match="^NEWSARCHIVE_RESULT_CACHE_MB must be"):
        create_app({"INDEX_DIR": str(samples_index)})


def test_help_settings_prints_the_table_even_when_a_value_is_bad() -> None:
    for env in ({}, {"NEWSARCHIVE_PER_PAGE": "abc"}):
        result = CliRunner(env=env).invoke(cli, ["serve", "--help-settings"])
        assert result.exit_code == 0 and result.output == settings_table() + "\n"
    for definition in SETTINGS:
        assert definition.environment_variable in settings_table()
        assert definition.help in settings_table()


def test_the_readme_holds_the_settings_table() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme


def test_the_date_order_takes_one_of_its_words() -> None:
    assert setting("date_order", {}) == "month-first"
    assert setting("date_order", {"NEWSARCHIVE_DATE_ORDER": " Day-First "}) == "day-first"
    with pytest.raises(SettingError) as refused:
        check_settings({"NEWSARCHIVE_DATE_ORDER": "sideways"})
    assert refused.value.message == (
        "NEWSARCHIVE_DATE_ORDER must be `month-first` or `day-first`, not 'sideways'"
    )
