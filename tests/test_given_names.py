"""The given-name list is what bench/build_given_names.py builds from the pinned Faker,
and it holds what extraction asks of it."""

from __future__ import annotations

from importlib.resources import files

from bench.build_given_names import OUTPUT, built_text, normalised, transliterated
from search.entities.given_names import given_names, has_given_name


def test_the_shipped_list_is_the_build_of_the_installed_faker() -> None:
    shipped = files("search.entities").joinpath("data/given_names.txt").read_text("utf-8")
    assert shipped == OUTPUT.read_text(encoding="utf-8")
    assert shipped == built_text(), "rebuild it: python -m bench.build_given_names"


def test_names_keep_and_lose_their_accents_and_split_at_hyphens() -> None:
    assert normalised("José María") == {"José", "Jose", "María", "Maria"}
    assert normalised("Jean-Pierre") == {"Jean-Pierre", "Jean", "Pierre"}
    assert normalised("Łukasz") == {"Łukasz", "Lukasz"}
    assert normalised("PI-YUN") == {"Pi-Yun", "Pi", "Yun"}
    assert normalised("明美") == set()
    assert normalised("J") == set()


def test_cyrillic_names_are_written_as_news_writes_them() -> None:
    assert transliterated("Сергей") == ["Sergey"]
    assert set(transliterated("Юрий")) == {"Yuriy", "Yuri", "Yury"}
    assert transliterated("Евгений")[0].startswith("Yevgen")
    assert transliterated("Smith") == []


def test_the_list_knows_given_names_of_many_countries_and_no_things() -> None:
    names = given_names()
    assert len(names) > 20_000
    for name in ("Maria", "Mohammed", "Sergei", "Akira", "Emeka", "Björn", "Bjorn"):
        assert name in names, name
    assert has_given_name("Jean-Claude Juncker")
    assert not has_given_name("Capitol Rotunda")
    assert not has_given_name("Sikorsky SeaKings")
