"""The language an article is written in: as its format tagged it, else detected offline.

Detection is py3langid's naive Bayes model over byte n-grams (shipped in the wheel, no
network), on the first DETECT_CHARS characters. It answers with a confidence; the archive
default, English, stands unless another language is plainly more likely: a table of
earnings figures or a three-word headline is not French because the model wavers.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

DEFAULT_LANGUAGE = "en"
# Stored with each language the extraction cache keeps: change it when detection changes
# (the model, DETECT_CHARS, MIN_CONFIDENCE), so that cached languages are detected again.
DETECTOR_VERSION = "1"
DETECT_CHARS = 1000  # enough words for a confident answer; detection time grows with length
MIN_CONFIDENCE = 0.8  # no Reuters, Wikinews or sample article reaches it for a wrong language
NO_LANGUAGE = frozenset({"zxx"})  # the model's "no linguistic content": numbers, codes
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*")
# Names for the facet and the article page; other codes show as they are.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


@cache
def identifier() -> Any:
    """py3langid's identifier with probabilities, loaded once per process (~0.3 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(title: str, body: str) -> str:
    """The language of a text as an ISO 639 code; English unless another is plainly likelier."""
    text = f"{title}\n{body}"[:DETECT_CHARS]
    if not any(char.isalpha() for char in text):
        return DEFAULT_LANGUAGE
    language, confidence = identifier().classify(text)
    if confidence < MIN_CONFIDENCE or language in NO_LANGUAGE:
        return DEFAULT_LANGUAGE
    return str(language)


def language_code(tag: str | None) -> str | None:
    """A language tag as a format gives it ("en-US", "FR", "de_DE") as its primary code."""
    match = LANGUAGE_TAG.fullmatch((tag or "").strip())
    return match.group(1).lower() if match else None


def article_language(tag: str | None, title: str, body: str) -> str:
    """The article's language: the one its format tagged, else the one detected in its text."""
    return language_code(tag) or detect_language(title, body)


def language_name(code: str) -> str:
    """A language's English name, or its code when the table has none."""
    return LANGUAGE_NAMES.get(code, code)
