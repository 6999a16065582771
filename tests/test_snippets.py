"""Snippets mark every form of the query's words, escape the text, and say when none occur."""

from __future__ import annotations

from whoosh.analysis import StemmingAnalyzer

from search.snippets import SEPARATOR, make_snippet

ANALYZER = StemmingAnalyzer()


def stems(*words: str) -> frozenset[str]:
    """The query's words as the index holds them."""
    return frozenset(token.text for word in words for token in ANALYZER(word))


def test_every_form_of_a_word_is_marked() -> None:
    text = "The Bank said banks were banking on lower rates."
    snippet = make_snippet(text, stems("bank"), ANALYZER, 2, 240)
    assert snippet.count("<mark>") == 3
    assert "<mark>Bank</mark>" in snippet and "<mark>banks</mark>" in snippet


def test_text_is_escaped_and_words_that_only_start_alike_are_not_marked() -> None:
    text = "<b>Prices</b> rose & the price of priceless art did too."
    snippet = make_snippet(text, stems("prices"), ANALYZER, 2, 240)
    assert "&lt;b&gt;<mark>Prices</mark>&lt;/b&gt;" in snippet
    assert "<mark>price</mark>" in snippet and "priceless" in snippet
    assert "<mark>priceless</mark>" not in snippet


def test_distant_matches_make_separate_fragments() -> None:
    text = "Oil opened the day. " + "Nothing to see here. " * 30 + "Oil closed it."
    snippet = make_snippet(text, stems("oil"), ANALYZER, 2, 240)
    assert snippet.count(SEPARATOR) == 1 and snippet.count("<mark>Oil</mark>") == 2


def test_no_occurrence_gives_an_empty_snippet() -> None:
    assert make_snippet("Wheat and barley.", stems("coffee"), ANALYZER, 2, 240) == ""
    assert make_snippet("Wheat and barley.", frozenset(), ANALYZER, 2, 240) == ""


def test_fragments_start_and_end_at_whole_words_and_say_where_the_text_goes_on() -> None:
    text = (
        "Preliminaryconsiderationsaboutharvests were discussed at length before the meeting. "
        "Coffee exporters met in London on Tuesday to discuss the quotas that extraordinarily "
        "complicated negotiations had produced over several months of talks."
    )
    snippet = make_snippet(text, stems("coffee"), ANALYZER, 2, 240)
    assert snippet.startswith("…") and snippet.endswith("…")
    plain = snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert plain in " ".join(text.split())
    words = set(text.split())
    assert plain.split()[0] in words and plain.split()[-1] in words


def test_a_whole_text_has_no_ellipsis_and_a_long_word_is_never_cut() -> None:
    assert make_snippet("Coffee rose.", stems("coffee"), ANALYZER, 2, 240) == (
        "<mark>Coffee</mark> rose."
    )
    text = "x" * 100 + " coffee " + "y" * 100
    snippet = make_snippet(text, stems("coffee"), ANALYZER, 2, 240)
    assert snippet == "…<mark>coffee</mark>…"
