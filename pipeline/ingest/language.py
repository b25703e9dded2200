"""Which language a document is written in, detected offline; the text is never changed by it.

The detector is py3langid (a naive Bayes model over byte n-grams for 97 languages, shipped inside
the wheel, deterministic). The pipeline's model is English, so a document in another language
is kept and flagged in `documents.language` rather than rejected or "repaired" into English.
"""

from __future__ import annotations

import functools

UNDETERMINED = "und"
"""ISO 639-2 code for "undetermined": too little text, or no language stands out."""

MIN_CONFIDENCE = 0.5
"""Smallest probability of the best language for it to be reported (short texts fall below)."""

SAMPLE_CHARS = 2_000
"""Characters read from the start, middle and end of a long text: a few hundred characters
already identify a language; three windows cope with a foreign preface or appendix, and the
time per document stays bounded (the detector is pure Python)."""

ENGLISH_OR_UNKNOWN = frozenset({"en", UNDETERMINED})
"""Languages the English-dictionary repairs may touch."""


@functools.cache
def _identifier():  # py3langid has no type hints
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def sample(text: str) -> str:
    """The whole text if short, else three windows of SAMPLE_CHARS (start, middle, end)."""
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    middle = len(text) // 2 - SAMPLE_CHARS // 2
    return "\n".join(
        (text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:])
    )


def detect_language(text: str) -> str:
    """ISO 639 code of the text's language ("en", "fr", "ru"...), or "und" when unsure."""
    window = sample(text)
    if not any(char.isalpha() for char in window):
        return UNDETERMINED
    language, confidence = _identifier().classify(window)
    return language if confidence >= MIN_CONFIDENCE else UNDETERMINED
